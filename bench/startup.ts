/**
 * Issue #12, item 2: the `npugen` command's start-up and a 10^6-vector verify as a command.
 *
 *   npx tsx bench/startup.ts [--reps 21] [--vectors 1000000] [--verify-reps 3] [--json bench/results/startup.json]
 *
 * Same run, alternating, so load shifts hit both sides alike (shared 2-core machine):
 * - `node bin/npugen.mjs --version` against `node -e 0` (the floor of any Node command); the
 *   target is a median ratio <= 2.5;
 * - `node bin/npugen.mjs verify examples/mac_i8.yaml --sim verilator --vectors N` (compile cached,
 *   seed fixed) against the hand-written Verilator C++ harness (bench/lib/hand-harness.ts) run as
 *   a command on that run's own vector files; plus the same verify at 1 vector (its fixed cost).
 * dist/ is rebuilt first if stale: otherwise the bin would run the sources through tsx.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDesign } from '../cli/design-file.ts';
import { testbenchModelOf } from '../sim/cosim/ir-testbench.ts';
import { emitVerilog } from '../generators/verilog/emit.ts';
import { buildHandHarness } from './lib/hand-harness.ts';
import { argValue, fmt, loadLine, machineLoad, table } from './lib/util.ts';
import { sourceState } from './lib/source-state.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'npugen.mjs');
const REPS = Number(argValue('reps', '21'));
const N = Number(argValue('vectors', '1000000'));
const VERIFY_REPS = Number(argValue('verify-reps', '3'));
const jsonOut = argValue('json', 'bench/results/startup.json');
const DESIGN = 'examples/mac_i8.yaml';
const SEED = 3;

interface Timed {
  readonly ms: number;
  readonly stdout: string;
}

/** Wall time of a command from spawn to exit, as a script calling it sees it. */
function timeCommand(cmd: string, args: readonly string[], expectStatus = 0): Timed {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t;
  if (r.status !== expectStatus) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  if (r.stderr.includes('running the TypeScript sources')) throw new Error('the bin ran the sources: dist/ is stale');
  return { ms, stdout: r.stdout };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const min = (xs: readonly number[]): number => Math.min(...xs);

function startup(): { nodeMs: number[]; versionMs: number[]; helpMs: number[] } {
  const nodeMs: number[] = [];
  const versionMs: number[] = [];
  const helpMs: number[] = [];
  for (let i = 0; i < REPS; i++) {
    nodeMs.push(timeCommand(process.execPath, ['-e', '0']).ms);
    versionMs.push(timeCommand(process.execPath, [BIN, '--version']).ms);
    helpMs.push(timeCommand(process.execPath, [BIN, '--help']).ms);
  }
  return { nodeMs, versionMs, helpMs };
}

const verifyArgs = (vectors: number): string[] => [BIN, 'verify', DESIGN, '--sim', 'verilator', '--vectors', String(vectors), '--seed', String(SEED)];

/** The run directory a verify report names (its vectors are the harness's input). */
function runDirOf(stdout: string): string {
  const m = /run dir (\S+)/.exec(stdout);
  if (!m) throw new Error(`no run dir in:\n${stdout}`);
  return m[1]!.replace(/[;,]$/, '');
}

async function verifyVsHarness(base: string): Promise<{ verifyMs: number[]; verify1Ms: number[]; harnessMs: number[] }> {
  process.stderr.write(`warm-up: verify ${N} vectors (builds or hits the compile cache)\n`);
  const warm = timeCommand(process.execPath, verifyArgs(N));
  const runDir = runDirOf(warm.stdout);
  const hdir = join(base, 'hand');
  await mkdir(join(hdir, 'vectors'), { recursive: true });
  for (const f of ['stimulus.bin', 'expected.bin']) await copyFile(join(runDir, 'vectors', f), join(hdir, 'vectors', f));
  await rm(runDir, { recursive: true, force: true });
  const loaded = await loadDesign(join(ROOT, DESIGN));
  const model = loaded.model;
  if (model === undefined) throw new Error('not a generator design file (no golden model)');
  const tbm = testbenchModelOf(loaded.design, N, model.latency);
  const ports = (ps: typeof model.inputs) => ps.map(({ name, width, signed }) => ({ name, width, signed }));
  const harness = await buildHandHarness(join(hdir, 'h'), join(base, 'cache'), {
    top: tbm.top, clock: tbm.clock!, ...(tbm.reset ? { reset: tbm.reset.name } : {}), inputs: ports(model.inputs), outputs: ports(model.outputs), latency: model.latency,
  }, emitVerilog(loaded.design).map((f) => ({ name: f.fileName, text: f.text })));
  const inv = harness.run(join(hdir, 'vectors', 'stimulus.bin'), join(hdir, 'vectors', 'expected.bin'));
  const verifyMs: number[] = [];
  const verify1Ms: number[] = [];
  const harnessMs: number[] = [];
  for (let i = 0; i < VERIFY_REPS; i++) {
    process.stderr.write(`verify rep ${i + 1}/${VERIFY_REPS}: ${loadLine()}\n`);
    const v = timeCommand(process.execPath, verifyArgs(N));
    if (!new RegExp(`verilator: PASS ${N}/${N}`).test(v.stdout)) throw new Error(`verify did not pass ${N} vectors:\n${v.stdout}`);
    await rm(runDirOf(v.stdout), { recursive: true, force: true });
    verifyMs.push(v.ms);
    const h = timeCommand(join(harness.dir, inv.command), inv.args);
    if (!new RegExp(`bad=0 checked=${N} `).test(h.stdout)) throw new Error(`hand harness failed: ${h.stdout}`);
    harnessMs.push(h.ms);
    const one = timeCommand(process.execPath, verifyArgs(1));
    await rm(runDirOf(one.stdout), { recursive: true, force: true });
    verify1Ms.push(one.ms);
  }
  return { verifyMs, verify1Ms, harnessMs };
}

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const loadBefore = machineLoad();
  const base = await mkdtemp(join(tmpdir(), 'npugen-startup-'));
  const s = startup();
  const v = await verifyVsHarness(base);
  const loadAfter = machineLoad();
  await rm(base, { recursive: true, force: true });

  const versionRatio = median(s.versionMs) / median(s.nodeMs);
  const verifyOverHarness = min(v.verifyMs) / min(v.harnessMs);
  const ms = (x: number): string => fmt(x, 1);
  process.stdout.write(`\nload before: ${loadBefore.loadavg.join(' / ')}; after: ${loadAfter.loadavg.join(' / ')} (1/5/15 min, ${loadAfter.cores} cores)\n\n`);
  process.stdout.write(`${table(['command', 'runs', 'min ms', 'median ms', 'median / node -e 0'], [
    ['node -e 0', String(REPS), ms(min(s.nodeMs)), ms(median(s.nodeMs)), '1.00'],
    ['npugen --version', String(REPS), ms(min(s.versionMs)), ms(median(s.versionMs)), fmt(versionRatio)],
    ['npugen --help', String(REPS), ms(min(s.helpMs)), ms(median(s.helpMs)), fmt(median(s.helpMs) / median(s.nodeMs))],
  ])}\n\n`);
  process.stdout.write(`${table(['command', 'runs', 'min s', 'median s', 'min / harness'], [
    [`npugen verify mac_i8 --sim verilator --vectors ${N}`, String(VERIFY_REPS), fmt(min(v.verifyMs) / 1000, 3), fmt(median(v.verifyMs) / 1000, 3), fmt(verifyOverHarness)],
    [`hand Verilator harness, same ${N} vectors`, String(VERIFY_REPS), fmt(min(v.harnessMs) / 1000, 3), fmt(median(v.harnessMs) / 1000, 3), '1.00'],
    ['npugen verify mac_i8 --sim verilator --vectors 1', String(VERIFY_REPS), fmt(min(v.verify1Ms) / 1000, 3), fmt(median(v.verify1Ms) / 1000, 3), '-'],
  ])}\n`);
  process.stdout.write(`--version / node -e 0 (median): ${fmt(versionRatio)} (target <= 2.5)\n`);
  await mkdir(dirname(jsonOut), { recursive: true });
  await writeFile(jsonOut, `${JSON.stringify({
    date: new Date().toISOString(), source: sourceState(['dsl', 'generators', 'sim', 'cli', 'bin']), loadBefore, loadAfter, reps: REPS, vectors: N, verifyReps: VERIFY_REPS,
    startupMs: { node: s.nodeMs, version: s.versionMs, help: s.helpMs }, versionOverNodeMedian: versionRatio,
    verifyMs: v.verifyMs, verify1Ms: v.verify1Ms, harnessMs: v.harnessMs, verifyOverHarnessMin: verifyOverHarness,
  }, null, 2)}\n`);
  process.stdout.write(`written ${jsonOut}\n`);
}

await main();
