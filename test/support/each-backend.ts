import { BACKENDS, type TestBackend } from './backends';

// The suites' side of the test databases (jest's describe and it), apart from backends.ts, which the demo and
// the bench also use and which must not need jest's globals.

/**
 * `describe` once per backend: `describeEachBackend('the store', (backend) => { ... })` gives
 * "the store (SQLite)" and "the store (PostgreSQL)".
 */
export function describeEachBackend(title: string, body: (backend: TestBackend) => void): void {
  for (const backend of BACKENDS) describeEachBackendOf([backend], title, () => body(backend));
}

/** `describe` for a suite that needs PostgreSQL itself (several replicas on one database): skipped, or failed under CI, without it. */
export function describeOnPostgres(title: string, body: () => void): void {
  const postgres = BACKENDS[1] as TestBackend;
  describeEachBackendOf([postgres], title, body);
}

function describeEachBackendOf(backends: readonly TestBackend[], title: string, body: () => void): void {
  for (const backend of backends) {
    const name = `${title} (${backend.name})`;
    if (backend.available) describe(name, body);
    else if (process.env.CI) {
      describe(name, () => {
        it('runs: CI must provide PostgreSQL', () => {
          throw new Error('TEST_DATABASE_URL is not set: .ci/run starts PostgreSQL and sets it');
        });
      });
    } else describe.skip(name, body);
  }
}
