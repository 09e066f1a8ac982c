import 'reflect-metadata';
import { BackgroundJobsModule } from '@lemo/application';
import { runBackgroundApp } from '@lemo/runtime';

/** Runs the job handlers of every queue (item vectors, item similarity, …). */
runBackgroundApp('worker', () => [BackgroundJobsModule]);
