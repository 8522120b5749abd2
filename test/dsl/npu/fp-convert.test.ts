// fp_convert vs the golden float library: every fp16 input for fp16 -> fp8/fp6/fp4, every input of
// fp4/fp6/fp8 sources, and fp32 ties/boundaries + random for fp32 -> fp16/bf16/fp8/fp6/fp4, on the
// built-in simulator; the exhaustive sets and fp32 sets also on Icarus and Verilator.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../sim/random.ts';
import { describeWithTools, runsOn } from '../../helpers/simulators.ts';
import { checkPorts, compare, fromRegistry, SIM_TIMEOUT_MS, verifyOn, type Raw } from '../float/helpers.ts';

describe('fp_convert vs the golden library (built-in simulator)', () => {
  const exhaustive: Raw[] = [
    { from: 'fp16', to: 'fp8_e4m3' },
    { from: 'fp16', to: 'fp8_e4m3', saturate: true },
    { from: 'fp16', to: 'fp8_e5m2' },
    { from: 'fp16', to: 'fp8_e5m2', saturate: true, subnormals: 'flush' },
    { from: 'fp16', to: 'fp6_e3m2' },
    { from: 'fp16', to: 'fp6_e2m3', subnormals: 'flush' },
    { from: 'fp16', to: 'fp4_e2m1' },
    { from: 'bf16', to: 'fp8_e4m3', saturate: true },
    { from: 'fp4_e2m1', to: 'fp32' },
    { from: 'fp6_e3m2', to: 'fp32' },
    { from: 'fp6_e2m3', to: 'fp16' },
    { from: 'fp8_e4m3', to: 'fp32' },
    { from: 'fp8_e5m2', to: 'bf16', subnormals: 'flush' },
    { from: 'fp6_e3m2', to: 'fp4_e2m1' },
    { from: 'fp8_e5m2', to: 'fp8_e4m3' },
  ];
  for (const raw of exhaustive) {
    test(`every input code: ${JSON.stringify(raw)}`, () => {
      const { design, model } = fromRegistry('fp_convert', raw);
      checkPorts(design, model);
      const rows = model.exhaustive()!;
      expect(rows.length).toBe(2 ** model.inputs[0]!.width);
      expect(compare(design, model, rows).first).toEqual([]);
    });
  }
  const fromFp32: Raw[] = ['fp16', 'bf16', 'fp8_e4m3', 'fp8_e5m2', 'fp6_e3m2', 'fp6_e2m3', 'fp4_e2m1'].flatMap((to) => [{ from: 'fp32', to }, { from: 'fp32', to, saturate: true, subnormals: 'flush' }]);
  for (const raw of fromFp32) {
    test(`ties, boundaries and 3000 random fp32 codes: ${JSON.stringify(raw)}`, () => {
      const { design, model } = fromRegistry('fp_convert', raw);
      const rows = [...model.corners(), ...model.random(3000, new Rng(5))];
      expect(rows.length).toBeGreaterThan(3000);
      expect(compare(design, model, rows).first).toEqual([]);
    });
  }
});


for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `fp_convert on ${sim} vs the golden library`, () => {
    const exhaustive: [string, Raw][] = [
      ['cvt_h_e4m3', { from: 'fp16', to: 'fp8_e4m3', saturate: true }],
      ['cvt_h_e5m2', { from: 'fp16', to: 'fp8_e5m2' }],
    ];
    for (const [i, [name, raw]] of exhaustive.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${name} ${JSON.stringify(raw)}: every fp16 input (65,536)`, async () => {
        const r = await verifyOn(sim, 'fp_convert', name, raw, { vectors: 0, exhaustive: true, corners: false });
        expect(r.stimulusCounts.exhaustive).toBe(65536);
      }, SIM_TIMEOUT_MS);
    }
    const fromFp32: [string, Raw][] = [
      ['cvt_s_e4m3', { from: 'fp32', to: 'fp8_e4m3' }],
      ['cvt_s_e2m1', { from: 'fp32', to: 'fp4_e2m1', subnormals: 'flush' }],
      ['cvt_s_bf16', { from: 'fp32', to: 'bf16' }],
    ];
    for (const [i, [name, raw]] of fromFp32.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${name} ${JSON.stringify(raw)}: ties, boundaries + 2000 random`, async () => {
        await verifyOn(sim, 'fp_convert', name, raw, { vectors: 2000 });
      }, SIM_TIMEOUT_MS);
    }
    if (runsOn(sim, 1)) test('cvt_e3m2_s: every fp6_e3m2 input to fp32', async () => {
      await verifyOn(sim, 'fp_convert', 'cvt_e3m2_s', { from: 'fp6_e3m2', to: 'fp32' }, { vectors: 0, exhaustive: true });
    }, SIM_TIMEOUT_MS);
  });
}
