import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    // One fork per file keeps CPU-heavy suites (simulators, benches) from starving each other.
    pool: 'forks',
  },
});
