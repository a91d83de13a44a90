import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scripts/preview/test/**/*.test.ts'],
    testTimeout: 120_000,
    // A cold start builds the LWC bundle (a minute; five on a machine shared by eight sessions) while the service starts.
    hookTimeout: 480_000,
    fileParallelism: false,
  },
});
