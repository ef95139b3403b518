import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Generous: the suite must pass while another process keeps both cores busy, where a
    // test runs several times slower than alone. Tests wait for events, never for a time.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // One fork per file keeps CPU-heavy suites (simulators, benches) from starving each other.
    pool: 'forks',
    // Vitest's default is one worker less than the CPUs: on CI's two cores, one file at a time,
    // while most files spend their time waiting on a child process or a socket.
    maxWorkers: 2,
  },
});
