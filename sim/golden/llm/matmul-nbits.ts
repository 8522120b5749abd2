/**
 * ONNX `MatMulNBits` (com.microsoft, onnxruntime), bits = 4: Y[M][N] = A[M][K] · Bᵀ with B[N][K]
 * block-quantized along K.
 * - B: uint8 [N][ceil(K/block)][block/2]; element k of a block is in byte k/2, low nibble for even k,
 *   high nibble for odd k (positions past K in the last block are padding);
 * - scales: float [N · ceil(K/block)] (n-major);
 * - zero_points (optional): uint8 [N · ceil(ceil(K/block)/2)], block 2i of a row in the low nibble and
 *   2i+1 in the high nibble of byte i; 8 when absent;
 * - attributes K, N, bits = 4, block_size (a power of two, 16..256; onnxruntime's kernels need >= 16).
 * The golden dequantization is w = fp32((q − zp) · scale), one rounding; the golden product is the
 * exact Σ a·w rounded once to fp32. onnxruntime accumulates in fp32 in its own (blocked, SIMD) order;
 * `ortErrorBound` states how far it can be.
 */
import { fp32 } from '../float/format.ts';
import { fp32ToNumber } from '../float/fast.ts';
import { roundToFormat } from '../float/round.ts';
import { dyadic } from '../float/value.ts';
import { fp16Value } from './c-float.ts';
import { checkInt4GroupWeights, type Int4GroupWeights } from './group-weights.ts';

export interface MatMulNBitsWeights {
  readonly k: number;
  readonly n: number;
  readonly blockSize: number;
  /** [N][kBlocks][blockSize/2] bytes. */
  readonly b: Uint8Array;
  /** N·kBlocks binary32 scales. */
  readonly scales: Float32Array;
  /** N·ceil(kBlocks/2) packed zero points, or absent (every zero point 8). */
  readonly zeroPoints?: Uint8Array;
}

export const MATMUL_NBITS_BLOCK_SIZES: readonly number[] = [16, 32, 64, 128, 256];

export function kBlocks(w: Pick<MatMulNBitsWeights, 'k' | 'blockSize'>): number {
  return Math.ceil(w.k / w.blockSize);
}

export function checkMatMulNBits(w: MatMulNBitsWeights): void {
  const nb = kBlocks(w);
  const fail = (what: string) => {
    throw new RangeError(`MatMulNBits (K ${w.k}, N ${w.n}, block_size ${w.blockSize}): ${what}`);
  };
  if (!MATMUL_NBITS_BLOCK_SIZES.includes(w.blockSize)) fail(`block_size must be one of ${MATMUL_NBITS_BLOCK_SIZES.join(', ')}`);
  if (w.b.length !== w.n * nb * (w.blockSize / 2)) fail(`B has ${w.b.length} bytes, expected N·ceil(K/block)·block/2 = ${w.n * nb * (w.blockSize / 2)}`);
  if (w.scales.length !== w.n * nb) fail(`scales has ${w.scales.length} entries, expected N·ceil(K/block) = ${w.n * nb}`);
  if (w.zeroPoints && w.zeroPoints.length !== w.n * Math.ceil(nb / 2)) fail(`zero_points has ${w.zeroPoints.length} bytes, expected N·ceil(ceil(K/block)/2) = ${w.n * Math.ceil(nb / 2)}`);
}

/** Code of B[n][k] (0..15). */
export function nbitsCode(w: MatMulNBitsWeights, n: number, k: number): number {
  const byte = w.b[(n * kBlocks(w) + Math.floor(k / w.blockSize)) * (w.blockSize / 2) + ((k % w.blockSize) >> 1)] as number;
  return k % 2 === 0 ? byte & 15 : byte >> 4;
}

/** Zero point of (row n, block j): its nibble, or 8 without zero_points. */
export function nbitsZero(w: MatMulNBitsWeights, n: number, j: number): number {
  if (!w.zeroPoints) return 8;
  const byte = w.zeroPoints[n * Math.ceil(kBlocks(w) / 2) + (j >> 1)] as number;
  return j % 2 === 0 ? byte & 15 : byte >> 4;
}

/** Dequantized B as N×K binary32 values: fp32((q − zp) · scale), one rounding. */
export function dequantMatMulNBits(w: MatMulNBitsWeights): Float32Array {
  checkMatMulNBits(w);
  const nb = kBlocks(w);
  const out = new Float32Array(w.n * w.k);
  for (let n = 0; n < w.n; n++) {
    for (let k = 0; k < w.k; k++) {
      const j = Math.floor(k / w.blockSize);
      // (q − zp) has at most 5 bits, the scale 24: the binary64 product is exact, fround rounds it once.
      out[n * w.k + k] = Math.fround((nbitsCode(w, n, k) - nbitsZero(w, n, j)) * (w.scales[n * nb + j] as number));
    }
  }
  return out;
}

const f64 = new DataView(new ArrayBuffer(8));
/** A finite binary64 as (significand, exponent) with value sig · 2^exp, sig a signed bigint. */
function split(x: number): [bigint, number] {
  f64.setFloat64(0, x);
  const hi = f64.getUint32(0);
  const lo = f64.getUint32(4);
  const e = (hi >>> 20) & 0x7ff;
  const mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const [sig, exp] = e === 0 ? [mant, -1074] : [mant | (1n << 52n), e - 1075];
  return [x < 0 ? -sig : sig, exp];
}

/**
 * Σ a_i·w_i of binary32 values, exact, rounded once to binary32 (rne). Each binary64 product of two
 * binary32 values is exact (48 significant bits), and the sum is an exact bigint at the smallest
 * exponent. NaN/Inf operands give NaN/Inf as IEEE would (a NaN if Inf and −Inf meet or Inf·0).
 */
export function exactDotFp32(a: ArrayLike<number>, w: ArrayLike<number>): number {
  const parts: [bigint, number][] = [];
  let special = 0;
  for (let i = 0; i < a.length; i++) {
    const p = (a[i] as number) * (w[i] as number);
    if (!Number.isFinite(p)) special += p; // Inf, -Inf, NaN (Inf + -Inf = NaN)
    else if (p !== 0) parts.push(split(p));
  }
  if (special !== 0 || Number.isNaN(special)) return special;
  if (parts.length === 0) return 0;
  const emin = Math.min(...parts.map(([, e]) => e));
  let sum = 0n;
  for (const [s, e] of parts) sum += s << BigInt(e - emin);
  if (sum === 0n) return 0;
  return fp32ToNumber(roundToFormat(fp32, dyadic(sum < 0n, sum < 0n ? -sum : sum, emin)));
}

/** Golden MatMulNBits: Y[m][n] = exact Σ_k A[m][k]·w[n][k] rounded once to fp32 (plus bias, one more rounding). */
export function matMulNBitsGolden(a: Float32Array, m: number, w: MatMulNBitsWeights, bias?: Float32Array): Float32Array {
  if (a.length !== m * w.k) throw new RangeError(`MatMulNBits: A has ${a.length} entries, expected M·K = ${m * w.k}`);
  const wd = dequantMatMulNBits(w);
  const y = new Float32Array(m * w.n);
  for (let i = 0; i < m; i++) {
    const row = a.subarray(i * w.k, (i + 1) * w.k);
    for (let n = 0; n < w.n; n++) {
      const d = exactDotFp32(row, wd.subarray(n * w.k, (n + 1) * w.k));
      y[i * w.n + n] = bias ? Math.fround(d + (bias[n] as number)) : d;
    }
  }
  return y;
}

/**
 * How far onnxruntime's fp32 result may be from `matMulNBitsGolden`, for output (row, n):
 * γ_(K+4) · S + (K+4) · 2^-149 with S = Σ_k |a_k| · (|q_k| + |zp|) · |scale|, u = 2^-24 and
 * γ_j = j·u / (1 − j·u). Why: onnxruntime dequantizes each weight in fp32 as (q − zp)·s or as
 * q·s − zp·s (error at most 3u·(|q| + |zp|)·|s| either way), then sums the K products in fp32 in its own
 * blocked SIMD order, with or without fma; any order of a K-term dot product is within γ_K·Σ|a_k·w_k|
 * (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §3.1). The golden value's own
 * rounding adds u·|y| <= u·S; the last term covers the absolute error of roundings in the subnormal
 * range. A wrong nibble, block or zero-point layout is off by about |a|·|s| per weight, far above it.
 */
export function ortErrorBound(a: Float32Array, w: MatMulNBitsWeights, row: number, n: number): number {
  const u = 2 ** -24;
  const j = w.k + 4;
  const gamma = (j * u) / (1 - j * u);
  let s = 0;
  for (let k = 0; k < w.k; k++) {
    const blk = Math.floor(k / w.blockSize);
    s += Math.abs(a[row * w.k + k] as number) * (nbitsCode(w, n, k) + nbitsZero(w, n, blk)) * Math.abs(w.scales[n * kBlocks(w) + blk] as number);
  }
  return gamma * s + j * 2 ** -149;
}

/**
 * AWQ/GPTQ group weights (K×N, contiguous groups) as MatMulNBits weights with block_size = groupSize:
 * the codes transposed to [N][K] and packed in onnxruntime's nibble order, the fp16 scales widened to
 * fp32 exactly, the zero points packed two per byte. The dequantized values then differ only by the
 * rounding step (fp32 here, fp16 in AWQ's kernels).
 */
export function toMatMulNBits(w: Int4GroupWeights): MatMulNBitsWeights {
  checkInt4GroupWeights(w);
  if (w.gIdx) throw new RangeError('toMatMulNBits: act-order weights must first be sorted by group (sortRowsByGroup)');
  if (!MATMUL_NBITS_BLOCK_SIZES.includes(w.groupSize)) throw new RangeError(`MatMulNBits block_size must be one of ${MATMUL_NBITS_BLOCK_SIZES.join(', ')}, got group size ${w.groupSize}`);
  const bs = w.groupSize;
  const nb = Math.ceil(w.k / bs);
  const b = new Uint8Array(w.n * nb * (bs / 2));
  const scales = new Float32Array(w.n * nb);
  const zeroPoints = new Uint8Array(w.n * Math.ceil(nb / 2));
  for (let n = 0; n < w.n; n++) {
    for (let k = 0; k < w.k; k++) {
      const at = (n * nb + Math.floor(k / bs)) * (bs / 2) + ((k % bs) >> 1);
      b[at] = (b[at] as number) | ((w.codes[k * w.n + n] as number) << (k % 2 === 0 ? 0 : 4));
    }
    for (let j = 0; j < nb; j++) {
      scales[n * nb + j] = fp16Value(w.scales[j * w.n + n] as number);
      const at = n * Math.ceil(nb / 2) + (j >> 1);
      zeroPoints[at] = (zeroPoints[at] as number) | ((w.zeros[j * w.n + n] as number) << (j % 2 === 0 ? 0 : 4));
    }
  }
  return { k: w.k, n: w.n, blockSize: bs, b, scales, zeroPoints };
}
