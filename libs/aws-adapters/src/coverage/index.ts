export * from './coverage-log';
export * from './sdk-retry-marker';
