// mx_dot vs the golden MX library (mxDotFp32: exact products and sum, one rounding to fp32) for
// every MX element format on the built-in simulator; E4M3 and E5M2 on Icarus and Verilator;
// lint-clean and latch-free (mxint8 with 2 pipeline stages; more pipelined checks in fp-pipeline.test.ts).
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../sim/random.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { describeWithTools } from '../../helpers/simulators.ts';
import { checkPorts, compare, fromRegistry, SIM_TIMEOUT_MS, verifyOn } from '../float/helpers.ts';

describe('mx_dot vs the golden library (built-in simulator)', () => {
  for (const format of ['mxfp8_e4m3', 'mxfp8_e5m2', 'mxfp6_e3m2', 'mxfp6_e2m3', 'mxfp4_e2m1', 'mxint8']) {
    test(`${format}: corners + 1500 random blocks`, () => {
      const { design, model } = fromRegistry('mx_dot', { format });
      checkPorts(design, model);
      expect(compare(design, model, [...model.corners(), ...model.random(1500, new Rng(3))]).first).toEqual([]);
    });
  }
  test('planted fault: a design of another element format disagrees', () => {
    const { model } = fromRegistry('mx_dot', { format: 'mxfp6_e3m2' });
    const { design } = fromRegistry('mx_dot', { format: 'mxfp6_e2m3' });
    expect(compare(design, model, model.random(200, new Rng(1))).bad).toBeGreaterThan(150);
  });
});

describeWithTools('yosys', 'mx_dot RTL is lint-clean and latch-free', () => {
  // mxint8 with 2 pipeline stages: the registered partial sums and delayed scales/flags are linted too.
  for (const raw of [{ format: 'mxfp4_e2m1' }, { format: 'mxint8', pipeline_stages: 2 }]) {
    test(`${JSON.stringify(raw)}: verilator -Wall and yosys check pass`, async () => {
      const { design } = fromRegistry('mx_dot', raw, 'mx_lint');
      const outcomes = await lintRtl(emitVerilog(design), 'mx_lint');
      for (const o of outcomes) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
    }, SIM_TIMEOUT_MS);
  }
});

for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `mx_dot on ${sim} vs the golden library`, () => {
    for (const format of sim === 'icarus' ? ['mxfp8_e4m3', 'mxfp8_e5m2', 'mxfp4_e2m1', 'mxint8'] : ['mxfp8_e4m3']) {
      test(`${format}: corners + 1500 random blocks`, async () => {
        await verifyOn(sim, 'mx_dot', `mx_dot_${format}`, { format }, { vectors: 1500 });
      }, SIM_TIMEOUT_MS);
    }
  });
}
