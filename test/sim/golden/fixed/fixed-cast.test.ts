import { describe, expect, it } from 'vitest';
import { Rational } from '../../../../sim/golden/rational.ts';
import { fixedCast, fixedFromString } from '../../../../sim/golden/fixed/cast.ts';
import { codeMax, codeMin, fixedToRational, fixedType } from '../../../../sim/golden/fixed/fixed-type.ts';
import { FIXED_OVERFLOWS, type FixedOverflow } from '../../../../sim/golden/fixed/overflow.ts';
import { FIXED_QUANTIZATIONS, type FixedQuantization } from '../../../../sim/golden/fixed/quantization.ts';

/*
 * Independent brute force: x = u/D quanta (D = 24 covers halves, quarters, eighths and thirds).
 * Quantization picks between the grid neighbours by the mode's description (direction, and for the
 * RND modes the tie rule); overflow scans the code range. No floor/first-dropped-bit logic.
 */
const D = 24;

function neighbours(u: number): [number, number] {
  let lo = Math.trunc(u / D) - 2; // a rough start; the loops settle it
  while ((lo + 1) * D <= u) lo++;
  while (lo * D > u) lo--;
  return [lo, lo * D === u ? lo : lo + 1];
}

function bruteQuantize(u: number, mode: FixedQuantization): number {
  const [lo, hi] = neighbours(u);
  if (lo === hi) return lo;
  const positive = u > 0;
  if (mode === 'TRN') return lo;
  if (mode === 'TRN_ZERO') return positive ? lo : hi;
  const dLo = u - lo * D;
  const dHi = hi * D - u;
  if (dLo !== dHi) return dLo < dHi ? lo : hi;
  switch (mode) {
    case 'RND': return hi; // toward +inf
    case 'RND_ZERO': return positive ? lo : hi;
    case 'RND_INF': return positive ? hi : lo;
    case 'RND_MIN_INF': return lo;
    case 'RND_CONV': return lo % 2 === 0 ? lo : hi;
    case 'RND_CONV_ODD': return lo % 2 !== 0 ? lo : hi;
  }
}

function bruteOverflow(k: number, min: number, max: number, width: number, signed: boolean, mode: FixedOverflow): number {
  if (k >= min && k <= max && !(mode === 'SAT_SYM' && signed && k === min)) return k;
  switch (mode) {
    case 'WRAP': {
      for (let c = min; c <= max; c++) if ((((k - c) % 2 ** width) + 2 ** width) % 2 ** width === 0) return c;
      throw new Error('unreachable');
    }
    case 'SAT': return k < min ? min : max;
    case 'SAT_ZERO': return 0;
    case 'SAT_SYM': return !signed ? (k < min ? min : max) : k < -max ? -max : max;
  }
}

describe('fixedCast: exhaustive at small widths against a brute-force reference', () => {
  for (let width = 1; width <= 4; width++) {
    for (const signed of [true, false]) {
      it(`width ${width}, ${signed ? 'signed' : 'unsigned'}, int_bits -1..5, all 32 mode pairs`, () => {
        let checked = 0;
        for (let intBits = -1; intBits <= 5; intBits++) {
          const t = fixedType(width, intBits, signed);
          const [min, max] = [Number(codeMin(t)), Number(codeMax(t))];
          const span = 2 ** (width + 1) * D;
          for (let u = -span; u <= span; u++) {
            if (u % 3 !== 0 && u % 8 !== 0) continue; // eighths and thirds of a quantum
            const x = Rational.of(BigInt(u), BigInt(D)).mulPow2(intBits - width);
            for (const q of FIXED_QUANTIZATIONS) {
              const k = bruteQuantize(u, q);
              for (const o of FIXED_OVERFLOWS) {
                const got = fixedCast(x, t, q, o).code;
                const want = bruteOverflow(k, min, max, width, signed, o);
                if (got !== BigInt(want)) expect({ width, intBits, signed, x: x.toString(), q, o, got }).toEqual({ width, intBits, signed, x: x.toString(), q, o, got: BigInt(want) });
                checked++;
              }
            }
          }
        }
        expect(checked).toBeGreaterThan(1000);
      });
    }
  }
});

describe('fixedCast: SCHEMA and ac_fixed examples', () => {
  const cast = (x: string, w: number, i: number, s: boolean, q: FixedQuantization, o: FixedOverflow) => fixedToRational(fixedFromString(x, fixedType(w, i, s), q, o)).toString();
  it('rounds, then overflows', () => {
    expect(cast('-1.25', 3, 2, true, 'RND', 'SAT')).toBe('-1');
    expect(cast('7.5', 4, 4, true, 'RND', 'SAT')).toBe('7'); // rounding to 8 overflows
    expect(cast('7.5', 4, 4, true, 'RND', 'WRAP')).toBe('-8');
    expect(cast('-8', 4, 4, true, 'TRN', 'SAT_SYM')).toBe('-7');
    expect(cast('-0.1', 8, 1, false, 'TRN', 'WRAP')).toBe('1.8984375');
    expect(cast('1/3', 8, 0, false, 'RND', 'SAT')).toBe('0.33203125'); // 85.33/256 -> 85/256
    expect(cast('1000', 8, 12, true, 'TRN', 'SAT')).toBe('992'); // quantum 16: 62 * 16
  });
});
