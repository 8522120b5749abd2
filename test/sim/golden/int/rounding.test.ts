import { describe, expect, it } from 'vitest';
import { Rational } from '../../../../sim/golden/rational.ts';
import { roundQuotient, roundRational, shiftRightRound, type RoundingMode } from '../../../../sim/golden/int/rounding.ts';

// Hand table: value -> result per mode (floor ceil trunc rne rna half_up half_down).
const TABLE: [string, [number, number, number, number, number, number, number]][] = [
  ['2.5', [2, 3, 2, 2, 3, 3, 2]],
  ['3.5', [3, 4, 3, 4, 4, 4, 3]],
  ['-2.5', [-3, -2, -2, -2, -3, -2, -3]],
  ['-0.5', [-1, 0, 0, 0, -1, 0, -1]],
  ['0.5', [0, 1, 0, 0, 1, 1, 0]],
  ['1.25', [1, 2, 1, 1, 1, 1, 1]],
  ['-1.75', [-2, -1, -1, -2, -2, -2, -2]],
  ['7', [7, 7, 7, 7, 7, 7, 7]],
  ['-1/3', [-1, 0, 0, 0, 0, 0, 0]],
  ['5/3', [1, 2, 1, 2, 2, 2, 2]],
];
const MODES: RoundingMode[] = ['floor', 'ceil', 'trunc', 'rne', 'rna', 'half_up', 'half_down'];

describe('roundRational', () => {
  for (const [text, expected] of TABLE) {
    it(`rounds ${text} in every mode`, () => {
      expect(MODES.map((m) => Number(roundRational(Rational.parse(text), m)))).toEqual(expected);
    });
  }

  it('shiftRightRound divides by powers of two', () => {
    expect(shiftRightRound(-5n, 1, 'rna')).toBe(-3n);
    expect(shiftRightRound(-5n, 1, 'rne')).toBe(-2n);
    expect(shiftRightRound(-5n, 1, 'half_up')).toBe(-2n);
    expect(shiftRightRound(12n, 0, 'rne')).toBe(12n);
    expect(shiftRightRound(-(1n << 63n), 63, 'floor')).toBe(-1n);
    expect(() => shiftRightRound(1n, -1, 'rne')).toThrow(RangeError);
  });

  it('rejects a non-positive denominator', () => {
    expect(() => roundQuotient(1n, 0n, 'rne')).toThrow(/denominator/);
  });
});
