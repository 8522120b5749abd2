/**
 * Reference model of an FP8 dot product with a tensor-core-like two-level accumulator, made
 * explicit (DeepGEMM issue #37: FP8 MMA on Hopper keeps about 14 bits of the aligned products;
 * DeepGEMM therefore promotes the partial sums to fp32 CUDA-core registers every 128 products
 * along K; issue #176: newer parts keep about 25 bits; CUTLASS issue #3149 describes the same
 * two-level accumulation).
 *
 * Definitions (W = `alignBits`, L = `lanes`, N = `promoteEvery`):
 * - Each beat adds L exact products p_i = a_i·b_i to the partial sum P (initially +0). The L + 1
 *   terms {P, p_0..p_{L-1}} are aligned to the largest top-bit exponent E among the non-zero
 *   terms (E = floor(log2 |t|)); each term's magnitude is truncated (toward zero) to a multiple of
 *   2^(E − W + 1), i.e. the largest term keeps W significant bits; the truncated terms are summed
 *   exactly. The sum is the new P (a signed integer times 2^(E − W + 1); an exact zero is +0).
 * - Promotion: after every beat that completes N products since the last promotion (N a multiple
 *   of L; N = 0: never), and after the last beat of the dot product, acc = fp32(acc + P) (one RNE
 *   rounding, golden `roundToFormat`) and P = +0. acc starts at +0.
 * - Specials: a NaN product, Inf·0 or +Inf + −Inf make P NaN; an Inf product makes P that Inf;
 *   P then promotes as a NaN or Inf value into acc (exact IEEE addition rules).
 */
import { decodeFloat } from '../float/decode.ts';
import { exactAdd, exactMul } from '../float/exact.ts';
import { fp32, type FloatFormat } from '../float/format.ts';
import { roundToFormat } from '../float/round.ts';
import { dyadic, floatZero, FLOAT_NAN, type FloatValue } from '../float/value.ts';
import { bitLength } from '../rational.ts';

export interface Fp8AccumulatorConfig {
  /** W: significant bits kept of the largest aligned term (e.g. 14). */
  readonly alignBits: number;
  /** L: products per beat. */
  readonly lanes: number;
  /** N: products between promotions to fp32 (a multiple of lanes), 0 = only at the end. */
  readonly promoteEvery: number;
}

/** Top-bit exponent of a finite value: floor(log2 |v|). */
function topExp(v: { sig: bigint; exp: number }): number {
  return v.exp + bitLength(v.sig) - 1;
}

/**
 * The aligned, truncated sum of `terms` keeping `W` bits of the largest (see the module doc).
 * Specials combine by IEEE rules; an exact zero result is +0.
 */
export function alignTruncSum(terms: readonly FloatValue[], W: number): FloatValue {
  let special: FloatValue | undefined;
  for (const t of terms) {
    if (t.kind === 'nan' || t.kind === 'inf') special = special === undefined ? t : exactAdd(special, t);
  }
  if (special !== undefined) return special.kind === 'nan' ? FLOAT_NAN : special;
  const finite = terms.filter((t): t is Extract<FloatValue, { kind: 'finite' }> => t.kind === 'finite');
  if (finite.length === 0) return floatZero(false);
  const E = Math.max(...finite.map(topExp));
  const q = E - W + 1;
  let sum = 0n;
  for (const t of finite) {
    const mag = t.exp >= q ? t.sig << BigInt(t.exp - q) : t.sig >> BigInt(q - t.exp);
    sum += t.neg ? -mag : mag;
  }
  return dyadic(sum < 0n, sum, q);
}

/** One beat: P' = alignTruncSum([P, a_i·b_i ...]). */
export function fp8AccBeat(partial: FloatValue, a: readonly number[], b: readonly number[], fa: FloatFormat, fb: FloatFormat, W: number): FloatValue {
  const products = a.map((x, i) => exactMul(decodeFloat(fa, x), decodeFloat(fb, b[i]!)));
  return alignTruncSum([partial, ...products], W);
}

/** Promotion: acc' = fp32(acc + P), one rounding. */
export function promoteToFp32(acc: number, partial: FloatValue): number {
  return roundToFormat(fp32, exactAdd(decodeFloat(fp32, acc), partial));
}

/** The fp32 code of Σ a_k·b_k (K a multiple of lanes) with this accumulator, from acc = +0. */
export function fp8AccDot(a: readonly number[], b: readonly number[], fa: FloatFormat, fb: FloatFormat, c: Fp8AccumulatorConfig): number {
  if (a.length !== b.length || a.length % c.lanes !== 0) throw new RangeError(`fp8AccDot: ${a.length} and ${b.length} products must match and be a multiple of lanes ${c.lanes}`);
  if (c.promoteEvery % c.lanes !== 0) throw new RangeError(`fp8AccDot: promoteEvery ${c.promoteEvery} must be a multiple of lanes ${c.lanes}`);
  let acc = 0;
  let partial: FloatValue = floatZero(false);
  for (let k = 0; k < a.length; k += c.lanes) {
    partial = fp8AccBeat(partial, a.slice(k, k + c.lanes), b.slice(k, k + c.lanes), fa, fb, c.alignBits);
    const done = k + c.lanes;
    if (done === a.length || (c.promoteEvery > 0 && done % c.promoteEvery === 0)) {
      acc = promoteToFp32(acc, partial);
      partial = floatZero(false);
    }
  }
  return acc;
}
