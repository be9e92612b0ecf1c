export * from './aws-clients';
export * from './dynamodb-image-table';
export * from './s3-object-store';
export * from './sqs-image-queue';
export * from './aws-reachability';
export * from './aws-resources-config';
export * from './platform-adapters';
