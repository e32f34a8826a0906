export * from './common.js';
export * from './telemetry.js';
export * from './topics.js';
export * from './alerts.js';
export * from './health.js';
export * from './downtime.js';
export * from './whatif.js';
export type * from './socket-events.js';
