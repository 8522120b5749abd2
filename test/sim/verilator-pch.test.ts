/**
 * The precompiled verilated.h on real Verilator and g++: built once and reused, used by GCC in a
 * real model build (g++ -H on the build's own compile line), and a damaged PCH never fails a run.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { runTestbench } from '../../sim/cosim-run.ts';
import { ensureVerilatorPch } from '../../sim/verilator-pch.ts';
import { describeWithTools } from '../helpers/simulators.ts';
import { adderModel, adderVectors, fixture } from './runner/fixtures.ts';

const base = await mkdtemp(join(tmpdir(), 'npugen-pch-test-'));
afterAll(() => rm(base, { recursive: true, force: true }));
const pchDir = join(base, 'pch');
const sh = promisify(execFile);

/** The adder co-simulation at -O0 with a fresh model cache (so it really builds) and the test's PCH cache. */
function adderRun(name: string) {
  return runTestbench({
    model: adderModel(20), sources: [{ path: fixture('add_u16.v') }], ...adderVectors(20), simulator: 'verilator',
    runDir: join(base, name), cacheDir: join(base, `models-${name}`), verilatorCppOpt: '-O0', verilatorPch: pchDir,
  });
}

/** The compile log's command line for `file` (make echoes each), without the ccache prefix. */
async function compileLine(runDir: string, file: string): Promise<string> {
  const log = await readFile(join(runDir, 'logs', 'compile-0-verilator.log'), 'utf8');
  const line = log.split('\n').find((l) => l.includes(` -c -o ${file.replace(/\.cpp$/, '.o')} `));
  if (line === undefined) throw new Error(`no compile of ${file} in the log`);
  return line.replace(/^ccache /, '');
}

describeWithTools('verilator', 'precompiled verilated.h', () => {
  let gchDir = '';

  it('is built once for two concurrent callers, then reused', async () => {
    const req = { dir: pchDir, style: 'cpp-main', cppOpt: '-O0' } as const;
    const [a, b] = await Promise.all([ensureVerilatorPch(req), ensureVerilatorPch(req)]);
    expect(a.use && b.use && a.dir === b.dir).toBe(true);
    expect([a, b].filter((o) => 'built' in o && o.built)).toHaveLength(1);
    if (a.use === undefined) throw new Error('no PCH');
    gchDir = a.dir;
    const made = (await stat(join(gchDir, 'verilated.h.gch'))).mtimeMs;
    const again = await ensureVerilatorPch(req);
    expect(again).toMatchObject({ dir: gchDir, built: false });
    expect((await stat(join(gchDir, 'verilated.h.gch'))).mtimeMs).toBe(made);
  }, 120_000);

  it('a model built with it co-simulates correctly, and GCC really loads it', async () => {
    const r = await adderRun('good');
    expect(r.counts).toMatchObject({ checked: 20, mismatches: 0, failingVectors: 0 });
    expect(r.pch).toEqual({ dir: gchDir, built: false });
    const log = await readFile(join(r.runDir, 'logs', 'compile-0-verilator.log'), 'utf8');
    expect(log).toContain(`-include ${gchDir}/verilated.h -Winvalid-pch`);
    expect(log).not.toMatch(/\[-Winvalid-pch\]|fatal error/); // GCC names the .gch it cannot use
    // GCC's -H marks a PCH it used with '!'; rerun the build's own compile of the model that way.
    const line = await compileLine(r.runDir, 'Vnpugen_tb__ALL.cpp');
    const { stderr } = await sh('sh', ['-c', `${line} -H -fsyntax-only`], { cwd: join(r.runDir, 'build', 'obj_dir') });
    expect(stderr).toContain(`! ${gchDir}/verilated.h.gch`);
    // The replay script builds without it (a speed-up living in this machine's cache).
    expect(await readFile(join(r.runDir, 'replay.sh'), 'utf8')).not.toContain(pchDir);
  }, 120_000);

  it('a PCH GCC cannot use, or one that makes it fail, still gives a passing run', async () => {
    const gch = join(gchDir, 'verilated.h.gch');
    const size = (await stat(gch)).size;
    const head = (await readFile(gch)).subarray(0, 1 << 20);
    // Same size, not a PCH: the entry checks out, GCC ignores the file and parses the header.
    await writeFile(gch, Buffer.alloc(size, 0x5a));
    const ignored = await adderRun('garbage');
    expect(ignored.counts).toMatchObject({ checked: 20, mismatches: 0 });
    expect(await readFile(join(ignored.runDir, 'logs', 'compile-0-verilator.log'), 'utf8')).toMatch(/verilated\.h\.gch: not a PCH file \[-Winvalid-pch\]/);
    // A truncated PCH whose record agrees: GCC stops with a fatal error; the run rebuilds without it.
    await writeFile(gch, head);
    const record = JSON.parse(await readFile(join(gchDir, 'pch.json'), 'utf8')) as { gchSize: number };
    await writeFile(join(gchDir, 'pch.json'), JSON.stringify({ ...record, gchSize: (await stat(gch)).size }));
    const fatal = await adderRun('truncated');
    expect(fatal.counts).toMatchObject({ checked: 20, mismatches: 0 });
    expect(fatal.build.repaired).toMatch(/precompiled verilated\.h .* did not work/);
    expect(fatal.pch).toMatchObject({ skipped: expect.stringMatching(/GCC failed on/) });
    await expect(stat(gchDir)).rejects.toThrow(); // evicted: the next build makes a new one
  }, 180_000);
});
