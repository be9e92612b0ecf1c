export * from './fault-rule';
export * from './fault-injector';
export * from './fault-log';
export * from './aws-operation';
