// Two tiers: `unit` (pure code, beside the sources) and `integration` (real NATS and
// PostgreSQL, under test/). Both compile TypeScript with SWC: type checking is `npm run typecheck`'s job.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const moduleNameMapper = {
  '^@ferry/contracts$': '<rootDir>/libs/contracts/src',
  '^@ferry/contracts/(.*)$': '<rootDir>/libs/contracts/src/$1',
  '^@ferry/plan$': '<rootDir>/libs/plan/src',
  '^@ferry/plan/(.*)$': '<rootDir>/libs/plan/src/$1',
  '^@ferry/storage$': '<rootDir>/libs/storage/src',
  '^@ferry/storage/(.*)$': '<rootDir>/libs/storage/src/$1',
  '^@ferry/platform$': '<rootDir>/libs/platform/src',
  '^@ferry/platform/(.*)$': '<rootDir>/libs/platform/src/$1',
};

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/timeouts.ts'],
    },
  ],
};
