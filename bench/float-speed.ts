/**
 * Issue #12 item 3: the float and MX golden models' bulk speed next to Verilator's simulation of
 * the same designs, and the float/int command ratio, all in one run.
 *
 *   npx tsx bench/float-speed.ts [--vectors 1000000] [--reps 3] [--sim-runs 5] [--no-commands]
 *                                [--designs fp_mac_bf16,mx_dot_fp4,...] [--json bench/results/float-speed.json]
 *
 * Per example design: golden vectors/s = vectors / CPU seconds of the model's random stimulus
 * (`randomSet` or `random`) plus expectation (`expectedStream` or `expected`), and Verilator's
 * rate = vectors / the CPU seconds (user + system, `/usr/bin/time`) of the simulation
 * `verifyDesign` ran (its replay.sh line: simulation and compare in the compiled testbench, build
 * cached), re-run on the same vector files right after `verifyDesign` checked that it passes:
 * --sim-runs times (default 5) under one `/usr/bin/time`, and the mean taken, because one run of
 * a one-operation design is 0.07-0.1 CPU s and /usr/bin/time counts in 10 ms steps (one run's
 * ratio moved by 15%). Both sides are then CPU seconds of the same process work, which the machine's
 * load does not stretch; the wall rates (the model's, and `verifyDesign`'s simulate phase) are
 * reported next to them. Then `npugen verify <design> --vectors N --sim verilator` as a command
 * (the packaged bin; `npm run build` first) for examples/fp_mac_bf16.yaml and examples/mac_i8.yaml,
 * alternating, warm build cache, best of --reps wall times, and their ratio (target <= 8).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadDesign } from '../cli/design-file.ts';
import { verifyDesign } from '../sim/cosim/verify.ts';
import { expectedVectors, forEachRandomChunk, type TransactionModel } from '../sim/models/types.ts';
import { Rng } from '../sim/random.ts';
import { argValue, fmt, hasFlag, machineLoad, si, table } from './lib/util.ts';

const N = Number(argValue('vectors', '1000000'));
const REPS = Number(argValue('reps', '3'));
const SIM_RUNS = Number(argValue('sim-runs', '5'));
const jsonOut = argValue('json', 'bench/results/float-speed.json');

const ALL_DESIGNS = [
  'fp_mul_e4m3', 'fp_mul_bf16_p2', 'fp_mac_bf16', 'fp_mac_e4m3_e5m2_fp32', 'fp_dot_e4m3x8', 'fp_dot_e4m3x4_p2',
  'fp_convert_fp32_e4m3', 'fp_convert_fp32_int8', 'fp_convert_int8_fp16', 'mx_dot_e4m3', 'mx_dot_fp4', 'systolic_os_2x2_bf16',
];
const DESIGNS = argValue('designs', '') === '' ? ALL_DESIGNS : argValue('designs', '').split(',');

const cpuSeconds = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

/**
 * CPU seconds of the golden model on `n` random vectors, chunk by chunk as `verify` streams them
 * (`writeVectorStream`: draw, expect, release both chunks' storage); and its wall seconds.
 */
function goldenSeconds(model: TransactionModel, n: number): { stimulus: number; expected: number; wall: number; fast: boolean } {
  let stimulus = 0;
  let expected = 0;
  const stream = model.expectedStream?.();
  const wall0 = performance.now();
  let t = cpuSeconds();
  forEachRandomChunk(model, n, new Rng(4), (chunk) => {
    const t1 = cpuSeconds();
    stimulus += t1 - t;
    const e = stream ? stream(chunk) : expectedVectors(model, chunk);
    // As `writeVectorStream` does once a chunk is written: the next chunk reuses the storage.
    chunk.release();
    e.release();
    t = cpuSeconds();
    expected += t - t1;
  });
  return { stimulus, expected, wall: (performance.now() - wall0) / 1000, fast: stream !== undefined && model.randomSet !== undefined };
}

/**
 * CPU (user + system) and wall seconds of the simulate step of the run in `runDir`: the last
 * command of its replay.sh, under /usr/bin/time (whose rusage covers the shell and the simulator
 * it waits for; `process.cpuUsage` does not cover children).
 */
async function simulationSeconds(runDir: string): Promise<{ cpu: number; wall: number }> {
  const script = (await readFile(join(runDir, 'replay.sh'), 'utf8')).trimEnd().split('\n');
  const line = script[script.length - 1]!;
  if (!line.startsWith('(cd "$RUN"/')) throw new Error(`${runDir}/replay.sh: last line is not the simulate step: ${line}`);
  await rm(join(runDir, 'result.txt'), { force: true });
  const runs = Array.from({ length: SIM_RUNS }, () => line).join(' && ');
  const r = spawnSync('/usr/bin/time', ['-f', 'NPUGEN_TIME %e %U %S', 'sh', '-c', `RUN="$(pwd)"; ${runs}`], { cwd: runDir, encoding: 'utf8' });
  const m = /NPUGEN_TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || m === null) throw new Error(`${runDir}: timed simulation failed (exit ${r.status})\n${r.stderr}`);
  const result = await readFile(join(runDir, 'result.txt'), 'utf8');
  if (!/\bPASS\b|mismatches[= ]0\b/i.test(result)) process.stderr.write(`note: ${runDir}/result.txt: ${result.slice(0, 200)}\n`);
  return { wall: Number(m[1]) / SIM_RUNS, cpu: (Number(m[2]) + Number(m[3])) / SIM_RUNS };
}

interface Row {
  design: string;
  fastPath: boolean;
  goldenVps: number;
  stimulusAndGoldenVps: number;
  /** Vectors per CPU second of the Verilator simulation. */
  verilatorVps: number;
  /** CPU over CPU: stimulus + golden against the Verilator simulation (target >= 1). */
  goldenOverVerilator: number;
  stimulusAndGoldenWallVps: number;
  /** Vectors per wall second of `verifyDesign`'s simulate phase. */
  verilatorWallVps: number;
}

async function benchModels(base: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of DESIGNS) {
    const l = await loadDesign(`examples/${name}.yaml`);
    const model = l.model!;
    const runDir = join(base, name);
    process.stderr.write(`[${name}] verilator warm-up (build)\n`);
    await verifyDesign(l.design, { model, simulators: ['verilator'], vectors: 1000, seed: 4, corners: false, runDirFor: () => runDir, removeRunDirsOnPass: false });
    let best = { golden: Infinity, both: Infinity, bothWall: Infinity, sim: Infinity, simWall: Infinity, fast: false };
    for (let r = 0; r < REPS; r++) {
      const g = goldenSeconds(model, N);
      const v = await verifyDesign(l.design, { model, simulators: ['verilator'], vectors: N, seed: 4, corners: false, runDirFor: () => runDir });
      const o = v.outcomes[0]!;
      if (!o.passed) throw new Error(`${name}: verilator run failed`);
      const s = await simulationSeconds(runDir);
      best = {
        golden: Math.min(best.golden, g.expected), both: Math.min(best.both, g.stimulus + g.expected), bothWall: Math.min(best.bothWall, g.wall),
        sim: Math.min(best.sim, s.cpu), simWall: Math.min(best.simWall, (o.timingsMs['simulateMs'] ?? NaN) / 1000), fast: g.fast,
      };
    }
    const row: Row = {
      design: name, fastPath: best.fast, goldenVps: N / best.golden, stimulusAndGoldenVps: N / best.both, verilatorVps: N / best.sim,
      goldenOverVerilator: best.sim / best.both, stimulusAndGoldenWallVps: N / best.bothWall, verilatorWallVps: N / best.simWall,
    };
    process.stderr.write(`[${name}] golden ${si(row.goldenVps)}/s, stimulus+golden ${si(row.stimulusAndGoldenVps)}/s, verilator ${si(row.verilatorVps)}/s (CPU)\n`);
    rows.push(row);
    await rm(runDir, { recursive: true, force: true });
  }
  return rows;
}

/** Wall seconds of `npugen verify <file> --vectors N --sim verilator` (exit 0 required). */
function runCommand(file: string): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bin/npugen.mjs', 'verify', file, '--vectors', String(N), '--sim', 'verilator'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npugen verify ${file}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return (performance.now() - t) / 1000;
}

function benchCommands(): { fpMacS: number; macS: number; ratio: number } {
  const files = ['examples/fp_mac_bf16.yaml', 'examples/mac_i8.yaml'];
  for (const f of files) runCommand(f); // warm the build cache
  const times: number[][] = [[], []];
  for (let r = 0; r < REPS; r++) files.forEach((f, k) => times[k]!.push(runCommand(f)));
  const [fpMacS, macS] = times.map((ts) => Math.min(...ts)) as [number, number];
  return { fpMacS, macS, ratio: fpMacS / macS };
}

const loadBefore = machineLoad();
const base = await mkdtemp(join(tmpdir(), 'npugen-fs-'));
const rows = await benchModels(base);
const commands = hasFlag('no-commands') ? undefined : benchCommands();
const loadAfter = machineLoad();
await rm(base, { recursive: true, force: true });

process.stdout.write(`\nfloat golden models vs Verilator, ${si(N)} vectors, best of ${REPS}; load ${loadBefore.loadavg.join('/')} -> ${loadAfter.loadavg.join('/')} (${loadAfter.cores} cores)\n\n`);
process.stdout.write(`${table(
  ['design', 'fast path', 'golden vec/s (CPU)', 'stimulus+golden (CPU)', 'verilator (CPU)', 'CPU ratio (>= 1)', 'stimulus+golden (wall)', 'verilator (wall)'],
  rows.map((r) => [r.design, r.fastPath ? 'yes' : 'rows', si(r.goldenVps), si(r.stimulusAndGoldenVps), si(r.verilatorVps), fmt(r.goldenOverVerilator), si(r.stimulusAndGoldenWallVps), si(r.verilatorWallVps)]),
)}\n`);
if (commands) process.stdout.write(`\nnpugen verify --vectors ${si(N)} --sim verilator as a command: fp_mac_bf16 ${fmt(commands.fpMacS, 2)} s, mac_i8 ${fmt(commands.macS, 2)} s, ratio ${fmt(commands.ratio, 2)} (target <= 8)\n`);
await mkdir(dirname(jsonOut), { recursive: true });
await writeFile(jsonOut, `${JSON.stringify({ vectors: N, reps: REPS, date: new Date().toISOString(), loadBefore, loadAfter, rows, commands }, null, 2)}\n`);
process.stdout.write(`written ${jsonOut}\n`);
