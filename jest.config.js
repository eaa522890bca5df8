/** Jest on native ESM: run with NODE_OPTIONS=--experimental-vm-modules (the npm scripts do). */
export default {
  testEnvironment: 'node',
  // the product's tests, and the sandbox's own (sandbox/test)
  roots: ['<rootDir>/test', '<rootDir>/sandbox'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  testTimeout: 60000,
  // a temporary directory per run, checked empty at the end: no test may leave a file behind
  globalSetup: '<rootDir>/test/helpers/temp-dir-setup.mjs',
  globalTeardown: '<rootDir>/test/helpers/temp-dir-teardown.mjs',
  // e2e tests start servers and run the real bundles: keep them from fighting over 2 cores
  maxWorkers: 2
}
