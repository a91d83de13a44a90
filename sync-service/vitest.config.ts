import { defineConfig } from 'vitest/config';

// Each test file gets its own database (embedded PGlite, or a fresh database on DATABASE_URL's server),
// so files run in parallel safely; 2 cores here, so keep the pool small.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
