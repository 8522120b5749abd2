/**
 * Issue #4: end-to-end throughput of `verifyDesign` (stimulus, golden model, vector files,
 * cached compile, simulation, result parsing) on the int8 MAC and the 16-lane int8 dot
 * product, next to a hand-written Verilator C++ harness run in the same process on the same
 * vector files (bench/lib/hand-harness.ts) and a "hand flow" (plain-JS typed-array stimulus and
 * golden model written straight to the binary files, then the harness).
 *
 *   npx tsx bench/verify-throughput.ts [--vectors 1000000] [--reps 3] [--no-icarus]
 *                                      [--icarus-vectors N] [--json bench/results/verify-throughput.json]
 *
 * Shared 2-core machines: every comparison is a ratio inside one run; npugen and the harness
 * runs alternate, each number is the best of --reps, and the load average is printed.
 * Icarus runs 10^5 vectors instead of --vectors when a 10^5 probe predicts more than 2 minutes.
 * Icarus rows also run a hand-written streaming Icarus testbench (bench/reference/icarus_tb_*.v:
 * $readmemh, transaction-level checks) on the same generated DUT and the run's own hex files
 * (issue #12 item 6: generated/hand <= 1.25), and, for the MAC, on the hand-written DUT too.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadDesign } from '../cli/design-file.ts';
import { verifyDesign, type SimulatorOutcome } from '../sim/cosim/verify.ts';
import { testbenchModelOf } from '../sim/cosim/ir-testbench.ts';
import { emitVerilog } from '../generators/verilog/emit.ts';
import { runInvocation } from '../sim/runner.ts';
import type { SimulatorName } from '../sim/cosim-run.ts';
import type { TransactionModel } from '../sim/models/types.ts';
import type { Design } from '../dsl/ir/nodes.ts';
import { BINARY_HEADER_BYTES, BINARY_MAGIC } from '../sim/vectors.ts';
import { buildHandHarness, type BuiltHarness } from './lib/hand-harness.ts';
import { argValue, fmt, hasFlag, loadLine, machineLoad, si, table } from './lib/util.ts';

const N = Number(argValue('vectors', '1000000'));
const REPS = Number(argValue('reps', '3'));
const ICARUS_LIMIT_S = 120;
const SEED = 4;
const jsonOut = argValue('json', 'bench/results/verify-throughput.json');

interface Bench {
  readonly name: string;
  readonly file: string;
  /** Plain-JS golden of the hand flow: fills expected bytes from stimulus bytes. */
  readonly handGolden: (stim: Uint8Array, exp: Uint8Array, n: number) => void;
  /** Hand-written streaming Icarus testbench (top `hand_tb`, -DN=vectors) over the run's hex files. */
  readonly icarusTb: string;
  /** A hand-written DUT with the same ports and latency, for the DUT-side comparison (optional). */
  readonly handDut?: string;
}

/** mac: a,b int8, en, clear; acc_out int32 wrapping (rows: 4 bytes in, 4 bytes out). */
function macHandGolden(stim: Uint8Array, exp: Uint8Array, n: number): void {
  const s8 = new Int8Array(stim.buffer, stim.byteOffset, stim.length);
  const out = new Int32Array(exp.buffer, exp.byteOffset, n);
  let acc = 0;
  for (let v = 0; v < n; v++) {
    const o = 4 * v;
    const base = stim[o + 3] === 1 ? 0 : acc;
    acc = stim[o + 2] === 1 ? (base + Math.imul(s8[o]!, s8[o + 1]!)) | 0 : base;
    out[v] = acc;
  }
}

/** dot: a0..a15, b0..b15 int8; y int20 (3 bytes). */
function dotHandGolden(stim: Uint8Array, exp: Uint8Array, n: number): void {
  const s8 = new Int8Array(stim.buffer, stim.byteOffset, stim.length);
  for (let v = 0; v < n; v++) {
    const o = 32 * v;
    let y = 0;
    for (let i = 0; i < 16; i++) y += s8[o + i]! * s8[o + 16 + i]!;
    const e = 3 * v;
    exp[e] = y & 255; exp[e + 1] = (y >> 8) & 255; exp[e + 2] = (y >> 16) & 15;
  }
}

const BENCHES: readonly Bench[] = [
  { name: 'mac_i8', file: 'examples/mac_i8.yaml', handGolden: macHandGolden, icarusTb: 'bench/reference/icarus_tb_mac_i8.v', handDut: 'bench/reference/mac_i8.v' },
  { name: 'dot_i8x16', file: 'examples/dot_i8x16.yaml', handGolden: dotHandGolden, icarusTb: 'bench/reference/icarus_tb_dot_i8x16.v' },
];

interface Loaded {
  readonly design: Design;
  readonly model: TransactionModel;
}

async function load(file: string): Promise<Loaded> {
  const l = await loadDesign(file);
  const model = l.model;
  if (model === undefined) throw new Error(`${file}: not a generator design file (no golden model)`);
  return { design: l.design, model };
}

interface E2e {
  readonly totalMs: number;
  /** verifyDesign start → first simulator phase: stimulus, golden, emit, testbench model. */
  readonly prepMs: number;
  /** verifyDesign's own figure: stimulus + golden + (streamed) vector files. */
  readonly vectorsMs: number;
  readonly outcome: SimulatorOutcome;
}

async function e2e(x: Loaded, simulator: SimulatorName, vectors: number, runDir: string): Promise<E2e> {
  const started = performance.now();
  let prepMs = NaN;
  const r = await verifyDesign(x.design, {
    model: x.model, simulators: [simulator], vectors, seed: SEED, corners: false,
    runDirFor: () => runDir,
    onPhase: (p) => { if (Number.isNaN(prepMs) && p.startsWith('simulate')) prepMs = performance.now() - started; },
  });
  const totalMs = performance.now() - started;
  const outcome = r.outcomes[0]!;
  if (!outcome.passed) throw new Error(`${simulator}: verification failed (${outcome.counts.mismatches} mismatches)`);
  if (outcome.counts.checked !== vectors) throw new Error(`${simulator}: checked ${outcome.counts.checked} of ${vectors}`);
  return { totalMs, prepMs, vectorsMs: r.vectorsMs, outcome };
}

/** The Verilog emission verifyDesign does before simulating, timed apart. */
function timeEmit(x: Loaded): number {
  const t = performance.now();
  emitVerilog(x.design);
  return performance.now() - t;
}

/** Hand flow: xorshift stimulus bytes, plain-JS golden, both files written, then the harness. */
async function handFlow(b: Bench, harness: BuiltHarness, stimBytes: number, expBytes: number, vectors: number, dir: string): Promise<{ totalMs: number; genMs: number; simMs: number }> {
  const started = performance.now();
  const file = (rowBytes: number): Buffer => {
    const buf = Buffer.alloc(BINARY_HEADER_BYTES + rowBytes * vectors);
    buf.write(BINARY_MAGIC, 0, 'latin1');
    buf.writeUInt32LE(rowBytes, 8);
    buf.writeUInt32LE(vectors, 12);
    return buf;
  };
  const stim = file(stimBytes);
  const exp = file(expBytes);
  const body = stim.subarray(BINARY_HEADER_BYTES);
  let s = 0x9e3779b9 | 0;
  const words = new Int32Array(body.buffer, body.byteOffset, Math.floor(body.length / 4));
  for (let i = 0; i < words.length; i++) { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; words[i] = s; }
  if (b.name === 'mac_i8') for (let v = 0; v < vectors; v++) { body[4 * v + 2] = body[4 * v + 2]! & 7 ? 1 : 0; body[4 * v + 3] = body[4 * v + 3]! & 7 ? 0 : 1; }
  b.handGolden(body, exp.subarray(BINARY_HEADER_BYTES), vectors);
  await writeFile(join(dir, 'stimulus.bin'), stim);
  await writeFile(join(dir, 'expected.bin'), exp);
  const genMs = performance.now() - started;
  const r = await runInvocation(harness.run(join(dir, 'stimulus.bin'), join(dir, 'expected.bin')), { timeoutMs: 600_000 });
  if (!/bad=0 /.test(r.output)) throw new Error(`hand flow failed: ${r.output}`);
  return { totalMs: performance.now() - started, genMs, simMs: r.durationMs };
}

interface WallCpu {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** The best wall and the best CPU time of several runs. */
function fastest(xs: readonly WallCpu[]): WallCpu {
  return { wallMs: Math.min(...xs.map((x) => x.wallMs)), cpuMs: Math.min(...xs.map((x) => x.cpuMs)) };
}

/** Wall and CPU (user + system) ms of `vvp -n <args>` run in `cwd` under /usr/bin/time; its stdout. */
function timedVvp(cwd: string, args: readonly string[]): { wallMs: number; cpuMs: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'NPUGEN_CPU %U %S', 'vvp', '-n', ...args], { cwd, encoding: 'utf8' });
  const wallMs = performance.now() - t;
  const m = /NPUGEN_CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`vvp ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { wallMs, cpuMs: (Number(m[1]) + Number(m[2])) * 1000, stdout: r.stdout };
}

/**
 * The hand-written Icarus testbench (`b.icarusTb`) driving `dut` on the run's own hex vector files
 * (`runDir/vectors`), compiled once per (dut, vectors) into `dir`; it must check every vector with none bad.
 */
function handIcarus(b: Bench, dut: string, runDir: string, vectors: number, dir: string): { wallMs: number; cpuMs: number } {
  mkdirSync(dir, { recursive: true });
  const vvp = join(dir, `hand-${vectors}.vvp`);
  const c = spawnSync('iverilog', ['-g2005', `-DN=${vectors}`, '-s', 'hand_tb', '-o', vvp, dut, b.icarusTb], { encoding: 'utf8' });
  if (c.status !== 0) throw new Error(`iverilog (hand testbench): ${c.stderr}`);
  const r = timedVvp(runDir, [vvp, `+vectors=${vectors}`, '+stim=vectors/stimulus.hex', '+exp=vectors/expected.hex']);
  if (!new RegExp(`bad=0 checked=${vectors}\\b`).test(r.stdout)) throw new Error(`hand Icarus testbench failed: ${r.stdout}`);
  return r;
}

/** The generated testbench's own simulation (the run's build/sim.vvp, as its replay.sh runs it), timed with CPU. */
function generatedIcarus(runDir: string, vectors: number): { wallMs: number; cpuMs: number } {
  const r = timedVvp(runDir, ['build/sim.vvp', `+vectors=${vectors}`, '+stim=vectors/stimulus.hex', '+exp=vectors/expected.hex', '+result=result-bench.txt', '+max_records=100']);
  return r;
}

interface Row {
  design: string;
  simulator: SimulatorName;
  vectors: number;
  note?: string;
  e2eMs: number;
  phasesMs: Record<string, number>;
  compileCached: boolean;
  harnessMs: number;
  handFlowMs: number;
  handFlowGenMs: number;
  e2eVps: number;
  simCompareVps: number;
  harnessVps: number;
  simCompareOverHarness: number;
  e2eOverHarness: number;
  e2eOverHandFlow: number;
  /**
   * Icarus: the generated testbench (the run's sim.vvp) and the hand-written streaming testbench on
   * the same generated DUT and hex files, simulation only, wall and CPU ms; ratios generated/hand (target <= 1.25).
   */
  icarusTb?: { generated: { wallMs: number; cpuMs: number }; hand: { wallMs: number; cpuMs: number }; cpuRatio: number; wallRatio: number };
  /** Icarus: the hand-written testbench on the hand-written DUT (bench/reference), when there is one. */
  icarusHandTbHandDut?: { wallMs: number; cpuMs: number };
}

const minOf = (xs: readonly number[]): number => Math.min(...xs);

async function benchDesign(b: Bench, base: string, sims: readonly SimulatorName[]): Promise<Row[]> {
  const x = await load(b.file);
  const dir = join(base, b.name);
  const vdir = join(dir, 'verilator');
  process.stderr.write(`[${b.name}] warm-up verilator run (${N} vectors, builds or hits the compile cache)\n`);
  await e2e(x, 'verilator', N, vdir);
  // The harness reads copies of the run's own vector files.
  const hdir = join(dir, 'hand');
  await mkdir(join(hdir, 'vectors'), { recursive: true });
  for (const f of ['stimulus.bin', 'expected.bin']) await copyFile(join(vdir, 'vectors', f), join(hdir, 'vectors', f));
  const tbInputs = x.model.inputs.map(({ name, width, signed }) => ({ name, width, signed }));
  const tbOutputs = x.model.outputs.map(({ name, width, signed }) => ({ name, width, signed }));
  const tbm = testbenchModelOf(x.design, N, x.model.latency);
  const harness = await buildHandHarness(join(hdir, 'h'), join(base, 'cache'), {
    top: tbm.top, clock: tbm.clock!, ...(tbm.reset ? { reset: tbm.reset.name } : {}), inputs: tbInputs, outputs: tbOutputs, latency: x.model.latency,
  }, emitVerilog(x.design).map((f) => ({ name: f.fileName, text: f.text })));
  const stimBytes = tbInputs.reduce((s, p) => s + Math.ceil(p.width / 8), 0);
  const expBytes = tbOutputs.reduce((s, p) => s + Math.ceil(p.width / 8), 0);
  const runHarness = async (): Promise<number> => {
    const r = await runInvocation(harness.run(join(hdir, 'vectors', 'stimulus.bin'), join(hdir, 'vectors', 'expected.bin')), { timeoutMs: 600_000 });
    if (!new RegExp(`bad=0 checked=${N} `).test(r.output)) throw new Error(`hand harness failed: ${r.output}`);
    return r.durationMs;
  };

  const rows: Row[] = [];
  for (const sim of sims) {
    let vectors = N;
    let note: string | undefined;
    const runDir = join(dir, sim);
    if (sim === 'icarus') {
      const probe = Math.min(N, 100_000);
      process.stderr.write(`[${b.name}] icarus probe at ${probe} vectors (also warms its compile cache)\n`);
      const p = await e2e(x, 'icarus', probe, runDir);
      const predictedS = (p.outcome.timingsMs['simulateMs'] ?? p.outcome.timingsMs['simulate'] ?? p.totalMs) / 1000 * (N / probe);
      if (N > probe && predictedS > ICARUS_LIMIT_S) {
        vectors = probe;
        note = `icarus at ${probe} vectors: ${N} predicted ${fmt(predictedS, 0)} s (> ${ICARUS_LIMIT_S} s)`;
      }
    }
    const reps = sim === 'icarus' && vectors >= 1_000_000 ? 1 : REPS;
    const runs: E2e[] = [];
    const harnessMs: number[] = [];
    const hand: { totalMs: number; genMs: number }[] = [];
    const emitMs: number[] = [];
    const genTb: WallCpu[] = [];
    const handTb: WallCpu[] = [];
    const handTbHandDut: WallCpu[] = [];
    for (let i = 0; i < reps; i++) {
      process.stderr.write(`[${b.name}] ${sim} rep ${i + 1}/${reps}: ${loadLine()}\n`);
      runs.push(await e2e(x, sim, vectors, runDir));
      if (sim === 'icarus') {
        genTb.push(generatedIcarus(runDir, vectors));
        handTb.push(handIcarus(b, join(runDir, 'src', `${tbm.top}.v`), runDir, vectors, hdir));
        if (b.handDut !== undefined) handTbHandDut.push(handIcarus(b, b.handDut, runDir, vectors, join(hdir, 'ref')));
      }
      harnessMs.push(await runHarness());
      emitMs.push(timeEmit(x));
      hand.push(await handFlow(b, harness, stimBytes, expBytes, N, hdir));
      harnessMs.push(await runHarness());
    }
    await rm(join(runDir, 'vectors'), { recursive: true, force: true });
    const phase = (k: string): number => minOf(runs.map((r) => r.outcome.timingsMs[k] ?? NaN));
    const best = runs.reduce((a, r) => (r.totalMs < a.totalMs ? r : a));
    const phasesMs: Record<string, number> = {
      vectors: minOf(runs.map((r) => r.vectorsMs)),
      emitVerilog: minOf(emitMs),
      prepTotal: minOf(runs.map((r) => r.prepMs)),
      setup: phase('setupMs'),
      writeVectors: phase('writeVectorsMs'),
      compileCached: phase('compileMs'),
      simulate: phase('simulateMs'),
      parse: phase('parseMs'),
    };
    phasesMs['other'] = best.totalMs - best.prepMs - ['setupMs', 'writeVectorsMs', 'compileMs', 'simulateMs', 'parseMs'].reduce((s, k) => s + (best.outcome.timingsMs[k] ?? 0), 0);
    const e2eMs = best.totalMs;
    const hMs = minOf(harnessMs);
    const handMs = minOf(hand.map((h) => h.totalMs));
    const e2eVps = vectors / (e2eMs / 1000);
    const simCompareVps = vectors / ((phasesMs['simulate']! + phasesMs['parse']!) / 1000);
    const harnessVps = N / (hMs / 1000);
    const handFlowVps = N / (handMs / 1000);
    rows.push({
      design: b.name, simulator: sim, vectors, ...(note !== undefined ? { note } : {}),
      e2eMs, phasesMs, compileCached: runs.every((r) => r.outcome.compileCached === true),
      harnessMs: hMs, handFlowMs: handMs, handFlowGenMs: minOf(hand.map((h) => h.genMs)),
      e2eVps, simCompareVps, harnessVps,
      simCompareOverHarness: simCompareVps / harnessVps,
      e2eOverHarness: harnessVps / e2eVps,
      e2eOverHandFlow: handFlowVps / e2eVps,
      ...(handTb.length > 0 ? { icarusTb: { generated: fastest(genTb), hand: fastest(handTb), cpuRatio: fastest(genTb).cpuMs / fastest(handTb).cpuMs, wallRatio: fastest(genTb).wallMs / fastest(handTb).wallMs } } : {}),
      ...(handTbHandDut.length > 0 ? { icarusHandTbHandDut: fastest(handTbHandDut) } : {}),
    });
  }
  return rows;
}

async function main(): Promise<void> {
  const sims: SimulatorName[] = hasFlag('no-icarus') ? ['verilator'] : ['verilator', 'icarus'];
  const base = await mkdtemp(join(tmpdir(), 'npugen-vt-'));
  const loadBefore = machineLoad();
  const rows: Row[] = [];
  for (const b of BENCHES) rows.push(...(await benchDesign(b, base, sims)));
  const loadAfter = machineLoad();
  await rm(base, { recursive: true, force: true });

  const s = (ms: number): string => fmt(ms / 1000, 3);
  process.stdout.write(`\nverifyDesign throughput, best of ${REPS} (Icarus 10^6: 1 run), compile cached; ${N} vectors unless noted\n`);
  process.stdout.write(`load before: ${loadBefore.loadavg.join(' / ')}; after: ${loadAfter.loadavg.join(' / ')} (1/5/15 min, ${loadAfter.cores} cores)\n\n`);
  process.stdout.write(`${table(
    ['design', 'sim', 'vectors', 'e2e s', 'stim+golden+files', 'emit', 'prep', 'setup', 'writeVec', 'compile', 'simulate', 'parse', 'other'],
    rows.map((r) => [r.design, r.simulator, si(r.vectors), s(r.e2eMs), ...['vectors', 'emitVerilog', 'prepTotal', 'setup', 'writeVectors', 'compileCached', 'simulate', 'parse', 'other'].map((k) => s(r.phasesMs[k]!))]),
  )}\n\n`);
  process.stdout.write(`${table(
    ['design', 'sim', 'e2e vec/s', 'sim+cmp vec/s', 'harness vec/s', 'sim+cmp/harness (>=0.8)', 'harness/e2e slowdown (<=2)', 'handflow s', 'e2e/handflow'],
    rows.map((r) => [r.design, r.simulator, si(r.e2eVps), si(r.simCompareVps), si(r.harnessVps), fmt(r.simCompareOverHarness), `${fmt(r.e2eOverHarness, 1)}x`, s(r.handFlowMs), `${fmt(r.e2eOverHandFlow, 1)}x`]),
  )}\n`);
  const ic = rows.filter((r) => r.icarusTb !== undefined);
  if (ic.length > 0) {
    const ws = (t: { wallMs: number; cpuMs: number }): string => `${s(t.wallMs)} / ${s(t.cpuMs)}`;
    process.stdout.write(`\nIcarus, simulation only, wall s / CPU s (best of ${REPS}):\n${table(
      ['design', 'vectors', 'generated TB', 'hand TB (same DUT)', 'generated/hand CPU (<= 1.25)', 'wall', 'hand TB + hand DUT'],
      ic.map((r) => [r.design, si(r.vectors), ws(r.icarusTb!.generated), ws(r.icarusTb!.hand), fmt(r.icarusTb!.cpuRatio), fmt(r.icarusTb!.wallRatio), r.icarusHandTbHandDut !== undefined ? ws(r.icarusHandTbHandDut) : '-']),
    )}\n`);
  }
  for (const r of rows) if (r.note) process.stdout.write(`note: ${r.design}: ${r.note}\n`);
  process.stdout.write('harness = hand-written Verilator C++ main on the same vector files (simulation only); handflow = plain-JS typed-array stimulus + golden + binary files + the harness.\n');
  await mkdir(dirname(jsonOut), { recursive: true });
  await writeFile(jsonOut, `${JSON.stringify({ vectors: N, reps: REPS, seed: SEED, loadBefore, loadAfter, date: new Date().toISOString(), rows }, null, 2)}\n`);
  process.stdout.write(`written ${jsonOut}\n`);
}

await main();
