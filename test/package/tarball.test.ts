// The published package as a user gets it: `npm pack` of this checkout, installed into a new
// temporary project with npm, then used from plain Node (.mjs), from strict TypeScript, and as
// the `npugen` command. Everything runs from the installed tarball's compiled dist/, none of it
// from the sources (the consumer project has no path to them).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeWithTools } from '../helpers/simulators.ts';
import { replaceOnce } from '../helpers/faults.ts';
import { buildConsumerLock, CONSUMER_FILES } from './consumer.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion without blocking the worker (vitest's RPC needs the event loop). */
function run(cmd: string, args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function ok(ran: Promise<Ran>, what: string): Promise<string> {
  const r = await ran;
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

let work = '';
let consumer = '';
let packedFiles: string[] = [];

beforeAll(async () => {
  // dist/ is normally current (npm ci's `prepare`, or `npm test`'s setup); rebuild if the sources
  // moved on. Packing with --ignore-scripts then packs exactly that build instead of compiling
  // it a second time.
  await ok(run(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--if-stale', '--no-check'], ROOT, 300_000), 'build');
  work = mkdtempSync(path.join(tmpdir(), 'npugen-pack-'));
  const packed = JSON.parse(await ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT), 'npm pack')) as { filename: string; files: { path: string }[] }[];
  packedFiles = packed[0]!.files.map((f) => f.path);
  const tarball = path.join(work, packed[0]!.filename);
  consumer = path.join(work, 'consumer');
  // A project depending on the tarball, locked to the versions this checkout's lockfile has, so
  // `npm ci --offline` installs from the npm cache without asking the registry.
  const lock = buildConsumerLock(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'), readFileSync(path.join(ROOT, 'package.json'), 'utf8'), tarball);
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify(lock.manifest, null, 2));
  writeFileSync(path.join(consumer, 'package-lock.json'), JSON.stringify(lock.lockfile, null, 2));
  for (const [name, text] of Object.entries(CONSUMER_FILES)) writeFileSync(path.join(consumer, name), text);
  await ok(run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], consumer, 300_000), 'npm ci of the tarball');
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  test('ships compiled JavaScript, declarations and templates, not sources or tests', () => {
    expect(packedFiles).toContain('dist/index.js');
    expect(packedFiles).toContain('dist/index.d.ts');
    expect(packedFiles).toContain('dist/sim/golden/index.js');
    expect(packedFiles).toContain('dist/catalog/index.d.ts');
    expect(packedFiles).toContain('dist/templates/testbench.v.hbs');
    expect(packedFiles).toContain('bin/npugen.mjs');
    expect(packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(packedFiles.filter((f) => /^(test|bench|scripts|examples)\//.test(f))).toEqual([]);
  });

  test('a plain .mjs file imports the DSL and the generators, builds and emits a MAC', async () => {
    const out = await ok(run(process.execPath, ['emit-mac.mjs'], consumer), 'node emit-mac.mjs');
    expect(out).toMatch(/^module mac_dsl \(/m);
    expect(out).toMatch(/input\s+wire \[7:0\] a,/);
    expect(out).toMatch(/output wire \[31:0\] acc_out/);
    expect(readFileSync(path.join(consumer, 'mac_i8.v'), 'utf8')).toMatch(/^module mac_i8 \(/m);
  });

  test('a .ts file imports npugen/golden and passes tsc --strict; it runs with the expected values', async () => {
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const check = await run(process.execPath, [tsc, '--strict', '-p', 'tsconfig.json'], consumer);
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
    const out = await ok(run(process.execPath, ['--import', 'tsx', 'golden.ts'], consumer), 'golden.ts');
    // By hand: 464 = 1.8125 * 2^8 is above E4M3's largest finite 448 (0x7e) and rounds to it;
    // fp32 1.0 = 0x3f800000 keeps its top 16 bits in bf16; 200 wraps to 200 - 256 in int8.
    expect(JSON.parse(out)).toEqual({ e4m3: 0x7e, bf16One: 0x3f80, wrapped: '-56' });
  });

  test('npx npugen --version prints the package version', async () => {
    expect((await ok(run('npx', ['--offline', 'npugen', '--version'], consumer), 'npugen --version')).trim()).toBe(pkg.version);
  });
});

describeWithTools('icarus', 'the installed npugen command', () => {
  test('verify a YAML design, and the emitted MAC as --rtl, against the golden model (exit 0)', async () => {
    const yaml = await run('npx', ['--offline', 'npugen', 'verify', 'mac_i8.yaml', '--sim', 'icarus', '--vectors', '300'], consumer);
    expect(yaml.status, yaml.stdout + yaml.stderr).toBe(0);
    expect(yaml.stdout).toMatch(/icarus: PASS 300\/300/);
    await ok(run(process.execPath, ['emit-mac.mjs'], consumer), 'node emit-mac.mjs');
    const rtl = await run('npx', ['--offline', 'npugen', 'verify', 'mac_i8.yaml', '--sim', 'icarus', '--vectors', '300', '--rtl', 'mac_i8.v'], consumer);
    expect(rtl.status, rtl.stdout + rtl.stderr).toBe(0);
  });

  test('a planted fault in the emitted MAC fails verification (exit 1)', async () => {
    const stuck = replaceOnce('accumulator bit 5 stuck at 0', /acc <= (en \? [^;]+);/, (m) => `acc <= (${m[1]}) & ~32'h20;`);
    writeFileSync(path.join(consumer, 'mac_bad.v'), stuck.apply(readFileSync(path.join(consumer, 'mac_i8.v'), 'utf8')));
    const r = await run('npx', ['--offline', 'npugen', 'verify', 'mac_i8.yaml', '--sim', 'icarus', '--vectors', '300', '--rtl', 'mac_bad.v'], consumer);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/icarus: FAIL/);
  });

  test('verify a .mjs design that imports npugen (the built-in simulator is its reference)', async () => {
    const r = await run('npx', ['--offline', 'npugen', 'verify', 'emit-mac.mjs', '--sim', 'icarus', '--vectors', '200'], consumer);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/icarus: PASS 200\/200/);
  });
});

describe('the compiled CLI in this checkout', () => {
  test('gen writes the same Verilog as the sources do (source locations mapped back through dist/ source maps)', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'npugen-dist-gen-'));
    const gen = (dir: string, extra: string[]) => run(process.execPath, [path.join(ROOT, 'bin/npugen.mjs'), 'gen', 'examples/mac_i8.yaml', '-o', dir, '--vectors', '1', ...extra], ROOT);
    const r = await gen(out, ['--no-locations']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('running the TypeScript sources');
    expect(readFileSync(path.join(out, 'mac_i8.v'), 'utf8')).toBe(readFileSync(path.join(ROOT, 'test/golden/mac_i8.v'), 'utf8'));
    // With locations on, the comments name the TypeScript generator (mapped back), not dist/ JavaScript.
    const located = path.join(out, 'located');
    const r2 = await gen(located, []);
    expect(r2.status, r2.stderr).toBe(0);
    const text = readFileSync(path.join(located, 'mac_i8.v'), 'utf8');
    expect(text).toMatch(/dsl\/npu\/mac\.ts:\d+/);
    expect(text).not.toMatch(/dist\/|\.js:\d/);
    rmSync(out, { recursive: true, force: true });
  });
});
