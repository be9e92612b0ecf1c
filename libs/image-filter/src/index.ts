export * from './sepia-matrix';
export * from './sharp-image-filter';
export * from './sepia-check';
