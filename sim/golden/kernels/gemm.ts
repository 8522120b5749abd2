import { ensureMemory, wasmGemm } from './gemm-wasm.ts';
import { type GemmOptions, type GemmShape, type Int8Operand, checkGemmArgs, gemmInt8BigInt, gemmInt8Reference, maxAbsOffset } from './gemm-reference.ts';

const INT32_MAX = 2 ** 31 - 1;
/** Row chunk per kernel call: small enough that V8 tiers the kernel up early in a large GEMM. */
const ROWS_PER_CALL = 16;

/**
 * True when int32 accumulation is provably exact: every partial sum of C's terms is bounded by
 * k * max|a - za| * max|b - zb| + max|bias| <= 2^31 - 1. For int8 x int8 without zero points that is
 * k * 2^14 <= 2^31 - 1, i.e. k < 2^17. The widened operands must also fit int16 for the SIMD kernel.
 */
export function int32AccumulationIsExact(a: Int8Operand, b: Int8Operand, s: GemmShape, o: GemmOptions): boolean {
  const ma = maxAbsOffset(a, o.aZeroPoint ?? 0);
  const mb = maxAbsOffset(b, o.bZeroPoint ?? 0);
  let maxBias = 0;
  if (o.bias != null) for (const v of o.bias) maxBias = Math.max(maxBias, Math.abs(v));
  return ma <= 32767 && mb <= 32767 && s.k * ma * mb + maxBias <= INT32_MAX;
}

const align16 = (x: number) => Math.ceil(x / 16) * 16;

/**
 * C = (A - aZeroPoint)(B - bZeroPoint) + bias as int32, row-major m x n (A m x k, B k x n, int8 or
 * uint8 codes; bias one int32 per column). Fast path: WebAssembly SIMD (exact, see
 * int32AccumulationIsExact); otherwise an exact bigint fallback, which throws RangeError when some
 * element of C is outside int32.
 */
export function gemmInt8(a: Int8Operand, b: Int8Operand, s: GemmShape, o: GemmOptions = {}): Int32Array {
  checkGemmArgs(a, b, s, o);
  const out = new Int32Array(s.m * s.n);
  if (s.m === 0 || s.n === 0) return out;
  const kernel = wasmGemm();
  if (!int32AccumulationIsExact(a, b, s, o)) return fromBigInt(gemmInt8BigInt(a, b, s, o), s);
  if (kernel === null) return gemmInt8Reference(a, b, s, o);
  if (s.k === 0) return withBias(out, s, o);
  const mp = Math.ceil(s.m / 2) * 2;
  const np = Math.ceil(s.n / 4) * 4;
  const kp = Math.ceil(s.k / 8) * 8;
  const aBytes = mp * kp * 2;
  const bBytes = np * kp * 2;
  const cOff = align16(aBytes + bBytes);
  const buffer = ensureMemory(kernel, cOff + mp * np * 4);
  packRows(new Int16Array(buffer, 0, mp * kp), a, s.m, s.k, kp, o.aZeroPoint ?? 0);
  packColumns(new Int16Array(buffer, aBytes, np * kp), b, s.k, s.n, kp, o.bZeroPoint ?? 0);
  for (let i0 = 0; i0 < mp; i0 += ROWS_PER_CALL) kernel.gemm(0, aBytes, cOff, i0, Math.min(i0 + ROWS_PER_CALL, mp), np, kp * 2);
  const c = new Int32Array(buffer, cOff, mp * np);
  for (let i = 0; i < s.m; i++) out.set(c.subarray(i * np, i * np + s.n), i * s.n);
  return withBias(out, s, o);
}

/** A (m x k) widened to int16 rows of kp, minus the zero point; padding is zero. */
function packRows(dst: Int16Array, a: Int8Operand, m: number, k: number, kp: number, za: number): void {
  dst.fill(0);
  for (let i = 0; i < m; i++) {
    const src = i * k;
    const d = i * kp;
    for (let t = 0; t < k; t++) dst[d + t] = (a[src + t] as number) - za;
  }
}

/** B (k x n) transposed to int16 rows of kp (one per column), minus the zero point; padding is zero. */
function packColumns(dst: Int16Array, b: Int8Operand, k: number, n: number, kp: number, zb: number): void {
  dst.fill(0);
  for (let t = 0; t < k; t++) {
    const src = t * n;
    for (let j = 0; j < n; j++) dst[j * kp + t] = (b[src + j] as number) - zb;
  }
}

function withBias(out: Int32Array, s: GemmShape, o: GemmOptions): Int32Array {
  const bias = o.bias;
  if (bias == null) return out;
  for (let i = 0; i < s.m; i++) for (let j = 0; j < s.n; j++) out[i * s.n + j] = ((out[i * s.n + j] as number) + (bias[j] as number)) | 0;
  return out;
}

function fromBigInt(c: readonly bigint[], s: GemmShape): Int32Array {
  const out = new Int32Array(c.length);
  c.forEach((v, idx) => {
    if (BigInt.asIntN(32, v) !== v) throw new RangeError(`gemmInt8: C[${Math.floor(idx / s.n)}][${idx % s.n}] = ${v} is outside int32`);
    out[idx] = Number(v);
  });
  return out;
}
