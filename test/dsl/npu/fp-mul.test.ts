// fp_mul vs the golden float library: every fp8 x fp8 pair (and fp6 x fp6, fnuz) on the built-in
// simulator, on Icarus and on Verilator (65,536 vectors each); interesting-code pairs and random
// vectors for fp16/bf16/fp32; planted faults are caught.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../sim/random.ts';
import { join } from 'node:path';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import { describeWithTools, runsOn, testCacheDir } from '../../helpers/simulators.ts';
import { checkPorts, compare, fromRegistry, SIM_TIMEOUT_MS, verifyOn, type Raw } from '../float/helpers.ts';

describe('fp_mul vs the golden library (built-in simulator)', () => {
  const exhaustive: Raw[] = [
    { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3' },
    { a: 'fp8_e5m2', b: 'fp8_e5m2', out: 'fp8_e5m2' },
    { a: 'fp8_e4m3', b: 'fp8_e5m2', out: 'fp16' },
    { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'bf16', subnormals: 'flush' },
    { a: 'fp8_e5m2', b: 'fp8_e4m3', out: 'fp8_e4m3', subnormals: 'flush' },
    { a: 'fp8_e4m3fnuz', b: 'fp8_e5m2fnuz', out: 'fp8_e4m3fnuz' },
    { a: 'fp6_e3m2', b: 'fp6_e2m3', out: 'fp4_e2m1' },
  ];
  for (const raw of exhaustive) {
    test(`every pair: ${JSON.stringify(raw)}`, () => {
      const { design, model } = fromRegistry('fp_mul', raw);
      checkPorts(design, model);
      const rows = model.exhaustive()!;
      expect(rows.length).toBe(2 ** (model.inputs[0]!.width + model.inputs[1]!.width));
      expect(compare(design, model, [...rows, ...model.corners()]).first).toEqual([]);
    });
  }
  for (const raw of [{ a: 'fp16', b: 'fp16', out: 'fp16' }, { a: 'bf16', b: 'bf16', out: 'bf16' }, { a: 'fp16', b: 'fp16', out: 'fp32', subnormals: 'flush' }, { a: 'fp32', b: 'fp32', out: 'fp32' }, { a: 'bf16', b: 'fp16', out: 'fp8_e4m3' }] as Raw[]) {
    test(`interesting pairs + 4000 random: ${JSON.stringify(raw)}`, () => {
      const { design, model } = fromRegistry('fp_mul', raw);
      expect(compare(design, model, [...model.corners(), ...model.random(4000, new Rng(11))]).first).toEqual([]);
    });
  }

  test('planted faults are caught: flushing instead of gradual underflow, a product of the wrong format', () => {
    const { model } = fromRegistry('fp_mul', { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3' });
    const rows = model.exhaustive()!;
    const flushed = fromRegistry('fp_mul', { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3', subnormals: 'flush' }).design;
    const r = compare(flushed, model, rows);
    expect(r.bad).toBeGreaterThan(100);
    expect(r.bad).toBeLessThan(rows.length / 4);
  });
});


for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `fp_mul on ${sim} vs the golden library`, () => {
    const cases: [string, Raw][] = [
      ['fpmul_e4m3', { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3' }],
      ['fpmul_e5m2', { a: 'fp8_e5m2', b: 'fp8_e5m2', out: 'fp8_e5m2' }],
      ['fpmul_e4m3_e5m2_fp16', { a: 'fp8_e4m3', b: 'fp8_e5m2', out: 'fp16', subnormals: 'flush' }],
    ];
    for (const [i, [name, raw]] of cases.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${name} ${JSON.stringify(raw)}: every pair (65,536) + corners + 500 random`, async () => {
        const r = await verifyOn(sim, 'fp_mul', name, raw, { vectors: 500, exhaustive: true });
        expect(r.stimulusCounts.exhaustive).toBe(65536);
      }, SIM_TIMEOUT_MS);
    }
    test.runIf(sim === 'icarus')('a planted fault (flush-to-zero design vs the gradual-underflow model) fails on the real simulator too', async () => {
      const { model } = fromRegistry('fp_mul', { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3' });
      const bad = fromRegistry('fp_mul', { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3', subnormals: 'flush' }, 'fpmul_fault').design;
      const r = await verifyDesign(bad, { model, simulators: [sim], vectors: 0, seed: 1, exhaustive: true, runDirFor: (s) => join(testCacheDir(), `fp_mul-fault-${s}`) });
      expect(r.passed).toBe(false);
      expect(r.outcomes[0]!.counts.mismatches).toBeGreaterThan(100);
    }, SIM_TIMEOUT_MS);
    const wide: [string, Raw][] = [
      ['fpmul_fp16', { a: 'fp16', b: 'fp16', out: 'fp16' }],
      ['fpmul_bf16', { a: 'bf16', b: 'bf16', out: 'bf16' }],
    ];
    for (const [i, [name, raw]] of wide.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${name}: corners + 3000 random`, async () => {
        await verifyOn(sim, 'fp_mul', name, raw, { vectors: 3000 });
      }, SIM_TIMEOUT_MS);
    }
  });
}
