/**
 * MatMulNBits (float32 A and scales) on W4A16 hardware (`group_dot` / `group_gemm`, `dequant_fp`,
 * fp16 activations and scales): the operand conversions the hardware needs and an a-priori bound on
 * how far its result can be from the exact MatMulNBits value.
 *
 * Conversions (round to nearest even, `roundNumberToFormat`): every element of A to fp16 (a'), every
 * scale to fp16 (s'). A value of magnitude >= 65520 would become ±Inf: the conversion refuses it, as
 * it refuses scales whose dequantized weights fp16((q − z)·s') overflow (the model does not fit
 * fp16 hardware). The hardware then computes w' = fp16((q − z)·s') and y' = the fp32 accumulation of
 * the exact products a'·w' (any order, any tree: the bound below does not depend on it).
 *
 * Bound on |y' − y| with y = Σ_k a_k (q_k − z) s exact (u = 2^-11 the fp16 unit roundoff, h = 2^-25
 * half the fp16 subnormal spacing, so |fp16(x) − x| <= u|x| + h for every x in range):
 *   e_a = u|a| + h,  e_s = u|s| + h,  e_w = |d|·e_s + u|d|(|s| + e_s) + h   (d = q − z),
 *   |a'w' − a·d·s| <= e_a(|d||s| + e_w) + |a|·e_w,
 *   |y' − Σ a'w'| <= γ_(K+2)·Σ (|a| + e_a)(|d||s| + e_w) + (K+2)·2^-149   (γ_j = j·2^-24/(1 − j·2^-24),
 * Higham §3.1 for any summation order of K terms, plus the subnormal-range absolute errors),
 * summed over the K real elements (padding has a' = a = 0). The whole is evaluated in binary64 and
 * enlarged by 2^-40 relative to cover that evaluation's own roundings.
 */
import { fp16 } from '../float/format.ts';
import { decodeToNumber, roundNumberToFormat } from '../float/fast.ts';
import { kBlocks, nbitsCode, nbitsZero, type MatMulNBitsWeights } from './matmul-nbits.ts';

/** The largest finite fp16 value. */
export const FP16_MAX = 65504;

const isFinite16 = (code: number): boolean => (code & 0x7c00) !== 0x7c00;

/** fp16 code of a binary32 value (rne), or undefined when it overflows to ±Inf or is NaN. */
export function toFp16Code(x: number): number | undefined {
  const c = roundNumberToFormat(fp16, x);
  return isFinite16(c) ? c : undefined;
}

/**
 * The scales as fp16 codes (N × blocks, MatMulNBits' order). Throws a RangeError naming the first
 * scale that overflows fp16, or whose block dequantizes a code (padding included) to ±Inf.
 */
export function fp16ScaleCodes(w: MatMulNBitsWeights): Uint16Array {
  const nb = kBlocks(w);
  const out = new Uint16Array(w.n * nb);
  for (let n = 0; n < w.n; n++) {
    for (let j = 0; j < nb; j++) {
      const s = w.scales[n * nb + j]!;
      const c = toFp16Code(s);
      if (c === undefined) throw new RangeError(`scale [${n * nb + j}] (row ${n}, block ${j}) = ${s} is outside fp16's range (|s| <= ${FP16_MAX})`);
      const z = nbitsZero(w, n, j);
      const sv = decodeToNumber(fp16, c);
      for (let k = j * w.blockSize; k < (j + 1) * w.blockSize; k++) {
        const q = nbitsCode(w, n, k);
        // (q − z)·s' is exact in binary64 (5 + 11 bits); its fp16 rounding overflows iff this does.
        if (toFp16Code((q - z) * sv) === undefined) throw new RangeError(`row ${n}, block ${j}: (q − zp)·scale = (${q} − ${z})·${sv} overflows fp16 (|w| <= ${FP16_MAX})`);
      }
      out[n * nb + j] = c;
    }
  }
  return out;
}

/** Bound on |y' − y| for output (row, n) of A (M × K binary32), as the module comment states. */
export function fp16HardwareErrorBound(a: Float32Array, w: MatMulNBitsWeights, row: number, n: number): number {
  const u = 2 ** -11;
  const h = 2 ** -25;
  const gamma = ((w.k + 2) * 2 ** -24) / (1 - (w.k + 2) * 2 ** -24);
  const nb = kBlocks(w);
  let direct = 0;
  let mags = 0;
  for (let k = 0; k < w.k; k++) {
    const j = Math.floor(k / w.blockSize);
    const av = Math.abs(a[row * w.k + k]!);
    const s = Math.abs(w.scales[n * nb + j]!);
    const d = Math.abs(nbitsCode(w, n, k) - nbitsZero(w, n, j));
    const ea = u * av + h;
    const es = u * s + h;
    const ew = d * es + u * d * (s + es) + h;
    direct += ea * (d * s + ew) + av * ew;
    mags += (av + ea) * (d * s + ew);
  }
  return (direct + gamma * mags + (w.k + 2) * 2 ** -149) * (1 + 2 ** -40);
}
