/** Numeric command-line flags, validated the same way by every command (exit 2 on a bad value). */
import { UsageError } from './io.ts';

/** Seeds are 32-bit: the stimulus generator (sim/random.ts) is seeded from 32 bits, so a larger seed would alias a smaller one. */
export const SEED_MAX = 0xffff_ffff;

/** An integer flag in [min, max]; decimal (or exponent, `1e6`) notation. */
export function intFlag(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
    throw new UsageError(`${flag} must be an integer ${range}, got '${text}'`);
  }
  return n;
}

/** A stimulus seed: 0..2^32-1, so two different seeds never draw the same vectors. */
export function seedFlag(text: string, flag = '--seed'): number {
  return intFlag(text, flag, 0, SEED_MAX);
}
