// The array estimate against the resource budget (sim/array-budget.ts, sim/budget.ts): the
// documented maximum (1024x1024) is over it for gen and synth, moderate arrays are within it,
// and the estimate grows with the shape and the PE's widths.
import { describe, expect, test } from 'vitest';
import { arrayShapeOf, estimateArrayGen, estimateArraySynth } from '../../sim/array-budget.ts';
import { overBudget } from '../../sim/budget.ts';
import { parseParams } from '../../dsl/npu/params.ts';
import { GENERATORS } from '../../catalog/index.ts';

const shape = (generator: string, raw: Record<string, unknown>) => {
  const s = arrayShapeOf(generator, parseParams(GENERATORS.get(generator)!.params, raw));
  if (s === undefined) throw new Error('no shape');
  return s;
};

describe('array budget estimate', () => {
  test('1024x1024 is over the budget for gen and synth; 64x64 gen and 16x16 synth are within it', () => {
    const max = shape('systolic_array', { rows: 1024, cols: 1024 });
    expect(overBudget(estimateArrayGen(max, 200))).not.toEqual([]);
    expect(overBudget(estimateArraySynth(max, 3, 2))).not.toEqual([]);
    expect(overBudget(estimateArrayGen(shape('systolic_array', { rows: 64, cols: 64 }), 200))).toEqual([]);
    expect(overBudget(estimateArraySynth(shape('gemm_tile', { rows: 16, cols: 16 }), 3, 2))).toEqual([]);
  });

  test('wider PEs and more PEs cost more; generators without an array have no shape', () => {
    const i8 = estimateArraySynth(shape('systolic_array', { rows: 8, cols: 8 }), 1, 0);
    const i16 = estimateArraySynth(shape('systolic_array', { rows: 8, cols: 8, a: 'int16', b: 'int16', accumulator: 'int48' }), 1, 0);
    const big = estimateArraySynth(shape('systolic_array', { rows: 8, cols: 16 }), 1, 0);
    expect(i16.seconds).toBeGreaterThan(2 * i8.seconds);
    expect(big.memoryBytes).toBeGreaterThan(i8.memoryBytes);
    expect(arrayShapeOf('mac', parseParams(GENERATORS.get('mac')!.params, {}))).toBeUndefined();
  });
});
