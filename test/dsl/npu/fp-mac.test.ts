// fp_mac vs the golden float library (dotTree with one lane and the accumulator as addend):
// every fp8 x fp8 pair as a MAC sequence (clear every 8 steps) fused and unfused, fp16/bf16 MACs
// with interesting-code pairs (NaN, ±Inf, ±0, subnormals, max, overflow runs, ties) and random
// vectors, on the built-in simulator, Icarus and Verilator; a planted fault is caught.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../sim/random.ts';
import { describeWithTools, runsOn } from '../../helpers/simulators.ts';
import { checkPorts, compare, fromRegistry, SIM_TIMEOUT_MS, verifyOn, type Raw } from '../float/helpers.ts';

describe('fp_mac vs the golden library (built-in simulator)', () => {
  const exhaustive: Raw[] = [
    { a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp32', fused: true },
    { a: 'fp8_e4m3', b: 'fp8_e5m2', accumulator: 'fp32', fused: false },
    { a: 'fp8_e5m2', b: 'fp8_e5m2', accumulator: 'fp16', fused: true, subnormals: 'flush' },
    { a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'bf16', fused: false },
  ];
  for (const raw of exhaustive) {
    test(`every fp8 pair (65,536 steps) + corners: ${JSON.stringify(raw)}`, () => {
      const { design, model } = fromRegistry('fp_mac', raw);
      checkPorts(design, model);
      const rows = model.exhaustive()!;
      expect(rows.length).toBe(65536);
      expect(compare(design, model, [...model.corners(), ...rows]).first).toEqual([]);
    });
  }
  const wide: Raw[] = [
    { a: 'fp16', b: 'fp16', accumulator: 'fp16', fused: true },
    { a: 'fp16', b: 'fp16', accumulator: 'fp16', fused: false, subnormals: 'flush' },
    { a: 'fp16', b: 'fp16', accumulator: 'fp32', fused: true },
    { a: 'bf16', b: 'bf16', accumulator: 'bf16', fused: true },
    { a: 'bf16', b: 'bf16', accumulator: 'fp32', fused: false },
    { a: 'bf16', b: 'bf16', accumulator: 'fp32', fused: true, subnormals: 'flush' },
  ];
  for (const raw of wide) {
    test(`corners + 5000 random: ${JSON.stringify(raw)}`, () => {
      const { design, model } = fromRegistry('fp_mac', raw);
      checkPorts(design, model);
      expect(compare(design, model, [...model.corners(), ...model.random(5000, new Rng(31))]).first).toEqual([]);
    });
  }

  test('planted fault: an unfused MAC does not pass as fused (double rounding is visible)', () => {
    const { model } = fromRegistry('fp_mac', { a: 'fp16', b: 'fp16', accumulator: 'fp16', fused: true });
    const { design } = fromRegistry('fp_mac', { a: 'fp16', b: 'fp16', accumulator: 'fp16', fused: false });
    const r = compare(design, model, [...model.corners(), ...model.random(3000, new Rng(2))]);
    expect(r.bad).toBeGreaterThan(10);
  });
});

for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `fp_mac on ${sim} vs the golden library`, () => {
    const cases: [string, Raw][] = [
      ['fpmac_e4m3_fp32', { a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp32', fused: true }],
      ['fpmac_e4m3_e5m2_fp32_unfused', { a: 'fp8_e4m3', b: 'fp8_e5m2', accumulator: 'fp32', fused: false, subnormals: 'flush' }],
    ];
    for (const [i, [name, raw]] of cases.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${name} ${JSON.stringify(raw)}: every pair (65,536 steps) + corners + 1000 random`, async () => {
        const r = await verifyOn(sim, 'fp_mac', name, raw, { vectors: 1000, exhaustive: true });
        expect(r.stimulusCounts.exhaustive).toBe(65536);
      }, SIM_TIMEOUT_MS);
    }
    const wide: [string, Raw][] = [
      ['fpmac_fp16', { a: 'fp16', b: 'fp16', accumulator: 'fp16', fused: true }],
      ['fpmac_bf16_fp32', { a: 'bf16', b: 'bf16', accumulator: 'fp32', fused: false }],
    ];
    for (const [i, [name, raw]] of wide.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${name} ${JSON.stringify(raw)}: corners + 3000 random`, async () => {
        await verifyOn(sim, 'fp_mac', name, raw, { vectors: 3000 });
      }, SIM_TIMEOUT_MS);
    }
  });
}
