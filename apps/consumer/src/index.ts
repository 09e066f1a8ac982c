export { ItemEventsModule as ConsumerModule } from '@lemo/application';
