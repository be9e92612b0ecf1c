export * from './platform-adapters.provider';
export * from './shutdown-state';
export * from './health.controller';
