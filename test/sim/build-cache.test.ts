/**
 * The compiled-simulator cache on real Icarus builds: a damaged entry (truncated, replaced,
 * without its record) is rebuilt and the run still passes; two concurrent runs of one build
 * compile it once; the default location follows NPUGEN_CACHE_DIR and XDG.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../sim/build-cache.ts';
import { runTestbench } from '../../sim/cosim-run.ts';
import { describeWithTools } from '../helpers/simulators.ts';
import { adderModel, adderVectors, fixture } from './runner/fixtures.ts';

const base = await mkdtemp(join(tmpdir(), 'npugen-build-cache-test-'));
afterAll(() => rm(base, { recursive: true, force: true }));

describe('defaultCacheDir', () => {
  const saved = { cache: process.env['NPUGEN_CACHE_DIR'], xdg: process.env['XDG_CACHE_HOME'] };
  const set = (k: string, v: string | undefined) => (v === undefined ? delete process.env[k] : (process.env[k] = v));
  afterEach(() => {
    set('NPUGEN_CACHE_DIR', saved.cache);
    set('XDG_CACHE_HOME', saved.xdg);
  });

  it('is NPUGEN_CACHE_DIR, else $XDG_CACHE_HOME/npugen, else ~/.cache/npugen; never the working directory', () => {
    set('NPUGEN_CACHE_DIR', '/somewhere/cache');
    set('XDG_CACHE_HOME', '/xdg');
    expect(defaultCacheDir()).toBe('/somewhere/cache');
    set('NPUGEN_CACHE_DIR', undefined);
    expect(defaultCacheDir()).toBe('/xdg/npugen');
    set('XDG_CACHE_HOME', 'relative/is/invalid');
    expect(defaultCacheDir()).toBe(join(homedir(), '.cache', 'npugen'));
    set('XDG_CACHE_HOME', undefined);
    expect(defaultCacheDir()).toBe(join(homedir(), '.cache', 'npugen'));
    expect(defaultCacheDir().startsWith(process.cwd())).toBe(false);
  });
});

describeWithTools('icarus', 'compile cache repair and locking (icarus)', () => {
  const n = 20;
  const input = { model: adderModel(n), sources: [{ path: fixture('add_u16.v') }], ...adderVectors(n), simulator: 'icarus' } as const;
  let runs = 0;
  const run = (cacheDir: string) => runTestbench({ ...input, runDir: join(base, `run${++runs}`), cacheDir });

  it('probes the tool again under another PATH: a different iverilog is a different build key', async () => {
    const cacheDir = join(base, 'path');
    const first = await run(cacheDir);
    // A stand-in first on PATH that reports another version and otherwise runs the real iverilog.
    const bin = join(base, 'other-iverilog');
    await mkdir(bin);
    const real = execFileSync('sh', ['-c', 'command -v iverilog'], { encoding: 'utf8' }).trim();
    await writeFile(join(bin, 'iverilog'), `#!/bin/sh\n[ "$1" = -V ] && { echo "Icarus Verilog version 99.0 (stand-in)"; exit 0; }\nexec ${real} "$@"\n`, { mode: 0o755 });
    const saved = process.env['PATH'];
    process.env['PATH'] = `${bin}:${saved ?? ''}`;
    try {
      const other = await run(cacheDir);
      expect(other.build.key).not.toBe(first.build.key);
      expect(other.build.cached).toBe(false);
    } finally {
      process.env['PATH'] = saved;
    }
    expect((await run(cacheDir)).build).toMatchObject({ key: first.build.key, cached: true });
  }, 120_000);

  it('rebuilds a truncated cached simulator, then uses the repaired entry', async () => {
    const cacheDir = join(base, 'truncated');
    const first = await run(cacheDir);
    expect(first.build.cached).toBe(false);
    const cached = join(cacheDir, first.build.key, 'sim.vvp');
    const size = (await readFile(cached)).length;
    await truncate(cached, Math.floor(size / 3));
    const second = await run(cacheDir);
    expect(second.build).toMatchObject({ cached: false, key: first.build.key });
    expect(second.build.repaired).toMatch(/truncated/);
    expect(second.passed).toBe(true);
    expect((await readFile(cached)).length).toBe(size);
    const third = await run(cacheDir);
    expect(third.build.cached).toBe(true);
    expect(third.passed).toBe(true);
  }, 120_000);

  it('rebuilds an entry without its record (an interrupted store or an older cache)', async () => {
    const cacheDir = join(base, 'no-record');
    const first = await run(cacheDir);
    await rm(join(cacheDir, first.build.key, 'entry.json'));
    const second = await run(cacheDir);
    expect(second.build.cached).toBe(false);
    expect(second.build.repaired).toMatch(/no entry record/);
  }, 120_000);

  it('rebuilds a cached simulator that passes the record check but fails to run', async () => {
    const cacheDir = join(base, 'broken');
    const first = await run(cacheDir);
    // Garbage with a matching record: what a binary looks like after its shared libraries changed.
    const entry = join(cacheDir, first.build.key);
    const junk = Buffer.from('this is not a vvp file\n');
    await writeFile(join(entry, 'sim.vvp'), junk);
    const record = JSON.parse(await readFile(join(entry, 'entry.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(entry, 'entry.json'), JSON.stringify({ ...record, size: junk.length, sha256: createHash('sha256').update(junk).digest('hex') }));
    const second = await run(cacheDir);
    expect(second.build).toMatchObject({ cached: false, repaired: 'the cached simulator failed to run' });
    expect(second.passed).toBe(true);
  }, 120_000);

  it('two concurrent runs of the same build compile it once', async () => {
    const cacheDir = join(base, 'concurrent');
    const [a, b] = await Promise.all([run(cacheDir), run(cacheDir)]);
    expect([a.build.cached, b.build.cached].sort()).toEqual([false, true]);
    expect(a.passed && b.passed).toBe(true);
    const compiles = [a, b].map(async (r) => (await readdir(join(r.runDir, 'logs'))).filter((f) => f.startsWith('compile')).length);
    expect((await Promise.all(compiles)).sort()).toEqual([0, 1]);
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.lock'))).toEqual([]);
  }, 120_000);
});
