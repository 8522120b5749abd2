/** Runner behaviour on real tools: typed errors, compile cache, replay scripts. */
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTestbench } from '../../../sim/cosim-run.ts';
import { ToolFailedError, ToolNotFoundError, ToolTimeoutError, runInvocation } from '../../../sim/runner.ts';
import { describeWithTools, SIMULATORS } from '../../helpers/simulators.ts';
import { adderModel, adderVectors, faultyMac, fixture, macModel, macVectors } from './fixtures.ts';

const base = await mkdtemp(join(tmpdir(), 'npugen-runner-test-'));
afterAll(() => rm(base, { recursive: true, force: true }));
const adder = adderVectors(20);

describe('typed tool errors', () => {
  it('reports a missing simulator with the apt package to install', async () => {
    const run = runTestbench({
      model: adderModel(20), sources: [{ path: fixture('add_u16.v') }], ...adder,
      simulator: 'icarus', runDir: join(base, 'missing-icarus'), cacheDir: join(base, 'cache'),
      tools: { iverilog: '/nonexistent/iverilog' },
    });
    await expect(run).rejects.toBeInstanceOf(ToolNotFoundError);
    await expect(run).rejects.toMatchObject({ aptPackage: 'iverilog', command: '/nonexistent/iverilog' });
    await expect(run).rejects.toThrow(/apt-get install iverilog/);
  });

  it('reports a missing verilator the same way', async () => {
    const run = runTestbench({
      model: adderModel(20), sources: [{ path: fixture('add_u16.v') }], ...adder,
      simulator: 'verilator', runDir: join(base, 'missing-verilator'), cacheDir: join(base, 'cache'),
      tools: { verilator: '/nonexistent/verilator' },
    });
    await expect(run).rejects.toMatchObject({ name: 'ToolNotFoundError', aptPackage: 'verilator' });
  });

  it('kills a tool that exceeds its timeout', async () => {
    const run = runInvocation({ tool: 'sleep', command: 'sleep', args: ['10'], env: {}, cwd: base }, { timeoutMs: 200 });
    await expect(run).rejects.toBeInstanceOf(ToolTimeoutError);
  });
});

describeWithTools('icarus', 'tool failures on icarus', () => {
  it('reports a compile error with the exit code and the tool output', async () => {
    const bad = join(base, 'add_u16.v');
    await writeFile(bad, 'module add_u16(input a; endmodule\n');
    const run = runTestbench({
      model: adderModel(20), sources: [{ path: bad }], ...adder,
      simulator: 'icarus', runDir: join(base, 'syntax'), cacheDir: join(base, 'cache'),
    });
    await expect(run).rejects.toBeInstanceOf(ToolFailedError);
    const err = await run.catch((e: unknown) => e);
    expect(err).toMatchObject({ tool: 'iverilog' });
    expect((err as ToolFailedError).exitCode).not.toBe(0);
    expect((err as ToolFailedError).outputTail).toMatch(/syntax error/i);
  });
});

for (const sim of SIMULATORS) {
  describeWithTools(sim, `run directories on ${sim}`, () => {
    const mac = macVectors(50);
    const input = { model: macModel(50), sources: [faultyMac('stuck_bit20')], ...mac, simulator: sim, verilatorCppOpt: '-O0' } as const;

    it('skips the compile when an unchanged design runs again', async () => {
      const cacheDir = join(base, `fresh-cache-${sim}`);
      const first = await runTestbench({ ...input, runDir: join(base, `cache1-${sim}`), cacheDir });
      const second = await runTestbench({ ...input, runDir: join(base, `cache2-${sim}`), cacheDir });
      expect(first.build.cached).toBe(false);
      expect(second.build.cached).toBe(true);
      expect(second.build.key).toBe(first.build.key);
      expect((await readdir(join(second.runDir, 'logs'))).filter((f) => f.startsWith('compile'))).toEqual([]);
      expect(second.counts).toEqual(first.counts);
    }, 300_000);

    it('writes a replay.sh that reproduces the result file', async () => {
      const r = await runTestbench({ ...input, runDir: join(base, `replay-${sim}`), cacheDir: join(base, 'cache') });
      expect(r.counts.mismatches).toBeGreaterThan(0);
      const original = await readFile(r.resultFile, 'utf8');
      await copyFile(r.resultFile, `${r.resultFile}.orig`);
      await rm(r.resultFile);
      await rm(join(r.runDir, 'build'), { recursive: true });
      await runInvocation({ tool: 'sh', command: 'sh', args: ['replay.sh'], env: {}, cwd: r.runDir });
      expect(await readFile(r.resultFile, 'utf8')).toBe(original);
    }, 300_000); // replay.sh always recompiles: two Verilator builds on a shared 2-core machine
  });
}
