import { defineConfig } from 'vitest/config';

// The fakes' own tests: each fake answers as the real service does (their READMEs cite the documentation).
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
