export * from './log-config';
export * from './redaction';
export * from './request-id';
export * from './platform-logger';
export * from './request-context.middleware';
