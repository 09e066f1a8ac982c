export { BeatModule } from '@lemo/application';
