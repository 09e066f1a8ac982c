export * from './beat-schedules';
export * from './scheduled-jobs';
export * from './beat';
