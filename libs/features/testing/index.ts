export { FakeEventStore } from './fake-event-store';
export { RecordingFeatureStore } from './recording-feature-store';
export { behaviorEvent, eventSequence } from './events';
