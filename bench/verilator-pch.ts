/**
 * Issue #12: what the precompiled verilated.h (sim/verilator-pch.ts) saves, as CPU time (user +
 * sys of the process and all its children, /usr/bin/time), with and without it in the same run.
 *
 *   npx tsx bench/verilator-pch.ts [--designs mac_i8,fp_mac_bf16,systolic_os_4x4] [--levels default,-O0]
 *     [--reps 2] [--test-file test/sim/backends/verilator-workarounds.test.ts] [--json bench/results/verilator-pch.json]
 *
 * Part 1, cold builds: `npugen verify examples/<design>.yaml --sim verilator --vectors 64` with an
 * empty compile cache, a warm PCH (built once before, its CPU reported as the one-time cost) and a
 * ccache whose Verilator runtime objects are warm but which has never seen the model: a copy of a
 * primed ccache directory per run, so both sides compile the model and only the model cold.
 * Sides alternate per repetition so load shifts hit both alike (a shared 2-core machine).
 * Part 2 (`--test-file`, `none` to skip): `npx vitest run <file>` with a fresh TMPDIR (so a fresh
 * test compile cache) and a fresh CCACHE_DIR: without the PCH, with a cold PCH cache (built in
 * the run) and with the warm one.
 * `npm run build` first, or the bin runs the sources through tsx (the same on both sides, but slower).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, fmt, loadLine, machineLoad, table } from './lib/util.ts';
import { sourceState } from './lib/source-state.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'npugen.mjs');
const DESIGNS = argValue('designs', 'mac_i8,fp_mac_bf16,systolic_os_4x4').split(',');
const LEVELS = argValue('levels', 'default,-O0').split(',');
const REPS = Number(argValue('reps', '2'));
const TEST_FILE = argValue('test-file', 'test/sim/backends/verilator-workarounds.test.ts');
const jsonOut = argValue('json', 'bench/results/verilator-pch.json');
const PRIME_DESIGN = 'examples/dot_i8x16.yaml';

interface Cpu {
  readonly cpuS: number;
  readonly wallS: number;
}

/** Runs a command under /usr/bin/time; CPU of it and every child it waited for. */
function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): Cpu {
  const out = join(tmpdir(), `npugen-pch-bench-time-${process.pid}`);
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-o', out, '-f', '%U %S', cmd, ...args], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallS = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  const [user, sys] = spawnSync('cat', [out], { encoding: 'utf8' }).stdout.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { cpuS: user! + sys!, wallS };
}

function baseEnv(level: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env['NPUGEN_VERILATOR_OPT'];
  if (level !== 'default') env['NPUGEN_VERILATOR_OPT'] = level;
  return env;
}

/**
 * The design file of `name`: examples/<name>.yaml, or for `systolic_os_NxN` without an example
 * (16x16: a parallel build, whose slow files get the slow PCH) the 4x4 example resized, written to `work`.
 */
async function designFile(name: string, work: string): Promise<string> {
  const size = /^systolic_os_(\d+)x(\d+)$/.exec(name);
  const example = join(ROOT, 'examples', `${name}.yaml`);
  if (size === null || existsSync(example)) return example;
  const text = (await readFile(join(ROOT, 'examples', 'systolic_os_4x4.yaml'), 'utf8'))
    .replace('rows: 4, cols: 4', `rows: ${size[1]}, cols: ${size[2]}`).replace('name: systolic_os_4x4', `name: ${name}`);
  const file = join(work, `${name}.yaml`);
  await writeFile(file, text);
  return file;
}

function verifyArgs(design: string): string[] {
  return [BIN, 'verify', design, '--sim', 'verilator', '--vectors', '64', '--seed', '1'];
}

interface Sides { readonly off: Cpu[]; readonly on: Cpu[] }

/** Part 1 for one level: prime ccache and the PCH, then alternate cold builds without and with it. */
async function coldBuilds(work: string, level: string): Promise<{ pchBuildCpuS: number; designs: Record<string, Sides> }> {
  const dir = join(work, `level${level}`);
  const pchRoot = join(dir, 'pch-cache');
  const primed = join(dir, 'ccache-primed');
  await mkdir(pchRoot, { recursive: true });
  // Runtime objects into the primed ccache (no PCH); then the PCH alone, cold minus warm (the same script).
  timed(process.execPath, verifyArgs(PRIME_DESIGN), baseEnv(level, { CCACHE_DIR: primed, NPUGEN_CACHE_DIR: join(dir, 'prime-models'), NPUGEN_VERILATOR_PCH: '0' }));
  const ensure = `import('./sim/verilator-pch.ts').then(async (p) => { const { effectiveCppOpt } = await import('./sim/backends/verilator.ts');
    const o = await p.ensureVerilatorPch({ dir: ${JSON.stringify(pchRoot)}, style: 'cpp-main', cppOpt: effectiveCppOpt(undefined) }); if (!o.use) throw new Error(o.skipped); })`;
  const pchArgs = ['--import', 'tsx', '--input-type=module', '-e', ensure];
  const pchBuildCpuS = timed(process.execPath, pchArgs, baseEnv(level, {})).cpuS - timed(process.execPath, pchArgs, baseEnv(level, {})).cpuS;
  const designs: Record<string, Sides> = {};
  let run = 0;
  for (const name of DESIGNS) {
    const sides: Sides = { off: [], on: [] };
    for (let rep = 0; rep < REPS; rep++) {
      for (const side of rep % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
        run++;
        const cc = join(dir, `cc-${run}`);
        await cp(primed, cc, { recursive: true });
        const models = join(dir, `models-${run}`);
        await mkdir(models);
        await symlink(pchRoot, join(models, 'verilator-pch'));
        const r = timed(process.execPath, verifyArgs(await designFile(name, work)), baseEnv(level, { CCACHE_DIR: cc, NPUGEN_CACHE_DIR: models, NPUGEN_VERILATOR_PCH: side === 'on' ? '1' : '0' }));
        sides[side].push(r);
        process.stderr.write(`${level} ${name} ${side}: ${fmt(r.cpuS)} s CPU; ${loadLine()}\n`);
        await rm(cc, { recursive: true, force: true });
      }
    }
    designs[name] = sides;
  }
  return { pchBuildCpuS, designs };
}

/** Part 2: the test file without the PCH, with a cold PCH cache, with the warm one. */
async function testFile(work: string): Promise<Record<string, Cpu>> {
  const xdg = join(work, 'xdg');
  const out: Record<string, Cpu> = {};
  for (const side of ['off', 'on-cold', 'on-warm'] as const) {
    const tmp = join(work, `tmp-${side}`);
    await mkdir(tmp, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, CCACHE_DIR: join(work, `cc-test-${side}`), XDG_CACHE_HOME: xdg, NPUGEN_VERILATOR_PCH: side === 'off' ? '0' : '1' };
    delete env['NPUGEN_CACHE_DIR'];
    out[side] = timed('npx', ['vitest', 'run', TEST_FILE], env);
    process.stderr.write(`test file ${side}: ${fmt(out[side]!.cpuS)} s CPU; ${loadLine()}\n`);
  }
  return out;
}

const sum = (xs: readonly Cpu[]): number => xs.reduce((a, c) => a + c.cpuS, 0);

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'npugen-pch-bench-'));
  const loadBefore = machineLoad();
  try {
    const levels: Record<string, Awaited<ReturnType<typeof coldBuilds>>> = {};
    for (const level of LEVELS) levels[level] = await coldBuilds(work, level);
    const test = TEST_FILE === 'none' ? undefined : await testFile(work);
    const loadAfter = machineLoad();
    const rows: string[][] = [];
    for (const [level, { designs, pchBuildCpuS }] of Object.entries(levels)) {
      for (const [name, { off, on }] of Object.entries(designs)) {
        rows.push([`${name} (${level})`, fmt(sum(off) / off.length), fmt(sum(on) / on.length), fmt((sum(off) - sum(on)) / on.length), fmt(sum(on) / sum(off), 3)]);
      }
      rows.push([`PCH build, once (${level})`, '', fmt(pchBuildCpuS), '', '']);
    }
    console.log(table(['npugen verify, cold model build', 'CPU s no PCH', 'CPU s PCH', 'saved s', 'ratio'], rows));
    if (test !== undefined) {
      console.log(`\n${TEST_FILE}: CPU ${fmt(test['off']!.cpuS)} s without the PCH, ${fmt(test['on-cold']!.cpuS)} s building it, ${fmt(test['on-warm']!.cpuS)} s with it warm (ratio ${fmt(test['on-warm']!.cpuS / test['off']!.cpuS, 3)})`);
    }
    console.log(`load before: ${loadBefore.loadavg.join(' / ')}, after: ${loadAfter.loadavg.join(' / ')}`);
    await mkdir(dirname(jsonOut), { recursive: true });
    await writeFile(jsonOut, `${JSON.stringify({
      date: new Date().toISOString(), source: sourceState(['sim', 'cli', 'generators']), loadBefore, loadAfter, reps: REPS,
      gxx: spawnSync('g++', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0],
      verilator: spawnSync('verilator', ['--version'], { encoding: 'utf8' }).stdout.trim(),
      levels, testFile: test === undefined ? undefined : { path: TEST_FILE, ...test },
    }, null, 2)}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
