// `npugen verify` resource bounds: the budget refuses runs that would fill memory or the disk
// before doing any work; run directories go after a passing run (unless --keep-run), stay and
// are named after a failing one, and go on Ctrl-C; --timeout stops a simulator and says so.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import { describeWithTools } from '../helpers/simulators.ts';
import { replaceOnce } from '../helpers/faults.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAC = path.join(ROOT, 'examples', 'mac_i8.yaml');
const savedTmp = process.env['TMPDIR'];
const base = mkdtempSync(path.join(tmpdir(), 'npugen-resources-'));
let scratch = base;

// Each test gets its own TMPDIR, so the run directories it leaves can be counted.
function freshTmp(): string {
  scratch = mkdtempSync(path.join(base, 't-'));
  process.env['TMPDIR'] = scratch;
  return scratch;
}
const runDirs = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('npugen-run-'));
beforeAll(() => void freshTmp());
afterAll(() => {
  if (savedTmp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = savedTmp;
});

function collector(): CliIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTty: false, text: () => lines.join('\n') };
}

describe('verify budget', () => {
  test('--sim builtin --vectors 1e12 is refused up front with its estimate (exit 2)', async () => {
    const dir = freshTmp();
    const io = collector();
    expect(await runCli(['verify', MAC, '--sim', 'builtin', '--vectors', '1e12'], io)).toBe(2);
    expect(io.text()).toMatch(/--vectors 1000000000000: this run needs about .* TB of memory.*over the budget \(memory .* > 2\.0 GB; time .*\); lower --vectors, or add --allow-large/);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('--timeout must be a positive number of seconds', async () => {
    const io = collector();
    expect(await runCli(['verify', MAC, '--sim', 'builtin', '--timeout', '0'], io)).toBe(2);
    expect(io.text()).toContain("--timeout must be a number of seconds > 0 (at most a week), got '0'");
  });
});

describeWithTools('verilator', 'verify budget on disk (verilator)', () => {
  test('--sim verilator --vectors 1e9 is refused before writing gigabytes of vectors', async () => {
    const dir = freshTmp();
    const io = collector();
    expect(await runCli(['verify', MAC, '--sim', 'verilator', '--vectors', '1e9'], io)).toBe(2);
    expect(io.text()).toMatch(/GB of disk in .*over the budget \(disk \d+(\.\d)? GB > 2\.0 GB/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describeWithTools('icarus', 'run directories and timeouts (icarus)', () => {
  test('a passing run removes its run directory; --keep-run keeps and names it', async () => {
    let dir = freshTmp();
    const io = collector();
    expect(await runCli(['verify', MAC, '--sim', 'icarus', '--vectors', '50'], io), io.text()).toBe(0);
    expect(runDirs(dir)).toEqual([]);
    expect(io.text()).not.toContain('run dir');
    dir = freshTmp();
    const keep = collector();
    expect(await runCli(['verify', MAC, '--sim', 'icarus', '--vectors', '50', '--keep-run'], keep), keep.text()).toBe(0);
    const kept = runDirs(dir);
    expect(kept).toHaveLength(1);
    expect(keep.text()).toContain(`run directories kept (--keep-run): ${path.join(dir, kept[0]!)}`);
  });

  test('a failing run keeps its run directory and prints where it is', async () => {
    const dir = freshTmp();
    const stuck = replaceOnce('acc bit 5 stuck at 0', /acc <= sum;/, () => "acc <= sum & ~32'h20;");
    const rtl = path.join(base, 'mac_i8.v');
    writeFileSync(rtl, stuck.apply(readFileSync(path.join(ROOT, 'test/fixtures/mac_i8_good.v'), 'utf8')));
    const io = collector();
    expect(await runCli(['verify', MAC, '--sim', 'icarus', '--vectors', '100', '--rtl', rtl], io)).toBe(1);
    const kept = runDirs(dir);
    expect(kept).toHaveLength(1);
    expect(io.text()).toContain(`run directories kept for inspection (logs/, replay.sh): ${path.join(dir, kept[0]!)}`);
    expect(readdirSync(path.join(dir, kept[0]!))).toEqual(expect.arrayContaining(['replay.sh', 'logs', 'result.txt']));
  });

  test('--timeout stops the simulator and reports a timeout (exit 2)', async () => {
    freshTmp();
    const io = collector();
    expect(await runCli(['verify', MAC, '--sim', 'icarus', '--vectors', '300000', '--timeout', '0.5'], io)).toBe(2);
    expect(io.text()).toMatch(/timed out after 0\.5 s and was stopped \(raise the limit with --timeout SECONDS\)/);
  }, 120_000);

  test('nothing is written into the working directory (so a read-only one works, even for root): the cache goes under XDG_CACHE_HOME', async () => {
    const tmp = freshTmp();
    const cwd = mkdtempSync(path.join(base, 'cwd-'));
    const cache = mkdtempSync(path.join(base, 'xdg-'));
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, XDG_CACHE_HOME: cache };
    delete env['NPUGEN_CACHE_DIR'];
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/npugen.mjs'), 'verify', MAC, '--sim', 'icarus', '--vectors', '20'], { cwd, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(cache)).toEqual(['npugen']);
    expect(runDirs(tmp)).toEqual([]);
  }, 120_000);

  test('Ctrl-C (SIGINT) stops the run, removes its run directory and exits 130', async () => {
    const dir = freshTmp();
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/npugen.mjs'), 'verify', MAC, '--sim', 'icarus', '--vectors', '1000000'], {
      env: { ...process.env, TMPDIR: dir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Interrupt once the run directory exists and the simulator is at work on it.
    for (let i = 0; i < 900 && !runDirs(dir).some((d) => existsSync(path.join(dir, d, 'build', 'sim.vvp'))); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(runDirs(dir)).toHaveLength(1);
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toContain('npugen: interrupted (SIGINT); removed the run directories');
    expect(runDirs(dir)).toEqual([]);
  }, 120_000);
});
