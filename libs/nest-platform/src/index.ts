export * from './platform-adapters.token';
export * from './platform-env';
export * from './platform.providers';
export * from './shutdown-state';
export * from './health.controller';
export * from './metrics/platform-metrics';
export * from './metrics/http-metrics.middleware';
export * from './chaos/chaos-config';
