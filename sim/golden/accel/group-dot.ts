/**
 * Reference arithmetic of group-quantized int4 dot products (weight-only LLM quantization), in
 * the two orders runtimes use. Codes in, codes out; every rounding goes through the float
 * library (`floatFma`, `floatMul`, `floatAdd`, `dotTree`, `roundToFormat`), none is re-derived.
 *
 * A weight is a 4-bit code q (0..15) in a group of `groupSize` weights sharing an fp16 scale s and
 * a 4-bit zero point z. An activation is an fp16 or bf16 code, or an int8 value with an fp16 scale
 * per group of `groupSize` activations along K (ggml q8_0 style).
 *
 * `dequant_fp` (AWQ order, llm-awq `gemm_cuda_gen.cu`): w = fp16((q − z) · s), one rounding, as
 * `fma.rn.f16x2(q − z, s, +0)` (an exactly-zero product gives +0); an int8 activation is
 * dequantized the same way, x' = fp16(x · s_x) = fma(x, s_x, +0). Then per beat of `lanes`
 * products: exact products w·x', a pairwise tree whose every sum is rounded to fp32 (golden
 * `dotTree`), and the accumulator add rounded to fp32: acc = fp32(acc + tree).
 *
 * `int_then_scale` (ggml order, `ggml_vec_dot_q4_0_q8_0`): per group the exact sum
 * S = Σ (q_i − z)·x_i (integers for int8 activations, an exact fixed-point sum for fp16/bf16;
 * an exact zero is +0), then y = fp32(fp32(S) · s) and for int8 activations y = fp32(y · s_x)
 * (left to right, as ggml's `((float)sumi * d_x) * d_y`), then acc = fp32(acc + y).
 */
import { bf16, fp16, fp32, type FloatFormat } from '../float/format.ts';
import { floatAdd, floatFma, floatMul } from '../float/arith.ts';
import { floatConvert, intToFloat } from '../float/convert.ts';
import { decodeFloat } from '../float/decode.ts';
import { dotTree } from '../float/dot.ts';
import { exactAdd, exactMul } from '../float/exact.ts';
import { roundToFormat } from '../float/round.ts';
import { floatZero, valueFromBigInt, type FloatValue } from '../float/value.ts';

export type GroupDatapath = 'dequant_fp' | 'int_then_scale';
export type GroupActivation = 'fp16' | 'bf16' | 'int8';
export const GROUP_DATAPATHS: readonly GroupDatapath[] = ['dequant_fp', 'int_then_scale'];
export const GROUP_ACTIVATIONS: readonly GroupActivation[] = ['fp16', 'bf16', 'int8'];

/** The float format of a float activation kind. */
export function activationFloatFormat(a: 'fp16' | 'bf16'): FloatFormat {
  return a === 'fp16' ? fp16 : bf16;
}

/** fp16 code of an integer n (|n| <= 2048: exact). */
function fp16OfInt(n: number): number {
  return intToFloat(fp16, BigInt(n));
}

/** AWQ weight dequantization: fp16((q − z) · s) = fma(q − z, s, +0) in fp16, one rounding. */
export function dequantWeightFp16(q: number, z: number, s: number): number {
  return floatFma(fp16, fp16OfInt(q - z), s, 0);
}

/** int8 activation dequantization in `dequant_fp`: fma(x, s_x, +0) in fp16, one rounding. */
export function dequantInt8Fp16(x: number, sx: number): number {
  return floatFma(fp16, fp16OfInt(x), sx, 0);
}

/**
 * One `dequant_fp` beat: acc' = fp32(acc + tree(w_i · x_i)), tree sums rounded to fp32, products
 * exact (golden `dotTree` with the accumulator as addend). `ws` are fp16 codes, `xs` codes of
 * `xFormat` (fp16 or bf16; int8 activations are dequantized to fp16 first).
 */
export function dequantFpBeat(acc: number, ws: readonly number[], xs: readonly number[], xFormat: FloatFormat): number {
  return dotTree(ws, xs, { aFormat: fp16, bFormat: xFormat, output: fp32, sums: fp32, addend: { format: fp32, code: acc } });
}

/** The exact value of one `int_then_scale` term (q − z)·x; x an int8 value or a float code. */
export function groupTerm(q: number, z: number, x: number, activation: GroupActivation): FloatValue {
  const d = valueFromBigInt(BigInt(q - z));
  if (activation === 'int8') return valueFromBigInt(BigInt((q - z) * x));
  return exactMul(d, decodeFloat(activationFloatFormat(activation), x));
}

/** Exact sum of terms; an exact zero is +0 (the fixed-point sum has no signed zero). */
export function exactGroupSum(terms: readonly FloatValue[]): FloatValue {
  let s: FloatValue = floatZero(false);
  for (const t of terms) s = exactAdd(s, t);
  return s.kind === 'zero' ? floatZero(false) : s;
}

/**
 * The scale step of `int_then_scale`: y = fp32(fp32(S) · s), then y = fp32(y · s_x) when `sx` is
 * given (int8 activations). `s`, `sx` are fp16 codes (widened to fp32 exactly). Returns fp32.
 */
export function scaleGroupSum(S: FloatValue, s: number, sx?: number): number {
  let y = floatMul(fp32, roundToFormat(fp32, S), floatConvert(fp16, fp32, s));
  if (sx !== undefined) y = floatMul(fp32, y, floatConvert(fp16, fp32, sx));
  return y;
}

/** acc' = fp32(acc + y), the across-group accumulation of `int_then_scale`. */
export function accumulateGroup(acc: number, y: number): number {
  return floatAdd(fp32, acc, y);
}

/** A whole group-quantized dot product (one output of a weight-only layer). */
export interface GroupDotProblem {
  readonly datapath: GroupDatapath;
  readonly activation: GroupActivation;
  readonly groupSize: number;
  /** Products per beat (the hardware's lanes): the tree shape of `dequant_fp`. */
  readonly lanes: number;
  /** K weight codes 0..15 (K a multiple of groupSize). */
  readonly q: ArrayLike<number>;
  /** K activations: fp16/bf16 codes, or int8 values. */
  readonly x: ArrayLike<number>;
  /** One fp16 scale code and one zero point (0..15) per group. */
  readonly scales: ArrayLike<number>;
  readonly zeros: ArrayLike<number>;
  /** int8 activations: one fp16 scale code per group. */
  readonly xScales?: ArrayLike<number>;
}

/** The fp32 code of a group-quantized dot product in the problem's datapath, starting from +0. */
export function groupDot(p: GroupDotProblem): number {
  const K = p.q.length;
  const G = p.groupSize;
  if (K % G !== 0 || G % p.lanes !== 0) throw new RangeError(`groupDot: K = ${K} must be a multiple of groupSize ${G}, and groupSize of lanes ${p.lanes}`);
  if (p.activation === 'int8' && p.xScales === undefined) throw new RangeError('groupDot: int8 activations need xScales');
  let acc = 0;
  for (let g = 0; g < K / G; g++) {
    const s = p.scales[g]!;
    const z = p.zeros[g]!;
    const sx = p.activation === 'int8' ? p.xScales![g]! : undefined;
    if (p.datapath === 'dequant_fp') {
      const xf = p.activation === 'int8' ? fp16 : activationFloatFormat(p.activation);
      for (let b = g * G; b < (g + 1) * G; b += p.lanes) {
        const ws: number[] = [];
        const xs: number[] = [];
        for (let i = b; i < b + p.lanes; i++) {
          ws.push(dequantWeightFp16(p.q[i]!, z, s));
          xs.push(sx === undefined ? p.x[i]! : dequantInt8Fp16(p.x[i]!, sx));
        }
        acc = dequantFpBeat(acc, ws, xs, xf);
      }
    } else {
      const terms: FloatValue[] = [];
      for (let i = g * G; i < (g + 1) * G; i++) terms.push(groupTerm(p.q[i]!, z, p.x[i]!, p.activation));
      acc = accumulateGroup(acc, scaleGroupSum(exactGroupSum(terms), s, sx));
    }
  }
  return acc;
}
