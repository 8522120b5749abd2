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
    // One module graph per worker for all its files (isolate: false): a fresh graph per file cost
    // ~120 s of the fresh-clone run's ~830 s CPU (collect + transform). Tests that change process
    // state (env, PATH, TMPDIR) restore it in finally/afterAll; module-level caches only memoize
    // pure results (tool probes, parsed formats), so reuse across files does not change outcomes.
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
  },
});
