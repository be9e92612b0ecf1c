/** One jest run for the whole monorepo: unit specs beside the code, e2e suites in apps/<app>/test. */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/chaos', '<rootDir>/load', '<rootDir>/infra', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@imagery/domain(.*)$': '<rootDir>/libs/domain/src$1',
    '^@imagery/image-filter(.*)$': '<rootDir>/libs/image-filter/src$1',
    '^@imagery/nest-platform(.*)$': '<rootDir>/libs/nest-platform/src$1',
    '^@imagery/adversaries(.*)$': '<rootDir>/libs/adversaries/src$1',
    '^@imagery/aws-adapters(.*)$': '<rootDir>/libs/aws-adapters/src$1',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
};
