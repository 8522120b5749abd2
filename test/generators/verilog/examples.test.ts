// Golden files for the examples' emitted Verilog, and real lint/synthesis checks of them. The
// golden text has no location comments, so moving a line of a generator does not change it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { buildMacI8 } from '../../../dsl/npu/mac.ts';
import { buildCounter } from '../../../examples/counter.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { describeWithTools } from '../../helpers/simulators.ts';
import { defineModule, SInt, UInt } from '../../../dsl/index.ts';

const GOLDEN = path.resolve(import.meta.dirname, '../../golden');

const EXAMPLES = { counter: () => buildCounter(), mac_i8: () => buildMacI8() };

/** Hierarchy example: two MACs summed, exercising instances, clock/reset forwarding and unused-bit gathering. */
function buildPair() {
  const mac = buildMacI8();
  return defineModule('mac_pair', (m) => {
    const a = m.input('a', SInt(8));
    const b = m.input('b', SInt(8));
    const c = m.input('c', SInt(8));
    const en = m.input('en', UInt(1));
    const u0 = m.instance('u0', mac, { a, b, en, clear: 0n });
    const u1 = m.instance('u1', mac, { a: c, b, en, clear: 0n });
    m.output('sum', SInt(33)).drive(u0['acc_out']!.add(u1['acc_out']!));
    m.output('low', UInt(4)).drive(u0['acc_out']!.slice(3, 0));
  });
}

for (const [name, build] of Object.entries(EXAMPLES)) {
  test(`emitted Verilog of ${name} matches its golden file`, () => {
    const text = emitVerilog(build(), { locations: false }).map((f) => f.text).join('\n');
    const file = path.join(GOLDEN, `${name}.v`);
    // Golden files are rewritten only on request, never in CI.
    if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) {
      if (process.env['CI'] || process.env['NPUGEN_REQUIRE_SIMULATORS'] === '1') throw new Error(`golden file ${file} missing`);
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, text);
    }
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
}

describeWithTools('yosys', 'examples are lint-clean and latch-free', () => {
  for (const [name, build] of Object.entries({ ...EXAMPLES, mac_pair: buildPair })) {
    test(`${name}: verilator -Wall and yosys check pass with no latch`, async () => {
      const files = emitVerilog(build());
      const outcomes = await lintRtl(files, name);
      for (const o of outcomes) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
    });
  }

  test('the lint checks can fail: a latch and a width warning are caught', async () => {
    const latch = 'module bad(input wire en, input wire [3:0] d, output reg [3:0] q);\n  always @* if (en) q = d;\nendmodule\n';
    const outcomes = await lintRtl([{ fileName: 'bad.v', text: latch }], 'bad');
    expect(outcomes.map((o) => o.passed)).toEqual([false, false]);
  });
});
