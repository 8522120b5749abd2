// fp_convert between integers and floats vs the golden library (intToFloat / floatToInt): every input
// of 16 bits or fewer on the built-in simulator (int8/int16/uint/fixed -> fp8/fp16/bf16/fp32/fp6/fp4,
// fp16/bf16/fp8/fp6/fp4 -> int in every rounding mode), int32 <-> fp32 on corners + random; int8 ->
// fp16, int16 -> bf16, fp16 -> int8 exhaustively and int32 <-> fp32 on corners + random on Icarus and
// Verilator, where a planted rounding fault is caught; lint/latch checks; the header states the
// numerics; bad combinations name the param.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../sim/random.ts';
import { topModule } from '../../../dsl/ir/nodes.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { join } from 'node:path';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import { describeWithTools, runsOn, testCacheDir } from '../../helpers/simulators.ts';
import { checkPorts, compare, fromRegistry, SIM_TIMEOUT_MS, verifyOn, type Raw } from '../float/helpers.ts';

/** Exhaustive sets take a few seconds each on the built-in simulator on a loaded 2-core machine. */
const BUILTIN_TIMEOUT_MS = 120_000;

function exhaustive(raw: Raw): void {
  const { design, model } = fromRegistry('fp_convert', raw);
  checkPorts(design, model);
  const rows = model.exhaustive()!;
  expect(rows.length).toBe(2 ** model.inputs[0]!.width);
  expect(compare(design, model, rows).first).toEqual([]);
}

describe('integer -> float, every input (built-in simulator)', () => {
  const cases: Raw[] = [
    { from: 'int8', to: 'fp8_e4m3' },
    { from: 'int8', to: 'fp8_e4m3', saturate: true },
    { from: 'int8', to: 'fp8_e5m2' },
    { from: 'int8', to: 'fp8_e4m3fnuz' },
    { from: 'uint8', to: 'fp8_e4m3' },
    { from: 'int8', to: 'fp16' },
    { from: 'int8', to: 'bf16' },
    { from: 'int8', to: 'fp32' },
    { from: 'int8', to: 'fp6_e3m2' },
    { from: 'int8', to: 'fp4_e2m1' },
    { from: 'uint4', to: 'fp4_e2m1' },
    { from: 'int16', to: 'fp16' },
    { from: 'uint16', to: 'fp16' },
    { from: 'uint16', to: 'fp16', saturate: true },
    { from: 'int16', to: 'bf16' },
    { from: 'int16', to: 'fp32' },
    { from: 'int16', to: 'fp8_e4m3' },
    { from: 'int16', to: 'fp8_e5m2', saturate: true },
    { from: 'fixed<16,4>', to: 'fp16' },
    { from: 'fixed<16,4>', to: 'fp8_e4m3', subnormals: 'flush' },
    { from: 'ufixed<12,-2>', to: 'fp8_e5m2' },
    { from: 'fixed<8,12>', to: 'fp8_e4m3' },
  ];
  for (const raw of cases) test(JSON.stringify(raw), () => exhaustive(raw), BUILTIN_TIMEOUT_MS);
});

describe('float -> integer, every input (built-in simulator)', () => {
  const cases: Raw[] = [
    ...(['rne', 'rna', 'rtz', 'rup', 'rdn'] as const).flatMap((rounding) => [{ from: 'fp16', to: 'int16', rounding }, { from: 'fp8_e4m3', to: 'int4', rounding }]),
    { from: 'fp16', to: 'int8' },
    { from: 'fp16', to: 'int32' },
    { from: 'fp16', to: 'uint8', rounding: 'rtz' },
    { from: 'fp16', to: 'int16', subnormals: 'flush', rounding: 'rup' },
    { from: 'bf16', to: 'int32' },
    { from: 'bf16', to: 'uint16', rounding: 'rdn' },
    { from: 'bf16', to: 'int8', subnormals: 'flush', rounding: 'rdn' },
    { from: 'fp8_e4m3', to: 'int8' },
    { from: 'fp8_e4m3', to: 'uint8' },
    { from: 'fp8_e5m2', to: 'int8', rounding: 'rup' },
    { from: 'fp8_e5m2', to: 'int32' },
    { from: 'fp8_e4m3fnuz', to: 'int8' },
    { from: 'fp8_e5m2fnuz', to: 'uint8', rounding: 'rna' },
    { from: 'fp6_e3m2', to: 'int4' },
    { from: 'fp6_e2m3', to: 'int8', rounding: 'rna' },
    { from: 'fp4_e2m1', to: 'int2' },
    { from: 'fp4_e2m1', to: 'uint1', rounding: 'rup' },
  ];
  for (const raw of cases) test(JSON.stringify(raw), () => exhaustive(raw), BUILTIN_TIMEOUT_MS);
});

describe('int32 <-> fp32: corners + random (built-in simulator)', () => {
  test('int32 -> fp32 (and uint32, saturating int32 -> fp16): the corners hold 0, ±1, min/max, 2^24 ± 1 and the ties around 2^k', () => {
    const { design, model } = fromRegistry('fp_convert', { from: 'int32', to: 'fp32' });
    checkPorts(design, model);
    const corners = model.corners().map(([a]) => a!);
    const want = [0n, 1n, -1n, 2n ** 31n - 1n, -(2n ** 31n), -(2n ** 31n) + 1n, 2n ** 24n, 2n ** 24n + 1n, 2n ** 24n - 1n, 2n ** 24n + 3n, 2n ** 25n + 2n, 2n ** 25n + 6n, -(2n ** 24n + 1n), 2n ** 31n - 64n, 2n ** 31n - 65n, 2n ** 30n + 2n ** 6n];
    for (const n of want) expect(corners, `corner ${n}`).toContain(n);
    const rows = [...model.corners(), ...model.random(20000, new Rng(7))];
    expect(compare(design, model, rows).first).toEqual([]);
    for (const raw of [{ from: 'uint32', to: 'fp32' }, { from: 'int32', to: 'fp16', saturate: true }, { from: 'int32', to: 'bf16' }]) {
      const r = fromRegistry('fp_convert', raw);
      expect(compare(r.design, r.model, [...r.model.corners(), ...r.model.random(5000, new Rng(8))]).first, JSON.stringify(raw)).toEqual([]);
    }
  }, BUILTIN_TIMEOUT_MS);

  test('fp32 -> int32 in every rounding mode, fp32 -> int8 / uint32: the corners hold ±0, ±Inf, NaNs, subnormals, .5 ties and the range edges', () => {
    const codes = (xs: number[]): bigint[] => xs.map((x) => { const b = new DataView(new ArrayBuffer(4)); b.setFloat32(0, x); return BigInt(b.getUint32(0)); });
    for (const rounding of ['rne', 'rna', 'rtz', 'rup', 'rdn']) {
      const { design, model } = fromRegistry('fp_convert', { from: 'fp32', to: 'int32', rounding });
      checkPorts(design, model);
      const corners = model.corners().map(([a]) => a!);
      const want = [...codes([0, -0, Infinity, -Infinity, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, 2 ** 31, -(2 ** 31), 2 ** 30 + 0.5, 2 ** -149, -(2 ** -149), 2 ** -126]), 0x7fc00000n, 0x7f800001n, 0xffc00000n];
      for (const c of want) expect(corners, `corner 0x${c.toString(16)}`).toContain(c);
      const rows = [...model.corners(), ...model.random(10000, new Rng(9))];
      expect(compare(design, model, rows).first, rounding).toEqual([]);
    }
    for (const raw of [{ from: 'fp32', to: 'int8' }, { from: 'fp32', to: 'uint32', rounding: 'rna' }, { from: 'fp32', to: 'int16', subnormals: 'flush', rounding: 'rdn' }]) {
      const r = fromRegistry('fp_convert', raw);
      expect(compare(r.design, r.model, [...r.model.corners(), ...r.model.random(5000, new Rng(10))]).first, JSON.stringify(raw)).toEqual([]);
    }
  }, BUILTIN_TIMEOUT_MS);

  test('planted fault: the comparison catches a design rounding toward zero checked against an rne model', () => {
    const { model } = fromRegistry('fp_convert', { from: 'fp16', to: 'int8' });
    const { design } = fromRegistry('fp_convert', { from: 'fp16', to: 'int8', rounding: 'rtz' });
    expect(compare(design, model, model.exhaustive()!).bad).toBeGreaterThan(1000);
  });
});

describe('fp_convert header and parameters', () => {
  const header = (raw: Raw): string => topModule(fromRegistry('fp_convert', raw).design).doc.join('\n');

  test('the module header states rounding, overflow/saturation, NaN and subnormal handling', () => {
    const i2f = header({ from: 'int8', to: 'fp16' });
    expect(i2f).toContain('round-to-nearest-even');
    expect(i2f).toContain('overflow gives ±Inf');
    expect(i2f).toContain('0 gives +0');
    expect(i2f).toMatch(/subnormal results honoured.*never produces one/);
    expect(header({ from: 'int16', to: 'fp8_e4m3' })).toContain('overflow gives the canonical NaN 0x7f (fp8_e4m3 has no Inf)');
    expect(header({ from: 'int16', to: 'fp8_e4m3', saturate: true })).toContain('overflow saturates to ±max finite');
    const f2i = header({ from: 'fp32', to: 'int8' });
    expect(f2i).toContain('round-to-nearest-even');
    expect(f2i).toContain('always saturating: values above 127 and +Inf give 127, values below -128 and -Inf give -128 (never wraps)');
    expect(f2i).toContain('NaN gives 0');
    expect(f2i).toContain('subnormal inputs honoured');
    expect(header({ from: 'bf16', to: 'uint16', rounding: 'rtz', subnormals: 'flush' })).toMatch(/toward zero[\s\S]*values below 0 and -Inf give 0[\s\S]*subnormal inputs read as ±0 \(DAZ\)/);
  });

  test('bad combinations are rejected with a message naming the param', () => {
    expect(() => fromRegistry('fp_convert', { from: 'int8', to: 'int16' })).toThrow(/from \(int8\) and to \(int16\) are both integer/);
    expect(() => fromRegistry('fp_convert', { from: 'fp16', to: 'fixed<16,4>' })).toThrow(/to: fixed<16,4> is fixed point/);
    expect(() => fromRegistry('fp_convert', { from: 'fp32', to: 'int64' })).toThrow(/to: int64 is wider than 52 bits/);
    expect(() => fromRegistry('fp_convert', { from: 'int8', to: 'fp16', rounding: 'rtz' })).toThrow(/rounding: rtz applies only to float -> integer/);
    expect(() => fromRegistry('fp_convert', { from: 'fp32', to: 'fp16', rounding: 'rup' })).toThrow(/rounding: rup/);
    expect(() => fromRegistry('fp_convert', { from: 'int8', to: 'fp99' })).toThrow(/params\.to: expected a float format .* or an integer format/);
    expect(() => fromRegistry('fp_convert', { from: 'fp32', to: 'int8', rounding: 'nearest' })).toThrow(/params\.rounding: expected one of rne, rna, rtz, rup, rdn/);
  });
});

describeWithTools('yosys', 'integer fp_convert RTL is lint-clean and latch-free', () => {
  const cases: Raw[] = [
    { from: 'int8', to: 'fp16' },
    { from: 'uint8', to: 'fp8_e4m3', saturate: true },
    { from: 'fixed<16,4>', to: 'fp16', subnormals: 'flush' },
    { from: 'fp32', to: 'int8' },
    { from: 'fp16', to: 'uint16', rounding: 'rdn' },
    { from: 'bf16', to: 'int32', rounding: 'rna' },
  ];
  for (const raw of cases) {
    test(`${JSON.stringify(raw)}: verilator -Wall and yosys check pass`, async () => {
      const { design } = fromRegistry('fp_convert', raw, 'cvt_int_lint');
      const outcomes = await lintRtl(emitVerilog(design), 'cvt_int_lint');
      for (const o of outcomes) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
    }, 300_000);
  }
});

for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `integer fp_convert on ${sim} vs the golden library`, () => {
    const exhaustive = [
      ['cvt_i8_h', { from: 'int8', to: 'fp16' }, 256],
      ['cvt_i16_bf16', { from: 'int16', to: 'bf16' }, 65536],
      ['cvt_h_i8', { from: 'fp16', to: 'int8' }, 65536],
      ['cvt_h_u16_rtz', { from: 'fp16', to: 'uint16', rounding: 'rtz' }, 65536],
    ] as const;
    for (const [i, [name, raw, n]] of exhaustive.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${name} ${JSON.stringify(raw)}: every input`, async () => {
        const r = await verifyOn(sim, 'fp_convert', name, raw, { vectors: 0, exhaustive: true, corners: false });
        expect(r.stimulusCounts.exhaustive).toBe(n);
      }, SIM_TIMEOUT_MS);
    }
    test('planted fault: a design rounding toward zero, checked against the rne model, fails on the corners', async () => {
      const { model } = fromRegistry('fp_convert', { from: 'fp16', to: 'int8' });
      const { design } = fromRegistry('fp_convert', { from: 'fp16', to: 'int8', rounding: 'rtz' }, 'cvt_h_i8_fault');
      const r = await verifyDesign(design, { model, simulators: [sim], vectors: 0, seed: 1, corners: true, runDirFor: (s) => join(testCacheDir(), `fp_convert-${s}-fault`) });
      expect(r.passed).toBe(false);
      expect(r.outcomes[0]!.counts.mismatches).toBeGreaterThan(10);
    }, SIM_TIMEOUT_MS);
    const wide = [
      ['cvt_i32_s', { from: 'int32', to: 'fp32' }],
      ['cvt_s_i32', { from: 'fp32', to: 'int32' }],
      ['cvt_s_i32_rdn', { from: 'fp32', to: 'int32', rounding: 'rdn' }],
    ] as const;
    for (const [i, [name, raw]] of wide.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${name} ${JSON.stringify(raw)}: corners + 3000 random`, async () => {
        await verifyOn(sim, 'fp_convert', name, raw, { vectors: 3000 });
      }, SIM_TIMEOUT_MS);
    }
  });
}
