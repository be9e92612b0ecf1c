export * from './recovery-paths';
export * from './reached';
