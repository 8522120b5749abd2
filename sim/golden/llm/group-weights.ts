/**
 * Group-quantized int4 weights in a runtime-neutral form, and their dequantization in AWQ's order.
 *
 * The layer computes y = x · W with W of K rows (inputs) × N columns (outputs). Every weight has a
 * 4-bit code q (0..15); rows are split into groups along K, and each (group, column) pair has an fp16
 * scale s and a zero point z (0..15): w = (q − z) · s. `gIdx` maps each row to its group (GPTQ
 * act-order checkpoints); without it, row r is in group floor(r / groupSize).
 *
 * AWQ's dequantization (llm-awq `gemm_cuda_gen.cu`: `sub.f16x2` then `fma.rn.f16x2(q − z, s, 0)`):
 * (q − z) is exact in fp16, the product is rounded once to fp16 (rne); an exactly zero product gives +0.
 * Rewriting it as q·s − z·s rounds differently.
 */
import { fp16 } from '../float/format.ts';
import { decodeToNumber, roundNumberToFormat } from '../float/fast.ts';

export interface Int4GroupWeights {
  readonly k: number;
  readonly n: number;
  readonly groupSize: number;
  /** K·N codes 0..15, row-major [k][n]. */
  readonly codes: Uint8Array;
  /** groups·N fp16 scale codes, [g][n]. */
  readonly scales: Uint16Array;
  /** groups·N zero points 0..15, [g][n]. */
  readonly zeros: Uint8Array;
  /** Group of each of the K rows (act-order); absent means row / groupSize. */
  readonly gIdx?: Int32Array;
}

/** Number of groups: ceil(K / groupSize) (also with act-order, as GPTQ stores them). */
export function groupCount(w: Pick<Int4GroupWeights, 'k' | 'groupSize'>): number {
  return Math.ceil(w.k / w.groupSize);
}

/** Group of row `r`. */
export function groupOfRow(w: Int4GroupWeights, r: number): number {
  return w.gIdx ? (w.gIdx[r] as number) : Math.floor(r / w.groupSize);
}

/** Throws a RangeError naming the first inconsistency (sizes, code ranges, g_idx range). */
export function checkInt4GroupWeights(w: Int4GroupWeights): void {
  const g = groupCount(w);
  const fail = (what: string) => {
    throw new RangeError(`int4 group weights (K ${w.k}, N ${w.n}, group ${w.groupSize}): ${what}`);
  };
  if (!Number.isInteger(w.k) || !Number.isInteger(w.n) || w.k < 1 || w.n < 1) fail('K and N must be positive integers');
  if (!Number.isInteger(w.groupSize) || w.groupSize < 1) fail('groupSize must be a positive integer');
  if (w.codes.length !== w.k * w.n) fail(`codes has ${w.codes.length} entries, expected K·N = ${w.k * w.n}`);
  if (w.scales.length !== g * w.n) fail(`scales has ${w.scales.length} entries, expected groups·N = ${g * w.n}`);
  if (w.zeros.length !== g * w.n) fail(`zeros has ${w.zeros.length} entries, expected groups·N = ${g * w.n}`);
  if (w.codes.some((c) => c > 15) || w.zeros.some((z) => z > 15)) fail('codes and zero points must be 0..15');
  if (w.gIdx && (w.gIdx.length !== w.k || w.gIdx.some((x) => x < 0 || x >= g))) fail(`gIdx must have K entries in 0..${g - 1}`);
}

/** AWQ dequantization of one weight: the fp16 code of (q − z)·s rounded once (rne); a zero product is +0. */
export function dequantAwqOne(q: number, z: number, scaleCode: number): number {
  const p = (q - z) * decodeToNumber(fp16, scaleCode); // ≤ 5 + 11 significant bits: exact in binary64
  return p === 0 ? 0 : roundNumberToFormat(fp16, p);
}

/** The whole K×N matrix dequantized in AWQ's order: fp16 codes, row-major [k][n]. */
export function dequantAwq(w: Int4GroupWeights): Uint16Array {
  checkInt4GroupWeights(w);
  const out = new Uint16Array(w.k * w.n);
  for (let r = 0; r < w.k; r++) {
    const g = groupOfRow(w, r);
    for (let c = 0; c < w.n; c++) {
      out[r * w.n + c] = dequantAwqOne(w.codes[r * w.n + c] as number, w.zeros[g * w.n + c] as number, w.scales[g * w.n + c] as number);
    }
  }
  return out;
}

/**
 * W4A16 layer in the `dequant_fp` order, one output at a time: y[m][c] = fp32 accumulation, in
 * ascending k from +0, of the exact products x·w (fp16 × fp16 is exact in binary32), each sum rounded
 * once (`Math.fround` of a sum of two binary32 values is the correctly rounded sum). x is M×K fp16
 * codes; returns M×N binary32 values. This is the sequential (one product per step) instance of the
 * `group_dot` datapath; a wider adder tree sums in another order.
 */
export function matmulW4A16(x: Uint16Array, m: number, w: Int4GroupWeights): Float32Array {
  if (x.length !== m * w.k) throw new RangeError(`matmulW4A16: x has ${x.length} entries, expected M·K = ${m * w.k}`);
  const wd = Float64Array.from(dequantAwq(w), (c) => decodeToNumber(fp16, c));
  const xd = Float64Array.from(x, (c) => decodeToNumber(fp16, c));
  const y = new Float32Array(m * w.n);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < w.n; c++) {
      let acc = 0;
      for (let r = 0; r < w.k; r++) acc = Math.fround(acc + (xd[i * w.k + r] as number) * (wd[r * w.n + c] as number));
      y[i * w.n + c] = acc;
    }
  }
  return y;
}
