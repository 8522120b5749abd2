import { type Int8Operand, maxAbsOffset } from './gemm-reference.ts';

/**
 * Integer dot product sum((a[i] - aZeroPoint) * (b[i] - bZeroPoint)) of int8/uint8 vectors, exact.
 * Fast path: Math.imul and int32 adds, exact when n * max|a - za| * max|b - zb| <= 2^31 - 1 (for int8
 * without zero points: n < 2^17); otherwise an exact bigint loop. Returns a bigint either way so the
 * caller never sees a wrapped value.
 */
export function dotInt8(a: Int8Operand, b: Int8Operand, aZeroPoint = 0, bZeroPoint = 0): bigint {
  if (a.length !== b.length) throw new RangeError(`dotInt8: lengths differ (${a.length} and ${b.length})`);
  const bound = a.length * maxAbsOffset(a, aZeroPoint) * maxAbsOffset(b, bZeroPoint);
  if (bound <= 2 ** 31 - 1) {
    let acc = 0;
    for (let i = 0; i < a.length; i++) acc = (acc + Math.imul((a[i] as number) - aZeroPoint, (b[i] as number) - bZeroPoint)) | 0;
    return BigInt(acc);
  }
  const za = BigInt(aZeroPoint);
  const zb = BigInt(bZeroPoint);
  let acc = 0n;
  for (let i = 0; i < a.length; i++) acc += (BigInt(a[i] as number) - za) * (BigInt(b[i] as number) - zb);
  return acc;
}
