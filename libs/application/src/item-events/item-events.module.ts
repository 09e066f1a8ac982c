import { Module } from '@nestjs/common';
import { ApplicationModule } from '../application.module';
import { ItemEventsConsumer } from './item-events.consumer';

/** The consumer app's work: item events from the bus into the document store. Import it where item events should be applied (consumer, all-in-one). */
@Module({ imports: [ApplicationModule], providers: [ItemEventsConsumer] })
export class ItemEventsModule {}
