// fp_dot vs the golden float library (dotTree: exact products, pairwise tree, sums rounded to the
// accumulator): lane counts 1..8 over fp8/fp16/bf16 operands on the built-in simulator; the
// 1-lane fp8 case exhaustively; Icarus and Verilator on corners + random vectors.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../sim/random.ts';
import { describeWithTools, runsOn } from '../../helpers/simulators.ts';
import { checkPorts, compare, fromRegistry, SIM_TIMEOUT_MS, verifyOn, type Raw } from '../float/helpers.ts';

describe('fp_dot vs the golden library (built-in simulator)', () => {
  const configs: Raw[] = [
    { lanes: 1, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp32' },
    { lanes: 2, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp8_e4m3' },
    { lanes: 3, a: 'fp8_e4m3', b: 'fp8_e5m2', accumulator: 'fp32' },
    { lanes: 4, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp16', subnormals: 'flush' },
    { lanes: 5, a: 'bf16', b: 'bf16', accumulator: 'fp32' },
    { lanes: 8, a: 'fp16', b: 'fp16', accumulator: 'fp16' },
  ];
  for (const raw of configs) {
    test(`corners + 2000 random${raw['lanes'] === 1 ? ' + every pair' : ''}: ${JSON.stringify(raw)}`, () => {
      const { design, model } = fromRegistry('fp_dot', raw);
      checkPorts(design, model);
      const rows = [...model.corners(), ...model.random(2000, new Rng(13)), ...(model.exhaustive() ?? [])];
      expect(compare(design, model, rows).first).toEqual([]);
    });
  }

  test('tree order matters and is the golden one: a left-to-right chain model disagrees', () => {
    // (p0+p1)+p2 vs p0+(p1+p2) with fp16 sums differ for 1, 2^-11, 2^-11 (ties to even).
    const { design, model } = fromRegistry('fp_dot', { lanes: 3, a: 'fp16', b: 'fp16', accumulator: 'fp16' });
    const one = 0x3c00n;
    const tiny = 0x1000n; // 2^-11
    const rows = [[tiny, tiny, one, one, one, one], [one, tiny, tiny, one, one, one]];
    expect(compare(design, model, rows).first).toEqual([]);
    const out = model.expected(rows);
    expect(out[0]![0]).toBe(0x3c01n); // (2^-11 + 2^-11) + 1 = 1 + 2^-10
    expect(out[1]![0]).toBe(0x3c00n); // (1 + 2^-11) + 2^-11 = 1 (each tie to even)
  });
});

for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `fp_dot on ${sim} vs the golden library`, () => {
    const cases: [string, Raw][] = [
      ['fpdot_bf16x3_fp32', { lanes: 3, a: 'bf16', b: 'bf16', accumulator: 'fp32', subnormals: 'flush' }],
      ['fpdot_e4m3x8_fp32', { lanes: 8, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp32' }],
    ];
    for (const [i, [name, raw]] of cases.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${name} ${JSON.stringify(raw)}: corners + 2000 random`, async () => {
        await verifyOn(sim, 'fp_dot', name, raw, { vectors: 2000 });
      }, SIM_TIMEOUT_MS);
    }
  });
}
