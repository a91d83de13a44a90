import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scripts/apex/**/*.test.ts', 'scripts/metadata/**/*.test.ts'],
    // apex-ls starts a JVM and reads the platform's types: tens of seconds on a busy machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
