import 'reflect-metadata';
import { BeatModule } from '@lemo/application';
import { runBackgroundApp } from '@lemo/runtime';

/** Fires the schedules (recall training, item vectors, item similarity) by enqueueing jobs the worker runs. */
runBackgroundApp('beat', () => [BeatModule]);
