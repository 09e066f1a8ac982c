export { StreamsModule } from '@lemo/application';
