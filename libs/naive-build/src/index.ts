export * from './naive-image-table';
export * from './naive-use-cases';
