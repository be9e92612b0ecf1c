/** One jest run for the whole monorepo: specs beside the code they test, test support in libs/testing. */
const LIBS = [
  'domain',
  'aws-adapters',
  'image-filter',
  'nest-platform',
  'adversaries',
  'kernel',
  'history',
  'checker',
  'cfn-deploy',
  'control-plane',
];
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: [
    '<rootDir>/libs',
    '<rootDir>/apps',
    '<rootDir>/chaos',
    '<rootDir>/load',
    '<rootDir>/infra',
    '<rootDir>/platform',
    '<rootDir>/scripts',
    '<rootDir>/bench',
  ],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  // Each file compiled alone, not type-checked: `npm run lint:types` type-checks the whole tree, tests included, once.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/libs/testing/jest/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@imagery/testing/(.*)$': '<rootDir>/libs/testing/$1',
    ...Object.fromEntries(LIBS.map((lib) => [`^@imagery/${lib}(.*)$`, `<rootDir>/libs/${lib}/src$1`])),
  },
  globalSetup: '<rootDir>/libs/testing/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/jest/global-teardown.ts',
  testTimeout: 60000,
  // Three suites at a time on this machine's two cores: many suites wait on servers and clocks more than they
  // compute (which is also why `npm test` runs the lint beside jest). With two, the machine sat 20-60 % idle through
  // the second half of the run; with three it stays ~95 % busy and `npm test` took 268 s instead of 294. Suites that
  // start servers pick free ports and private files, so they do not collide.
  maxWorkers: 3,
  testSequencer: '<rootDir>/libs/testing/jest/slowest-first-sequencer.mjs',
};
