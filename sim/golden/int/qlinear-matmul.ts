import { Rational } from '../rational.ts';
import { type IntType, assertInIntRange } from './int-type.ts';
import { quantizeAffine } from './affine.ts';

/** ONNX QLinearMatMul parameters (per-tensor); a, b and y share `type` (int8 or uint8 in ONNX). */
export interface QLinearMatMulParams {
  readonly type: IntType;
  readonly aScale: Rational;
  readonly aZeroPoint: bigint;
  readonly bScale: Rational;
  readonly bZeroPoint: bigint;
  readonly yScale: Rational;
  readonly yZeroPoint: bigint;
}

/** Exact integer (a - aZeroPoint) @ (b - bZeroPoint) for M x K and K x N matrices (rows of bigint). */
export function integerMatMul(a: readonly (readonly bigint[])[], b: readonly (readonly bigint[])[], aZeroPoint = 0n, bZeroPoint = 0n): bigint[][] {
  const k = b.length;
  const n = b[0]?.length ?? 0;
  if (b.some((row) => row.length !== n)) throw new RangeError('integerMatMul: b rows differ in length');
  return a.map((row, i) => {
    if (row.length !== k) throw new RangeError(`integerMatMul: a row ${i} has ${row.length} columns, b has ${k} rows`);
    const out: bigint[] = new Array<bigint>(n).fill(0n);
    for (let t = 0; t < k; t++) {
      const av = (row[t] as bigint) - aZeroPoint;
      const brow = b[t] as readonly bigint[];
      for (let j = 0; j < n; j++) out[j] = (out[j] as bigint) + av * ((brow[j] as bigint) - bZeroPoint);
    }
    return out;
  });
}

/**
 * ONNX QLinearMatMul: C = (a - a_zp) @ (b - b_zp) exactly, then
 * y = saturate(rne(C * a_scale * b_scale / y_scale) + y_zp) to `type`, all in exact arithmetic.
 * (Saturation is the spec; ONNX's Python reference wrapped before onnx/onnx PR #7868.)
 */
export function qlinearMatMul(a: readonly (readonly bigint[])[], b: readonly (readonly bigint[])[], p: QLinearMatMulParams): bigint[][] {
  for (const [name, m] of [['a', a], ['b', b]] as const) {
    m.forEach((row, i) => row.forEach((v, j) => assertInIntRange(v, p.type, `qlinearMatMul ${name}[${i}][${j}]`)));
  }
  const c = integerMatMul(a, b, p.aZeroPoint, p.bZeroPoint);
  // y = C * (a_scale * b_scale / y_scale): quantizeAffine divides by its scale, so pass the reciprocal.
  const scale = p.yScale.div(p.aScale.mul(p.bScale));
  const affine = { type: p.type, scale, zeroPoint: p.yZeroPoint, rounding: 'rne' } as const;
  assertInIntRange(p.aZeroPoint, p.type, 'qlinearMatMul a zero point');
  assertInIntRange(p.bZeroPoint, p.type, 'qlinearMatMul b zero point');
  return c.map((row) => row.map((v) => quantizeAffine(Rational.of(v), affine)));
}
