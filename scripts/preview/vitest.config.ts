import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scripts/preview/test/**/*.test.ts'],
    testTimeout: 120_000,
    // A cold start builds the LWC bundle (a minute, more on a busy machine) while the service starts.
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
