export * from './common.js';
export * from './telemetry.js';
export * from './topics.js';
export * from './alerts.js';
export * from './health.js';
export * from './socket-events.js';
export * from './auth.js';
export * from './api-common.js';
export * from './fleet.js';
export * from './series.js';
export * from './audit.js';
export * from './mqtt-devices.js';
export * from './downtime.js';
export * from './whatif.js';

export * from './model-series.js';
export * from './units.js';
