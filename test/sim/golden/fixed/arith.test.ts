import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addType, fixedAdd, fixedMul, fixedNeg, fixedSub, mulType, subType } from '../../../../sim/golden/fixed/arith.ts';
import { type FixedValue, codeMax, codeMin, fixedToRational, fixedType, fixedValue } from '../../../../sim/golden/fixed/fixed-type.ts';

const fixedArb = fc
  .record({ width: fc.integer({ min: 1, max: 20 }), intBits: fc.integer({ min: -6, max: 26 }), signed: fc.boolean(), pick: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ width, intBits, signed, pick }): FixedValue => {
    const t = fixedType(width, intBits, signed);
    const lo = codeMin(t);
    const span = codeMax(t) - lo;
    // pick selects a code across the whole range, including both ends.
    const code = lo + BigInt(Math.round(pick * Number(span)));
    return fixedValue(t, code);
  });

function fits(v: FixedValue): boolean {
  return v.code >= codeMin(v.type) && v.code <= codeMax(v.type);
}

describe('full-precision fixed arithmetic', () => {
  it('uses ac_fixed result types (hand)', () => {
    expect(addType(fixedType(8, 4, true), fixedType(8, 4, true))).toEqual(fixedType(9, 5, true));
    expect(addType(fixedType(8, 4, false), fixedType(6, 2, true))).toEqual(fixedType(10, 6, true)); // I = max(4 + 1, 2) + 1, F = 4
    expect(subType(fixedType(4, 4, false), fixedType(4, 4, false))).toEqual(fixedType(5, 5, true));
    expect(mulType(fixedType(8, 1, true), fixedType(4, 4, false))).toEqual(fixedType(12, 5, true));
  });

  it('is exact and its result always fits the result type (property)', () => {
    fc.assert(
      fc.property(fixedArb, fixedArb, (a, b) => {
        const [ra, rb] = [fixedToRational(a), fixedToRational(b)];
        const cases: [FixedValue, string][] = [
          [fixedAdd(a, b), ra.add(rb).toString()],
          [fixedSub(a, b), ra.sub(rb).toString()],
          [fixedMul(a, b), ra.mul(rb).toString()],
          [fixedNeg(a), ra.neg().toString()],
        ];
        for (const [v, exact] of cases) {
          expect(fixedToRational(v).toString()).toBe(exact);
          expect(fits(v)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
