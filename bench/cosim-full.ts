/**
 * The full co-simulation matrix of the test suites: every configuration on both Icarus and
 * Verilator. The README's test command runs each configuration on one simulator (alternating,
 * see `runsOn` in test/helpers/simulators.ts) to stay within its time budget; this runs the
 * suites that split their configurations with NPUGEN_COSIM=full.
 *
 *   npx tsx bench/cosim-full.ts [extra vitest arguments]
 *
 * Exits with vitest's exit code (0 when every configuration passed on both simulators).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLine } from './lib/util.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Test files that call `runsOn` or read NPUGEN_COSIM: the ones whose default run is a split or trimmed. */
function splitSuites(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...splitSuites(p));
    else if (e.name.endsWith('.test.ts') && /\brunsOn\(|NPUGEN_COSIM/.test(readFileSync(p, 'utf8'))) out.push(relative(ROOT, p));
  }
  return out.sort();
}

const suites = splitSuites(join(ROOT, 'test'));
console.log(`cosim-full: ${suites.length} suites with NPUGEN_COSIM=full; ${loadLine()}`);
const started = Date.now();
const r = spawnSync('npx', ['vitest', 'run', ...suites, ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, NPUGEN_COSIM: 'full', NPUGEN_REQUIRE_SIMULATORS: '1' },
});
console.log(`cosim-full: ${((Date.now() - started) / 1000).toFixed(0)} s; ${loadLine()}`);
process.exit(r.status ?? 1);
