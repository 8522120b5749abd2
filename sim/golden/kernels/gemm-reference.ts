/*
 * The simple references the fast GEMM is tested against: a plain triple loop in Numbers (exact while
 * every partial sum stays below 2^53) and an exact bigint version for anything.
 */

/** A GEMM operand: int8 or uint8 codes, row-major. */
export type Int8Operand = Int8Array | Uint8Array;

/** Shapes and zero points of C = (A - aZeroPoint)(B - bZeroPoint) + bias, A m x k, B k x n, bias per column. */
export interface GemmShape {
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

export interface GemmOptions {
  readonly aZeroPoint?: number;
  readonly bZeroPoint?: number;
  /** One int32 per output column (output channel), or none. */
  readonly bias?: Int32Array | null;
}

/** Checks dimensions, array lengths, zero points and bias; throws RangeError naming the problem. */
export function checkGemmArgs(a: Int8Operand, b: Int8Operand, s: GemmShape, o: GemmOptions): void {
  for (const [name, v] of [['m', s.m], ['k', s.k], ['n', s.n]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`gemm: ${name} must be a non-negative integer, got ${v}`);
  }
  if (a.length !== s.m * s.k) throw new RangeError(`gemm: A must have m*k = ${s.m * s.k} elements, got ${a.length}`);
  if (b.length !== s.k * s.n) throw new RangeError(`gemm: B must have k*n = ${s.k * s.n} elements, got ${b.length}`);
  for (const [name, z] of [['aZeroPoint', o.aZeroPoint], ['bZeroPoint', o.bZeroPoint]] as const) {
    if (z !== undefined && (!Number.isInteger(z) || Math.abs(z) > 65535)) throw new RangeError(`gemm: ${name} must be an integer in [-65535, 65535], got ${z}`);
  }
  if (o.bias != null && o.bias.length !== s.n) throw new RangeError(`gemm: bias must have n = ${s.n} elements, got ${o.bias.length}`);
}

/** Largest |x - zeroPoint| over the operand's code range. */
export function maxAbsOffset(x: Int8Operand, zeroPoint: number): number {
  const [lo, hi] = x instanceof Int8Array ? [-128, 127] : [0, 255];
  return Math.max(Math.abs(lo - zeroPoint), Math.abs(hi - zeroPoint));
}

/** Exact C as bigints (row-major m x n), any sizes. */
export function gemmInt8BigInt(a: Int8Operand, b: Int8Operand, s: GemmShape, o: GemmOptions = {}): bigint[] {
  checkGemmArgs(a, b, s, o);
  const za = BigInt(o.aZeroPoint ?? 0);
  const zb = BigInt(o.bZeroPoint ?? 0);
  const out = new Array<bigint>(s.m * s.n);
  for (let i = 0; i < s.m; i++) {
    for (let j = 0; j < s.n; j++) {
      let acc = BigInt(o.bias?.[j] ?? 0);
      for (let t = 0; t < s.k; t++) acc += (BigInt(a[i * s.k + t] as number) - za) * (BigInt(b[t * s.n + j] as number) - zb);
      out[i * s.n + j] = acc;
    }
  }
  return out;
}

/**
 * The plain i-j-k loop in Numbers, int32 result. Exact because every partial sum is bounded by
 * k * max|a - za| * max|b - zb| + |bias| < 2^53 (asserted); results outside int32 throw RangeError.
 */
export function gemmInt8Reference(a: Int8Operand, b: Int8Operand, s: GemmShape, o: GemmOptions = {}): Int32Array {
  checkGemmArgs(a, b, s, o);
  const za = o.aZeroPoint ?? 0;
  const zb = o.bZeroPoint ?? 0;
  if (s.k * maxAbsOffset(a, za) * maxAbsOffset(b, zb) + 2 ** 31 >= 2 ** 53) throw new RangeError(`gemmInt8Reference: k = ${s.k} is too large for exact Number sums`);
  const out = new Int32Array(s.m * s.n);
  for (let i = 0; i < s.m; i++) {
    for (let j = 0; j < s.n; j++) {
      let acc = o.bias?.[j] ?? 0;
      for (let t = 0; t < s.k; t++) acc += ((a[i * s.k + t] as number) - za) * ((b[t * s.n + j] as number) - zb);
      if (acc < -(2 ** 31) || acc >= 2 ** 31) throw new RangeError(`gemmInt8Reference: C[${i}][${j}] = ${acc} is outside int32`);
      out[i * s.n + j] = acc;
    }
  }
  return out;
}
