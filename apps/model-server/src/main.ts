import 'reflect-metadata';
import { runBackgroundApp } from '@lemo/runtime';

/** Health and metrics only for now: model serving and hot-swap arrive with the engine and background-apps issues. */
runBackgroundApp('model-server', () => []);
