/**
 * Every test runs on SQLite. With TEST_DATABASE_URL set (`.ci/run` starts PostgreSQL and sets it), the
 * suite runs a second time with the bot's store on PostgreSQL, but for the tests that are about SQLite itself.
 * The store's own contract suite runs on both backends inside the first project (describeEachBackend).
 * @type {import('jest').Config}
 */
const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

const projects = [{ ...base, displayName: 'sqlite' }];
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    ...base,
    displayName: 'postgres',
    setupFiles: ['<rootDir>/test/support/on-postgres.ts'],
    testPathIgnorePatterns: [
      // Already run on both backends by the first project.
      '/test/store/',
      // About SQLite files, or about programs that take no database.
      '/test/faults/database-locked\\.test\\.ts$',
      '/test/faults/two-schedulers\\.test\\.ts$',
      '/test/faults/killed-mid-load\\.test\\.ts$',
      '/test/faults/replicas\\.test\\.ts$',
      '/test/cli/',
      '/test/render/',
      '/test/import/',
      '/test/domain/',
      '/test/publish/',
      '/test/config\\.test\\.ts$',
      '/test/manifest\\.test\\.ts$',
    ],
  });
}

module.exports = {
  projects,
  // Most tests drive the whole bot over HTTP, and CI runs the suite on both backends on two cores: an evening
  // typed into the forms takes a few seconds alone and several times that there. (A global setting: jest
  // does not take it from a project.)
  testTimeout: 30_000,
};
