/** fast-check, for property tests: libs/testing is its only importer, so arbitraries are written once, here. */
export { default as fc } from 'fast-check';
