// npugen lint: generated RTL passes both checks; a planted lint error fails with the tool output.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import { formatLintReport } from '../../cli/commands/lint.ts';
import { describeWithTools, missingTools } from '../helpers/simulators.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const example = (f: string) => path.join(ROOT, 'examples', f);

function collector(): CliIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTty: false, text: () => lines.join('\n') };
}

describe('lint report formatting', () => {
  test('PASS/FAIL per tool, failing output indented, summary line', () => {
    const text = formatLintReport('m', [
      { tool: 'verilator', passed: false, output: '%Warning-UNUSEDSIGNAL: m.v:3:8: Signal is not used: x\n%Error: Exiting due to 1 warning(s)' },
      { tool: 'yosys', passed: true, output: '' },
    ]);
    expect(text).toBe([
      'lint m',
      '  verilator: FAIL (verilator --lint-only -Wall)',
      '    %Warning-UNUSEDSIGNAL: m.v:3:8: Signal is not used: x',
      '    %Error: Exiting due to 1 warning(s)',
      '  yosys: PASS (yosys synth; check -assert; no latches)',
      'lint: FAIL (verilator)',
    ].join('\n'));
  });
});

const lintTools = missingTools('verilator').length === 0 ? 'yosys' : 'verilator';
describeWithTools(lintTools, 'npugen lint on the real tools', () => {
  test.each(['mac_i8.yaml', 'dot_u8i8x3.yaml', 'counter.ts'])('%s passes (exit 0)', async (file) => {
    if (missingTools('verilator').length > 0) return;
    const io = collector();
    expect(await runCli(['lint', example(file)], io), io.text()).toBe(0);
    expect(io.text()).toMatch(/verilator: PASS[\s\S]*yosys: PASS[\s\S]*lint: PASS/);
  }, 60_000);

  test('a hand-written RTL with an unused input and a latch fails both checks (exit 1)', async () => {
    if (missingTools('verilator').length > 0) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'npugen-lint-'));
    const bad = path.join(dir, 'counter.v');
    writeFileSync(bad, [
      'module counter (input wire clk, input wire rst, input wire en, output reg [7:0] value);',
      '  wire unused_in = rst;',
      '  always @* if (en) value = value ^ {7\'d0, clk};',
      'endmodule', '',
    ].join('\n'));
    const io = collector();
    expect(await runCli(['lint', example('counter.ts'), '--rtl', bad], io)).toBe(1);
    expect(io.text()).toMatch(/verilator: FAIL[\s\S]*%Warning-/);
    expect(io.text()).toMatch(/yosys: FAIL/);
    expect(io.text()).toContain('lint: FAIL (verilator, yosys)');
  }, 60_000);

  test('--rtl naming a missing file exits 2', async () => {
    const io = collector();
    expect(await runCli(['lint', example('counter.ts'), '--rtl', '/nonexistent/x.v'], io)).toBe(2);
    expect(io.text()).toContain('--rtl /nonexistent/x.v: no such file; check the path');
  });
});
