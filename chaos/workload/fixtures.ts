/** Moved to load/fixtures.ts; this re-export keeps chaos/runner compiling until it imports from there. */
export * from '../../load/fixtures';
