import { describe, expect, it } from 'vitest';
import { fp32CodeOf, requantizeFp32, requantizeFp32Exact, rneToInteger } from '../../../../sim/golden/int/requantize-fp32.ts';
import { Rng } from '../../../../sim/random.ts';

/** A random finite binary32 multiplier: mostly realistic (2^-20 .. 2), sometimes any exponent or sign. */
function randomMultiplier(rng: Rng): number {
  const k = rng.below(8);
  const exp = k < 5 ? -20 + rng.below(22) : -149 + rng.below(277);
  const mant = 1 + rng.below(1 << 23) / (1 << 23);
  const v = Math.fround(mant * 2 ** exp);
  return Number.isFinite(v) ? (k === 7 ? -v : v) : 1;
}

function randomAcc(rng: Rng): number {
  const bits = rng.below(33);
  const mag = bits === 0 ? 0 : Math.min(2 ** 31 - 1, 2 ** (bits - 1) + rng.below(2 ** Math.max(bits - 1, 0) || 1));
  return rng.below(2) ? mag : -mag - (bits === 32 && rng.below(2) ? 1 : 0);
}

describe('requantizeFp32 (onnxruntime MLAS requantization)', () => {
  it('rounds to nearest even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, -3.5000001].map(rneToInteger)).toEqual([0, 2, 2, -0, -2, -2, 2, -4]);
  });

  it('hand-computed cases: fp32(acc) rounds to nearest even before the multiply', () => {
    // 2^25 - 1 is halfway between the fp32 neighbours 2^25 - 2 (odd significand) and 2^25: RNE gives 2^25.
    // With m = 131 * 2^-26: 2^25 * m = 65.5 exactly, a tie, to even: 66. Without the fp32 rounding
    // (65.5 - 131 * 2^-26) or with truncation ((2^25 - 2) * m = 65.5 - 262 * 2^-26) it would be 65.
    const m = 131 * 2 ** -26;
    expect(requantizeFp32(2 ** 25 - 1, m, 0, -128, 127)).toBe(66);
    expect(requantizeFp32(-(2 ** 25 - 1), m, 0, -128, 127)).toBe(-66);
    // 2^25 + 2 is a tie between 2^25 and 2^25 + 4 (odd): 2^25. With m = 129 * 2^-26 that gives 64.5,
    // a tie to even 64, where the exact value 64.5 + 258 * 2^-26 would give 65.
    expect(requantizeFp32(2 ** 25 + 2, 129 * 2 ** -26, 0, -128, 127)).toBe(64);
    expect(requantizeFp32(-(2 ** 25 + 2), 129 * 2 ** -26, 0, -128, 127)).toBe(-64);
    // The product rounds to fp32 before the integer rounding: 3 * (0.5 + 2^-24) = 1.5 + 3 * 2^-24,
    // whose fp32 neighbours are 1.5 + 2^-23 and 1.5 + 2^-22 (quantum 2^-23): it rounds to 1.5 + 2^-22 -> 2.
    expect(requantizeFp32(3, Math.fround(0.5 + 2 ** -24), 0, -128, 127)).toBe(2);
    // Zero point and clamp: 100 * 0.5 = 50, + 10 = 60 clamped to [0, 55].
    expect(requantizeFp32(100, 0.5, 10, 0, 55)).toBe(55);
    expect(requantizeFp32(-100, 0.5, 10, 0, 255)).toBe(0);
    // Overflow of the product to Inf saturates.
    expect(requantizeFp32(2 ** 31 - 1, 2 ** 127, 3, -128, 127)).toBe(127);
  });

  it('equals the golden float library\'s exact code-level path on 20,000 random and corner cases', () => {
    const rng = new Rng(13);
    const accs = [0, 1, -1, 2 ** 24, 2 ** 24 + 1, 2 ** 25 + 2, 2 ** 25 + 6, 2 ** 31 - 1, -(2 ** 31), -(2 ** 31) + 1];
    const mults = [0, 2 ** -149, 2 ** -126, 1, 0.5, 2 ** 127, Math.fround(3.4e38), -0.25, Math.fround(1 / 3)];
    const cases: [number, number, number, number, number][] = [];
    for (const a of accs) for (const m of mults) cases.push([a, m, 0, -128, 127]);
    for (let i = 0; i < 20000; i++) {
      const lo = rng.below(2) ? -128 : 0;
      const hi = lo + 255;
      const zp = lo + rng.below(256);
      const mn = lo + rng.below(256);
      cases.push([randomAcc(rng), randomMultiplier(rng), zp, mn, mn + rng.below(hi - mn + 1)]);
    }
    // Exact ties of the product: acc * m = j + 1/2 for m = 2^-s.
    for (let s = 1; s < 24; s++) for (const j of [0, 1, 2, 3, 100, -1, -2, -101]) cases.push([(2 * j + 1) * 2 ** (s - 1), 2 ** -s, 0, -128, 127]);
    for (const [acc, m, zp, lo, hi] of cases) {
      const fast = requantizeFp32(acc, m, zp, lo, hi);
      const exact = requantizeFp32Exact(BigInt(acc), fp32CodeOf(m), BigInt(zp), BigInt(lo), BigInt(hi));
      if (BigInt(fast) !== exact) expect({ acc, m, zp, lo, hi, fast }).toEqual({ acc, m, zp, lo, hi, fast: Number(exact) });
    }
  });
});
