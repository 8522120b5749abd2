import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intMax, intMin, intType, parseIntType } from '../../../../sim/golden/int/int-type.ts';
import { narrowInt, saturateInt, wrapInt } from '../../../../sim/golden/int/narrow.ts';

describe('integer types', () => {
  it('has the two\'s-complement and unsigned ranges', () => {
    expect([intMin(parseIntType('int1')), intMax(parseIntType('int1'))]).toEqual([-1n, 0n]);
    expect([intMin(parseIntType('uint1')), intMax(parseIntType('uint1'))]).toEqual([0n, 1n]);
    expect([intMin(parseIntType('int8')), intMax(parseIntType('int8'))]).toEqual([-128n, 127n]);
    expect(intMax(parseIntType('uint64'))).toBe(18446744073709551615n);
    expect(intMin(parseIntType('int64'))).toBe(-9223372036854775808n);
  });

  it('rejects bad names and widths', () => {
    expect(() => parseIntType('int0')).toThrow(/intN or uintN/);
    expect(() => parseIntType('int65')).toThrow(/1\.\.64/);
    expect(() => parseIntType('float8')).toThrow(/got "float8"/);
    expect(() => intType(0, true)).toThrow(RangeError);
  });
});

describe('narrowing', () => {
  it('wraps and saturates (hand examples)', () => {
    const int4 = parseIntType('int4');
    expect(wrapInt(9n, int4)).toBe(-7n);
    expect(wrapInt(-9n, int4)).toBe(7n);
    expect(saturateInt(9n, int4)).toBe(7n);
    expect(wrapInt(-1n, parseIntType('uint8'))).toBe(255n);
    expect(narrowInt(1n << 63n, parseIntType('int64'), 'WRAP')).toBe(-(1n << 63n));
  });

  it('keeps results in range and is the identity inside it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.boolean(), fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), (bits, signed, x) => {
        const t = intType(bits, signed);
        for (const v of [wrapInt(x, t), saturateInt(x, t)]) expect(v >= intMin(t) && v <= intMax(t)).toBe(true);
        // WRAP is congruent mod 2^bits; SAT is the nearest value of the range.
        expect((wrapInt(x, t) - x) % (1n << BigInt(bits))).toBe(0n);
        const s = saturateInt(x, t);
        if (x >= intMin(t) && x <= intMax(t)) expect(s).toBe(x);
        else expect(s).toBe(x < intMin(t) ? intMin(t) : intMax(t));
      }),
    );
  });
});
