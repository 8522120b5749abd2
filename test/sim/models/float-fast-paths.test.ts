/**
 * The float and MX models' Number fast paths (`randomSet`, `expectedStream`) against their bigint
 * row paths (`random`-compatible draws, `expected` through the golden `dotTree`, `floatConvert`,
 * `floatToInt`, `mxDotFp32`): exhaustive small formats (fp4/fp6/fp8), corner rows, and random
 * fp16/bf16/fp32 vectors.
 */
import { describe, expect, test } from 'vitest';
import { bf16, fp16, fp32, fp4_e2m1, fp6_e2m3, fp6_e3m2, fp8_e4m3, fp8_e5m2, type FloatFormat } from '../../../sim/golden/index.ts';
import { fixedFormat, intFormat } from '../../../formats/fixed.ts';
import { fpMacModel, type FpMacModelParams } from '../../../sim/models/float-mac.ts';
import { fpMulModel } from '../../../sim/models/float-mul.ts';
import { fpDotModel } from '../../../sim/models/float-dot.ts';
import { mxDotModel } from '../../../sim/models/mx-dot.ts';
import { fpConvertModel } from '../../../sim/models/float-convert.ts';
import { fastFloatStep, floatStep } from '../../../sim/models/systolic-float.ts';
import { randomFloatCode } from '../../../sim/models/float-common.ts';
import type { TransactionModel } from '../../../sim/models/types.ts';
import { Rng } from '../../../sim/random.ts';
import { VectorSet } from '../../../sim/vector-set.ts';

/** Fast expected vectors (in two chunks: state carries across) = the bigint rows, on corners + exhaustive + random. */
function checkModel(m: TransactionModel, randomCount: number, seed = 3): void {
  expect(m.expectedStream).toBeDefined();
  expect(m.randomSet).toBeDefined();
  const parts = [VectorSet.fromRows(m.inputs, m.corners())];
  const all = m.exhaustive();
  if (all !== undefined) parts.push(VectorSet.fromRows(m.inputs, all));
  if (randomCount > 0) parts.push(m.randomSet!(randomCount, new Rng(seed)));
  const stim = VectorSet.concat(m.inputs, parts);
  const rows = stim.toRows();
  const want = m.expected(rows);
  const half = rows.length >> 1;
  const stream = m.expectedStream!();
  const got = [...stream(VectorSet.fromRows(m.inputs, rows.slice(0, half))).toRows(), ...stream(VectorSet.fromRows(m.inputs, rows.slice(half))).toRows()];
  const bad = got.findIndex((r, i) => r[0] !== want[i]![0]);
  if (bad >= 0) expect({ row: rows[bad], got: got[bad] }).toEqual({ row: rows[bad], got: want[bad] });
  expect(got.length).toBe(want.length);
  expect(m.random(300, new Rng(seed + 1))).toEqual(m.randomSet!(300, new Rng(seed + 1)).toRows());
}

const n = (f: FloatFormat) => f.name;

describe('fp_mac', () => {
  const cases: [FpMacModelParams, number][] = [
    [{ a: fp8_e4m3, b: fp4_e2m1, accumulator: fp16, fused: true, subnormals: 'ieee' }, 0],
    [{ a: fp4_e2m1, b: fp6_e3m2, accumulator: fp8_e4m3, fused: false, subnormals: 'ieee' }, 0],
    [{ a: fp6_e2m3, b: fp6_e3m2, accumulator: fp8_e5m2, fused: true, subnormals: 'flush' }, 0],
    [{ a: bf16, b: bf16, accumulator: fp32, fused: false, subnormals: 'flush' }, 4000],
    [{ a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: 'ieee' }, 4000],
    [{ a: fp16, b: fp16, accumulator: fp16, fused: true, subnormals: 'ieee' }, 4000],
    [{ a: fp16, b: fp16, accumulator: bf16, fused: false, subnormals: 'flush' }, 3000],
    [{ a: fp16, b: fp16, accumulator: fp32, fused: true, subnormals: 'ieee' }, 3000],
  ];
  for (const [p, count] of cases) test(`${n(p.a)} x ${n(p.b)} -> ${n(p.accumulator)} ${p.fused ? 'fused' : 'unfused'} ${p.subnormals}`, () => checkModel(fpMacModel(p), count));

  test('random vectors are the documented draws (3 rng words a row: a, b, control)', () => {
    const p: FpMacModelParams = { a: bf16, b: bf16, accumulator: fp32, fused: false, subnormals: 'flush' };
    const rng = new Rng(9);
    // bf16 with uniformOneIn 8 (k = 3), spread 4: one word per code (3 + 12 + 16 <= 32).
    const code = (w: number): bigint => {
      if (Math.floor(w / 2 ** 29) === 0) return BigInt(w % 2 ** 16); // uniform: the low 16 bits
      const u = Math.floor(w / 2 ** 17) % 2 ** 12; // the 12 bits below the top 3
      const exp = 127 - 4 + Math.floor((u * 9) / 4096);
      return BigInt((w % 2 ** 16) - (Math.floor(w / 2 ** 7) % 2 ** 8) * 2 ** 7 + exp * 2 ** 7); // sign, mantissa kept
    };
    const want = Array.from({ length: 200 }, () => {
      const [a, b, c] = [rng.u32(), rng.u32(), rng.u32()];
      return [code(a), code(b), c < 2 ** 29 ? 0n : 1n, Math.floor(((c % 2 ** 16) * 6) / 2 ** 16) === 0 ? 1n : 0n];
    });
    const got = fpMacModel(p).random(200, new Rng(9));
    expect(got).toEqual(want);
    // The distribution's intent: both kinds of codes, both signs, en mostly 1, clear sometimes.
    expect(got.filter((r) => r[2] === 0n).length).toBeGreaterThan(10);
    expect(got.filter((r) => r[3] === 1n).length).toBeGreaterThan(15);
    expect(new Set(got.map((r) => r[0]! >> 15n)).size).toBe(2);
  });
});

describe('fp_mul', () => {
  test('fp8_e5m2 x fp8_e4m3 -> fp8_e4m3 flush (exhaustive)', () => checkModel(fpMulModel({ a: fp8_e5m2, b: fp8_e4m3, out: fp8_e4m3, subnormals: 'flush' }), 0));
  test('fp6_e3m2 x fp4_e2m1 -> fp4_e2m1 (exhaustive)', () => checkModel(fpMulModel({ a: fp6_e3m2, b: fp4_e2m1, out: fp4_e2m1, subnormals: 'ieee' }), 0));
  test('bf16 x bf16 -> bf16', () => checkModel(fpMulModel({ a: bf16, b: bf16, out: bf16, subnormals: 'ieee' }), 5000));
  test('bf16 x fp8_e5m2 -> bf16 flush', () => checkModel(fpMulModel({ a: bf16, b: fp8_e5m2, out: bf16, subnormals: 'flush' }), 5000));
  test('fp16 x fp16 -> fp16 flush', () => checkModel(fpMulModel({ a: fp16, b: fp16, out: fp16, subnormals: 'flush' }), 5000));
  test('fp32 x fp32 -> fp32', () => checkModel(fpMulModel({ a: fp32, b: fp32, out: fp32, subnormals: 'ieee' }), 5000));
});

describe('fp_dot', () => {
  test('1 lane fp6_e3m2 -> fp8_e4m3 (exhaustive)', () => checkModel(fpDotModel({ lanes: 1, a: fp6_e3m2, b: fp6_e3m2, accumulator: fp8_e4m3, subnormals: 'ieee' }), 0));
  test('4 lanes fp8_e4m3 -> fp16', () => checkModel(fpDotModel({ lanes: 4, a: fp8_e4m3, b: fp8_e4m3, accumulator: fp16, subnormals: 'ieee' }), 3000));
  test('3 lanes bf16 -> fp32 flush', () => checkModel(fpDotModel({ lanes: 3, a: bf16, b: bf16, accumulator: fp32, subnormals: 'flush' }), 3000));
  test('5 lanes fp16 -> fp16', () => checkModel(fpDotModel({ lanes: 5, a: fp16, b: fp16, accumulator: fp16, subnormals: 'ieee' }), 2000));
});

describe('mx_dot', () => {
  for (const f of ['mxfp8_e5m2', 'mxfp8_e4m3', 'mxfp6_e3m2', 'mxfp4_e2m1', 'mxint8']) test(f, () => checkModel(mxDotModel({ format: f }), 300));
});

describe('fp_convert', () => {
  test('fp8_e4m3 -> fp6_e2m3 saturating (exhaustive)', () => checkModel(fpConvertModel({ from: fp8_e4m3, to: fp6_e2m3, saturate: true, subnormals: 'flush' }), 0));
  test('fp8_e5m2 -> fp4_e2m1 (exhaustive; NaN -> +0)', () => checkModel(fpConvertModel({ from: fp8_e5m2, to: fp4_e2m1, saturate: false, subnormals: 'ieee' }), 0));
  for (const [to, saturate] of [[fp16, false], [bf16, true], [fp8_e4m3, true], [fp8_e5m2, false]] as const) {
    test(`fp32 -> ${to.name}${saturate ? ' saturating' : ''}`, () => checkModel(fpConvertModel({ from: fp32, to, saturate, subnormals: saturate ? 'flush' : 'ieee' }), 2000));
  }
  test('int8 -> fp16 (exhaustive)', () => checkModel(fpConvertModel({ from: intFormat(8, true), to: fp16, saturate: false, subnormals: 'ieee' }), 0));
  test('int32 -> bf16, uint32 -> fp32, fixed<20, 6 integer bits> -> fp8_e4m3', () => {
    checkModel(fpConvertModel({ from: intFormat(32, true), to: bf16, saturate: false, subnormals: 'ieee' }), 3000);
    checkModel(fpConvertModel({ from: intFormat(32, false), to: fp32, saturate: false, subnormals: 'ieee' }), 3000);
    checkModel(fpConvertModel({ from: fixedFormat(20, 6, true), to: fp8_e4m3, saturate: true, subnormals: 'ieee' }), 3000);
  });
  test('bf16 -> int8 every rounding (exhaustive), fp32 -> int32 / uint16', () => {
    for (const rounding of ['rne', 'rna', 'rtz', 'rup', 'rdn'] as const) checkModel(fpConvertModel({ from: bf16, to: intFormat(8, true), saturate: true, subnormals: 'ieee', rounding }), 0);
    checkModel(fpConvertModel({ from: fp32, to: intFormat(32, true), saturate: true, subnormals: 'flush' }), 4000);
    checkModel(fpConvertModel({ from: fp32, to: intFormat(16, false), saturate: true, subnormals: 'ieee', rounding: 'rna' }), 4000);
  });
});

describe('float systolic PE step', () => {
  const cases = [
    { a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: 'ieee' as const },
    { a: bf16, b: bf16, accumulator: fp32, fused: false, subnormals: 'flush' as const },
    { a: fp8_e4m3, b: fp8_e5m2, accumulator: fp16, fused: true, subnormals: 'ieee' as const },
  ];
  for (const p of cases) {
    test(`${n(p.a)} x ${n(p.b)} -> ${n(p.accumulator)} ${p.fused ? 'fused' : 'unfused'} ${p.subnormals}`, () => {
      const [fast, exact] = [fastFloatStep(p), floatStep(p)];
      const rng = new Rng(21);
      for (let i = 0; i < 5000; i++) {
        const [a, b, acc] = [randomFloatCode(p.a, rng, 4, 8), randomFloatCode(p.b, rng, 4, 8), randomFloatCode(p.accumulator, rng, 6, 8)];
        if (fast(a, b, acc) !== exact(a, b, acc)) expect({ a, b, acc, got: fast(a, b, acc) }).toEqual({ a, b, acc, got: exact(a, b, acc) });
      }
    });
  }
});
