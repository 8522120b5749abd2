/** The lint back ends on real tools: a clean design passes, a broken one fails with the tool's words. */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { verilatorLint, yosysCheck } from '../../../sim/backends/lint.ts';
import { runInvocation, ToolFailedError } from '../../../sim/runner.ts';
import { describeWithTools } from '../../helpers/simulators.ts';
import { fixture } from '../runner/fixtures.ts';

const dir = await mkdtemp(join(tmpdir(), 'npugen-lint-test-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
await copyFile(fixture('add_u16.v'), join(dir, 'add_u16.v'));
await copyFile(fixture('add_u16_undriven.v'), join(dir, 'undriven.v'));

describeWithTools('verilator', 'verilator --lint-only -Wall', () => {
  it('passes a clean design and fails an undriven output bit', async () => {
    await runInvocation(verilatorLint({ sources: ['add_u16.v'], top: 'add_u16', cwd: dir }));
    const bad = runInvocation(verilatorLint({ sources: ['undriven.v'], top: 'add_u16', cwd: dir }));
    await expect(bad).rejects.toBeInstanceOf(ToolFailedError);
    await expect(bad).rejects.toThrow(/UNDRIVEN/);
  });
});

describeWithTools('yosys', 'yosys coarse synth + check -assert + no latch', () => {
  it('passes a clean design and fails a net with two drivers', async () => {
    await writeFile(join(dir, 'two_drivers.v'), 'module two_drivers(input wire a, input wire b, output wire y);\n  assign y = a;\n  assign y = b;\nendmodule\n');
    await runInvocation(yosysCheck({ sources: ['add_u16.v'], top: 'add_u16', cwd: dir }));
    const bad = runInvocation(yosysCheck({ sources: ['two_drivers.v'], top: 'two_drivers', cwd: dir }));
    await expect(bad).rejects.toBeInstanceOf(ToolFailedError);
    await expect(bad).rejects.toThrow(/driver/i);
  });

  it('fails a latch and a combinational loop', async () => {
    await writeFile(join(dir, 'latch.v'), 'module latch(input wire en, input wire d, output reg q);\n  always @* if (en) q = d;\nendmodule\n');
    await writeFile(join(dir, 'loop.v'), 'module loop(input wire a, output wire y);\n  wire x;\n  assign x = a ^ y;\n  assign y = x & a;\nendmodule\n');
    const latch = runInvocation(yosysCheck({ sources: ['latch.v'], top: 'latch', cwd: dir }));
    await expect(latch).rejects.toBeInstanceOf(ToolFailedError);
    await expect(latch).rejects.toThrow(/select -assert-none|assertion/i);
    const loop = runInvocation(yosysCheck({ sources: ['loop.v'], top: 'loop', cwd: dir }));
    await expect(loop).rejects.toBeInstanceOf(ToolFailedError);
    await expect(loop).rejects.toThrow(/loop/i);
  });
});
