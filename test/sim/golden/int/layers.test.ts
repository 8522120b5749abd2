import { describe, expect, it } from 'vitest';
import { Rational } from '../../../../sim/golden/rational.ts';
import { fullyConnectedInt8, fullyConnectedInt8Output } from '../../../../sim/golden/int/fully-connected.ts';
import { INT8, UINT8 } from '../../../../sim/golden/int/int-type.ts';
import { integerMatMul, qlinearMatMul } from '../../../../sim/golden/int/qlinear-matmul.ts';

const fc = {
  inputZeroPoint: 1n,
  weightZeroPoint: 0n,
  outputZeroPoint: 2n,
  multiplier: 1n << 30n, // 0.5 with shift 0
  shift: 0,
  actMin: -128n,
  actMax: 127n,
  variant: 'double_round' as const,
};

describe('fullyConnectedInt8', () => {
  it('computes one output by hand', () => {
    // acc = (3-1)*2 + (5-1)*(-1) + 7 = 4 - 4 + 7 = 7; 7 * 0.5 = 3.5 -> 4 (half away); + 2 = 6
    expect(fullyConnectedInt8Output([3, 5], [2, -1], 7n, fc)).toBe(6n);
    // clamp at actMax
    expect(fullyConnectedInt8Output([3, 5], [2, -1], 7n, { ...fc, actMax: 5n })).toBe(5n);
  });

  it('evaluates a layer and checks its arguments', () => {
    expect(fullyConnectedInt8([[3, 5], [1, 1]], [[2, -1], [1, 1]], [7n, 0n], fc)).toEqual([[6n, 5n], [6n, 2n]]);
    expect(() => fullyConnectedInt8Output([1], [1, 2], 0n, fc)).toThrow(/input has 1 values, weights 2/);
    expect(() => fullyConnectedInt8Output([128], [1], 0n, fc)).toThrow(/outside int8/);
  });
});

describe('qlinearMatMul', () => {
  it('matches a hand computation', () => {
    // (a - 1) @ (b - 2) = [[1, 2]] @ [[1], [-1]] = [[-1]]; -1 * 0.5 * 3 / 0.25 = -6; + 10 = 4
    const y = qlinearMatMul([[2n, 3n]], [[3n], [1n]], {
      type: UINT8, aScale: Rational.parse('0.5'), aZeroPoint: 1n, bScale: Rational.parse('3'), bZeroPoint: 2n,
      yScale: Rational.parse('0.25'), yZeroPoint: 10n,
    });
    expect(y).toEqual([[4n]]);
  });

  it('saturates instead of wrapping', () => {
    const p = { type: INT8, aScale: Rational.ONE, aZeroPoint: 0n, bScale: Rational.ONE, bZeroPoint: 0n, yScale: Rational.ONE, yZeroPoint: 0n };
    expect(qlinearMatMul([[100n, 100n]], [[1n], [1n]], p)).toEqual([[127n]]);
    expect(integerMatMul([[1n, 2n]], [[3n], [4n]])).toEqual([[11n]]);
    expect(() => integerMatMul([[1n]], [[3n], [4n]])).toThrow(/1 columns, b has 2 rows/);
  });
});
