import { Rational } from '../rational.ts';

/**
 * Rounding of an exact value to an integer. Names follow SCHEMA.md where it has them:
 * `rne` nearest/ties-to-even (ONNX, IEEE), `rna` nearest/ties-away (TFLite `std::round`, gemmlowp
 * RoundingDivideByPOT, NVDLA), `half_up` nearest/ties toward +inf (gemmlowp SRDHM, TFLite single
 * rounding), `half_down` nearest/ties toward -inf, and the directed `floor`, `ceil`, `trunc`.
 */
export type RoundingMode = 'floor' | 'ceil' | 'trunc' | 'rne' | 'rna' | 'half_up' | 'half_down';

export const ROUNDING_MODES: readonly RoundingMode[] = ['floor', 'ceil', 'trunc', 'rne', 'rna', 'half_up', 'half_down'];

/** The integer nearest to num/den under `mode`; den > 0. Pure bigint. */
export function roundQuotient(num: bigint, den: bigint, mode: RoundingMode): bigint {
  if (den <= 0n) throw new RangeError(`roundQuotient: denominator must be > 0, got ${den}`);
  let f = num / den;
  if (f * den !== num && num < 0n) f -= 1n; // floor
  const rem = num - f * den; // 0 <= rem < den
  if (mode === 'floor' || rem === 0n) return f;
  if (mode === 'ceil') return f + 1n;
  if (mode === 'trunc') return f < 0n ? f + 1n : f;
  const twice = 2n * rem;
  if (twice < den) return f;
  if (twice > den) return f + 1n;
  switch (mode) {
    case 'rne': return (f & 1n) === 0n ? f : f + 1n;
    case 'rna': return f < 0n ? f : f + 1n;
    case 'half_up': return f + 1n;
    case 'half_down': return f;
  }
}

/** The integer nearest to the exact rational `x` under `mode`. */
export function roundRational(x: Rational, mode: RoundingMode): bigint {
  return roundQuotient(x.num, x.den, mode);
}

/** x / 2^shift rounded under `mode` (shift >= 0), exact for any bigint x. */
export function shiftRightRound(x: bigint, shift: number, mode: RoundingMode): bigint {
  if (!Number.isInteger(shift) || shift < 0) throw new RangeError(`shiftRightRound: shift must be an integer >= 0, got ${shift}`);
  return roundQuotient(x, 1n << BigInt(shift), mode);
}
