export { BackgroundJobsModule as WorkerModule } from '@lemo/application';
