/**
 * Helpers of the float transaction models (golden library only): ports of a float format, the
 * golden options of a subnormal mode, interesting codes (zeros, subnormal and normal edges, max,
 * Inf, NaN, ones, rounding-tie operands) and random codes biased toward useful exponents.
 */
import { classifyFloat, decodeFloat, roundToFormat, valueFromNumber, valueToNumber, type FloatFormat, type FloatArithOptions } from '../golden/index.ts';
import type { Rng } from '../random.ts';
import type { Port } from '../../formats/port.ts';

export type SubnormalMode = 'ieee' | 'flush';

export function floatPort(name: string, f: FloatFormat): Port {
  return { name, width: f.width, signed: false, format: f.name };
}

/**
 * `c` with its sign bit flipped. Arithmetic, not `c ^ f.signMask`: JavaScript's `^` works on
 * int32, so for a 32-bit format it gave a negative "code" (a fuzz-found crash of fp_mac with
 * `a: fp32`).
 */
export function flipSign(f: FloatFormat, c: number): number {
  return c >= f.signMask ? c - f.signMask : c + f.signMask;
}

/** Golden options of a generator's subnormal mode (DAZ inputs, FTZ before rounding). */
export function goldenOptions(subnormals: SubnormalMode, saturate = false): FloatArithOptions {
  return subnormals === 'flush' ? { saturate, flushInput: true, flushOutput: 'before-rounding' } : { saturate };
}

/** Nearest code of `f` to a binary64 value (any value; NaN gives the canonical NaN or +0). */
export function codeNear(f: FloatFormat, x: number): number {
  if (Number.isNaN(x)) return f.nanCode ?? 0;
  return roundToFormat(f, valueFromNumber(x), { saturate: f.encoding !== 'ieee' });
}

/**
 * Interesting codes of `f`, both signs: zeros, smallest/largest subnormal, smallest normal, one,
 * 1 + ulp, 1.5, max and its predecessor, Inf, every NaN flavour the encoding has (canonical and
 * non-canonical payloads), and values a half-ulp of one away (tie operands).
 */
export function interestingCodes(f: FloatFormat): number[] {
  const pos = new Set<number>([0, 1, f.minNormalCode - 1, f.minNormalCode, f.minNormalCode + 1, f.maxCode, f.maxCode - 1]);
  for (const x of [1, 1.5, 2, 0.5, 3, 2 ** -(f.manBits + 1), 3 * 2 ** -(f.manBits + 2), 1 + 2 ** -f.manBits]) pos.add(codeNear(f, x));
  if (f.infCode !== undefined) pos.add(f.infCode);
  const specials: number[] = [];
  if (f.nanCode !== undefined) specials.push(f.nanCode);
  if (f.encoding === 'ieee') specials.push(f.infCode! + 1, f.signMask + f.infCode! + 1, f.signMask + f.nanCode!);
  if (f.encoding === 'fn') specials.push(f.signMask + f.nanCode!);
  const out = new Set<number>();
  for (const c of pos) {
    if (c < 0 || c >= f.signMask) continue;
    out.add(c);
    out.add(c + f.signMask);
  }
  for (const s of specials) out.add(s);
  return [...out].filter((c) => f.encoding !== 'fnuz' || c !== f.signMask || f.nanCode === c).sort((a, b) => a - b);
}

/**
 * A random code: one in `uniformOneIn` uniform over all codes, the rest with an exponent field within ±`spread` of
 * the bias (values near one, where sums interact) and a random mantissa and sign.
 */
export function randomFloatCode(f: FloatFormat, rng: Rng, spread = 4, uniformOneIn = 2): number {
  return floatCodeDrawer(f, spread, uniformOneIn)(rng);
}

/** `randomFloatCode` with the format's constants computed once: the same draws, for bulk loops. */
export function floatCodeDrawer(f: FloatFormat, spread = 4, uniformOneIn = 2): (rng: Rng) => number {
  const expMax = 2 ** f.expBits - 1;
  const lo = f.bias - spread;
  const span = 2 * spread + 1;
  const manScale = 2 ** f.manBits;
  const { width, manBits, signMask } = f;
  return (rng) => {
    if (rng.below(uniformOneIn) === 0) return rng.bits(width);
    const e = Math.min(expMax, Math.max(0, lo + rng.below(span)));
    const man = manBits > 0 ? rng.bits(manBits) : 0;
    return (rng.below(2) === 0 ? 0 : signMask) + e * manScale + man;
  };
}

/**
 * Source codes that exercise rounding into `to`: for target codes (all, or a sample for wide
 * targets), the target value itself, the midpoint to the next code (a tie) and the source codes
 * one ulp either side of both; plus the overflow threshold. Both signs.
 */
export function tieCodes(from: FloatFormat, to: FloatFormat, maxTargets = 512): number[] {
  const out = new Set<number>();
  const step = Math.max(1, Math.floor(to.signMask / maxTargets));
  const targets: number[] = [];
  for (let c = 0; c <= to.maxCode; c += step) targets.push(c);
  for (const c of [to.maxCode - 1, to.maxCode, to.minNormalCode - 1, to.minNormalCode, 1]) if (c >= 0) targets.push(c);
  const next = (c: number): number => {
    if (c < to.maxCode) return valueToNumber(decodeFloat(to, c + 1));
    // One ulp above max (the first value that does not fit): the overflow threshold is its midpoint.
    return valueToNumber(decodeFloat(to, c)) + 2 ** (to.emax - to.manBits);
  };
  for (const c of targets) {
    if (classifyFloat(to, c) === 'nan' || classifyFloat(to, c) === 'inf') continue;
    const v = valueToNumber(decodeFloat(to, c));
    const mid = (v + next(c)) / 2;
    for (const x of [v, mid]) {
      const s = roundToFormat(from, valueFromNumber(x), { saturate: true });
      for (const d of [-1, 0, 1]) {
        const k = s + d;
        if (k < 0 || k >= from.signMask) continue;
        out.add(k);
        out.add(k + from.signMask);
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}
