import 'reflect-metadata';
import { runBackgroundApp } from '@lemo/runtime';

/** Health and metrics only for now: the schedules (training, vectors, similarity, profiles, precompute, cache cleanup) arrive with the background-apps issue. */
runBackgroundApp('beat', () => []);
