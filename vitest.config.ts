import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run the TypeScript sources: the package's own names map to them, not to dist/
    // (package.json "exports", for installed copies). Same mapping as tsconfig.json "paths".
    alias: [
      { find: /^npugen$/, replacement: src('./index.ts') },
      { find: /^npugen\/golden$/, replacement: src('./sim/golden/index.ts') },
      { find: /^npugen\/generators$/, replacement: src('./catalog/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Simulator suites compile with Verilator; give them room but keep unit tests fast.
    // Cold Verilator builds of arrays take minutes on a loaded 2-core machine.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Verilator builds of the suite's short runs at -O0: about a quarter less g++ time, cold.
    env: { NPUGEN_VERILATOR_OPT: '-O0' },
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
