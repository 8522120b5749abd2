/**
 * Issue #6 verification volume of the fp16 / bf16 MACs: `fp_mac` built from the generator
 * registry, checked bit for bit against the golden model (sim/models/float-mac.ts) with all of
 * the model's corner vectors plus N seeded random vectors, on Verilator and on Icarus.
 *
 *   npx tsx bench/float-volume.ts [--vectors 1000000] [--icarus-vectors 1000000]
 *     [--icarus-budget 900] [--sims verilator,icarus] [--only NAME,NAME] [--seed 1] [--json PATH]
 *     [--coverage-random N (default --vectors; -1 = skip)]
 *
 * Icarus is slow, so it first runs a 10^4-vector probe and predicts the time of the asked count;
 * when that exceeds --icarus-budget seconds (0 = no limit) it runs the largest count that fits
 * and records the reduction. Each row gives vectors checked (corners + random), mismatches, the
 * wall time of verifyDesign (stimulus, golden model, vector files, compile, simulation) and
 * vectors/s, plus the simulator's own phase times. It also counts which corner classes (NaN,
 * ±Inf, ±0, subnormals, max finite, overflow to Inf, ties, ...) the corner rows and the random
 * rows actually hit (bench/lib/float-mac-coverage.ts). Writes bench/results/float-volume.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyDesign, type SimChoice } from '../sim/cosim/verify.ts';
import { Rng } from '../sim/random.ts';
import { floatFormat } from '../sim/golden/index.ts';
import { COVERAGE_CLASSES, macCoverage, type Coverage } from './lib/float-mac-coverage.ts';
import { buildCase, selectCases, type BuiltCase, type RegistryCase } from './lib/registry-case.ts';
import { sourceState } from './lib/source-state.ts';
import { argValue, fmt, loadLine, machineLoad, si, table } from './lib/util.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROBE_VECTORS = 10_000;

// fp16·fp16 and bf16·bf16 products are exact in fp32 (22 / 16 significand bits), so unfused into
// fp32 differs from fused only where the bf16 product overflows or underflows fp32 (and fp16 ->
// fp32 unfused equals fused bit for bit); the fp16 accumulator makes the unfused product rounding real.
const CASES: readonly RegistryCase[] = [
  { name: 'fp_mac_fp16_fp32', generator: 'fp_mac', params: '{ a: fp16, b: fp16, accumulator: fp32, fused: true, subnormals: ieee }' },
  { name: 'fp_mac_bf16_fp32', generator: 'fp_mac', params: '{ a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: ieee }' },
  { name: 'fp_mac_bf16_fp32_unfused', generator: 'fp_mac', params: '{ a: bf16, b: bf16, accumulator: fp32, fused: false, subnormals: ieee }' },
  { name: 'fp_mac_bf16_fp32_flush', generator: 'fp_mac', params: '{ a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: flush }' },
  { name: 'fp_mac_fp16_fp16', generator: 'fp_mac', params: '{ a: fp16, b: fp16, accumulator: fp16, fused: true, subnormals: ieee }' },
  { name: 'fp_mac_fp16_fp16_unfused', generator: 'fp_mac', params: '{ a: fp16, b: fp16, accumulator: fp16, fused: false, subnormals: ieee }' },
  { name: 'fp_mac_bf16_bf16', generator: 'fp_mac', params: '{ a: bf16, b: bf16, accumulator: bf16, fused: true, subnormals: ieee }' },
];

interface Row {
  readonly name: string;
  readonly params: string;
  readonly simulator: SimChoice;
  readonly probe: boolean;
  readonly corners: number;
  readonly random: number;
  readonly checked: number;
  readonly passed: boolean;
  readonly mismatches: number;
  readonly xz: number;
  readonly divergences: number;
  readonly seconds: number;
  readonly vectorsPerSecond: number;
  readonly simulateVectorsPerSecond: number;
  readonly timingsMs: Readonly<Record<string, number>>;
  readonly firstMismatches: readonly string[];
  readonly note?: string;
  readonly load: ReturnType<typeof machineLoad>;
}

/** One verifyDesign run of `random` random vectors + all corners on one simulator. */
async function runOne(c: RegistryCase, built: BuiltCase, simulator: SimChoice, random: number, seed: number, probe: boolean): Promise<Row> {
  const started = performance.now();
  const r = await verifyDesign(built.design, { model: built.model, simulators: [simulator], vectors: random, seed, corners: true, maxMismatchRecords: 3 });
  const seconds = (performance.now() - started) / 1000;
  const o = r.outcomes[0]!;
  const simulateMs = o.timingsMs['simulateMs'] ?? o.timingsMs['simulate'] ?? NaN;
  return {
    name: c.name, params: c.params, simulator, probe,
    corners: r.stimulusCounts.corners, random: r.stimulusCounts.random, checked: o.counts.checked,
    passed: o.passed && o.counts.checked === r.stimulusCounts.corners + r.stimulusCounts.random, mismatches: o.counts.mismatches, xz: o.counts.xz,
    divergences: r.divergences.length, seconds,
    vectorsPerSecond: o.counts.checked / seconds,
    simulateVectorsPerSecond: o.counts.checked / (simulateMs / 1000),
    timingsMs: o.timingsMs,
    firstMismatches: o.mismatches.map((m) => `vector ${m.vectorIndex} ${m.port}: got ${m.got === null ? 'x' : m.got.toString(16)} expected ${m.expected.toString(16)}`),
    load: machineLoad(),
  };
}

/** Random vectors Icarus can run within `budgetS` seconds at the probe's rate (rounded down to 10^4). */
export function icarusCountWithin(probe: Row, wanted: number, budgetS: number): { count: number; predictedS: number } {
  const predictedS = (probe.corners + wanted) / probe.vectorsPerSecond;
  if (budgetS <= 0 || predictedS <= budgetS) return { count: wanted, predictedS };
  const fits = Math.floor((budgetS * probe.vectorsPerSecond - probe.corners) / 10_000) * 10_000;
  return { count: Math.max(PROBE_VECTORS, fits), predictedS };
}

function log(row: Row): void {
  const verdict = row.passed ? 'PASS' : `FAIL (${row.mismatches} mismatches${row.checked !== row.corners + row.random ? `, ${row.checked} of ${row.corners + row.random} checked` : ''})`;
  console.log(`${row.name.padEnd(26)} ${row.simulator.padEnd(9)}${row.probe ? ' probe' : ''} ${String(row.checked).padStart(8)} vectors  ${verdict}  ${fmt(row.seconds, 1)} s  ${si(row.vectorsPerSecond)} vec/s  [${loadLine()}]${row.note ? `  ${row.note}` : ''}`);
  for (const m of row.firstMismatches) console.log(`    ${m}`);
}

interface CaseCoverage {
  readonly corners: Coverage;
  readonly random: Coverage;
  readonly randomRows: number;
  /** Rows where the coverage recomputation disagrees with the model (0 = it mirrors the model). */
  readonly disagreements: number;
}

/** Corner classes hit by the corner rows and by the first `randomRows` random rows of the verification stimulus (same seed). */
function coverageOf(built: BuiltCase, randomRows: number, seed: number): CaseCoverage {
  const p = built.params;
  const shape = {
    a: floatFormat(p['a'] as string), b: floatFormat(p['b'] as string), accumulator: floatFormat(p['accumulator'] as string),
    fused: p['fused'] as boolean, flush: p['subnormals'] === 'flush',
  };
  // The verification stimulus without exhaustive rows: corners, then random rows from Rng(seed).
  const cornerRows = built.model.corners();
  const rows = [...cornerRows, ...built.model.random(randomRows, new Rng(seed))];
  const expected = built.model.expected(rows);
  const split = cornerRows.length;
  // The random rows continue from the accumulator the corner rows left, as in the simulation.
  const all = macCoverage(shape, rows, expected);
  const corners = macCoverage(shape, rows.slice(0, split), expected.slice(0, split));
  const random: Coverage = {};
  for (const [k, n] of Object.entries(all.counts)) if (n - (corners.counts[k] ?? 0) > 0) random[k] = n - (corners.counts[k] ?? 0);
  return { corners: corners.counts, random, randomRows, disagreements: all.disagreements };
}

/** Verilator at the full count; Icarus after a probe, at the count that fits the budget. */
async function runCase(c: RegistryCase, built: BuiltCase, sims: readonly string[], opts: { vectors: number; icarusVectors: number; budgetS: number; seed: number }): Promise<Row[]> {
  const rows: Row[] = [];
  const push = (r: Row): Row => { rows.push(r); log(r); return r; };
  if (sims.includes('verilator')) push(await runOne(c, built, 'verilator', opts.vectors, opts.seed, false));
  if (!sims.includes('icarus')) return rows;
  if (opts.icarusVectors <= PROBE_VECTORS) {
    push(await runOne(c, built, 'icarus', opts.icarusVectors, opts.seed, false));
    return rows;
  }
  const probe = push(await runOne(c, built, 'icarus', PROBE_VECTORS, opts.seed, true));
  const { count, predictedS } = icarusCountWithin(probe, opts.icarusVectors, opts.budgetS);
  const note = `predicted ${fmt(predictedS, 0)} s for ${opts.icarusVectors} random from the probe${count < opts.icarusVectors ? `; over the ${opts.budgetS} s budget, ran ${count}` : ''}`;
  console.log(`  ${c.name} icarus: ${note}`);
  const full = await runOne(c, built, 'icarus', count, opts.seed, false);
  push({ ...full, note });
  return rows;
}

function summary(rows: readonly Row[]): string {
  return table(
    ['design', 'simulator', 'corners', 'random', 'checked', 'result', 'mismatches', 'wall s', 'vec/s', 'sim-only vec/s'],
    rows.filter((r) => !r.probe).map((r) => [r.name, r.simulator, String(r.corners), String(r.random), String(r.checked), r.passed ? 'PASS' : 'FAIL',
      String(r.mismatches), fmt(r.seconds, 1), si(r.vectorsPerSecond), si(r.simulateVectorsPerSecond)]),
  );
}

/** Rows: corner classes (the expected ones first, listed even when never hit); columns: cases, `corners / random` hits. */
function coverageTable(coverage: Readonly<Record<string, CaseCoverage>>): string {
  const names = Object.keys(coverage);
  const seen = names.flatMap((n) => [...Object.keys(coverage[n]!.corners), ...Object.keys(coverage[n]!.random)]);
  const classes = [...new Set([...COVERAGE_CLASSES, ...seen])];
  return `corner classes hit (enabled steps; corners / random rows):\n${table(['class', ...names], classes.map((k) => [k, ...names.map((n) => `${coverage[n]!.corners[k] ?? 0} / ${coverage[n]!.random[k] ?? 0}`)]))}`;
}

async function main(): Promise<void> {
  const opts = {
    vectors: Number(argValue('vectors', '1000000')),
    icarusVectors: Number(argValue('icarus-vectors', '1000000')),
    budgetS: Number(argValue('icarus-budget', '900')),
    seed: Number(argValue('seed', '1')),
  };
  const sims = argValue('sims', 'verilator,icarus').split(',');
  const out = argValue('json', join(HERE, 'results', 'float-volume.json'));
  const cases = selectCases(CASES, argValue('only', ''));
  const source = sourceState(['dsl', 'generators', 'sim', 'templates']);
  const loadBefore = machineLoad();
  console.log(`RTL, models and testbench from ${source.commit.slice(0, 10)}${source.dirty.length > 0 ? ` + uncommitted: ${source.dirty.join(', ')}` : ''}`);
  console.log(`float MAC volume: ${opts.vectors} random on verilator, ${opts.icarusVectors} on icarus (budget ${opts.budgetS || 'none'} s), + corners, seed ${opts.seed}; ${loadLine()}`);
  const coverageRows = Number(argValue('coverage-random', String(opts.vectors)));
  const rows: Row[] = [];
  const coverage: Record<string, CaseCoverage> = {};
  for (const c of cases) {
    const built = buildCase(c);
    if (coverageRows >= 0) {
      const started = performance.now();
      coverage[c.name] = coverageOf(built, coverageRows, opts.seed);
      console.log(`${c.name}: corner-class coverage of corners + ${coverageRows} random rows in ${fmt((performance.now() - started) / 1000, 1)} s (disagreements with the model: ${coverage[c.name]!.disagreements})`);
    }
    rows.push(...(await runCase(c, built, sims, opts)));
  }
  const loadAfter = machineLoad();
  if (coverageRows >= 0) console.log(`\n${coverageTable(coverage)}`);
  console.log(`\n${summary(rows)}\nload before: ${loadBefore.loadavg.join(' / ')}; after: ${loadAfter.loadavg.join(' / ')} (1/5/15 min, ${loadAfter.cores} cores)`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), argv: process.argv.slice(2), source, ...opts, sims, loadBefore, loadAfter, rows, coverage }, null, 2)}\n`);
  console.log(`written ${out}`);
  if (rows.some((r) => !r.passed)) process.exitCode = 1;
}

await main();
