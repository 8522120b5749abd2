import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Simulator suites compile with Verilator; give them room but keep unit tests fast.
    // Cold Verilator builds of arrays take minutes on a loaded 2-core machine.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
