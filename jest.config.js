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
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@imagery/testing/(.*)$': '<rootDir>/libs/testing/$1',
    ...Object.fromEntries(LIBS.map((lib) => [`^@imagery/${lib}(.*)$`, `<rootDir>/libs/${lib}/src$1`])),
  },
  globalSetup: '<rootDir>/libs/testing/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/jest/global-teardown.ts',
  testTimeout: 60000,
};
