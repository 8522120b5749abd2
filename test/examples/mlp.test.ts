// The demo's pieces: the data split, quantized inference against the float model, and the
// hardware schedule on gemm_tile checked cycle by cycle (and able to fail).
import { describe, expect, test } from 'vitest';
import { loadDigits, splitDigits } from '../../examples/mlp/data.ts';
import { floatAccuracy, trainMlp } from '../../examples/mlp/train.ts';
import { goldenInfer, quantAccuracy, quantizeInput, quantizeMlp } from '../../examples/mlp/quantize.ts';
import { buildTile, scheduleLayer } from '../../examples/mlp/hardware.ts';
import { runBuiltin } from '../../sim/cosim/builtin-run.ts';

describe('MLP demo', () => {
  const { train, test: testSet } = splitDigits(loadDigits());
  const model = trainMlp(train, 7, 6);

  test('the deterministic split is 1,437 training and 360 test images', () => {
    expect(train.images.length).toBe(1437);
    expect(testSet.images.length).toBe(360);
    expect(testSet.labels.every((l) => l >= 0 && l <= 9)).toBe(true);
  });

  test('int8 inference tracks the float model within a few points', () => {
    const fa = floatAccuracy(model, testSet);
    const q8 = quantAccuracy(goldenInfer(quantizeMlp(model, train, 8), testSet.images), testSet.labels);
    expect(fa).toBeGreaterThan(0.8);
    expect(Math.abs(q8 - fa)).toBeLessThan(0.05);
  });

  test('a layer scheduled on a 4x4 gemm_tile matches the golden GEMM cycle by cycle, and a wrong expectation is caught', () => {
    const q = quantizeMlp(model, train, 4);
    const images = testSet.images.slice(0, 6);
    const x = new Int8Array(images.length * 64);
    images.forEach((img, i) => x.set(quantizeInput(img), i * 64));
    const layer = q.layers[0];
    const shape = { rows: 4, cols: 4 };
    const tile = buildTile(shape, 4, 'relu', layer.k);
    const run = scheduleLayer(tile, shape, layer, x, images.length);
    const ok = runBuiltin(tile, run.testbench, run.stimulus, run.expected);
    expect(ok.counts.mismatches).toBe(0);
    expect(ok.counts.checked).toBe(run.cycles);
    const validIdx = run.testbench.outputs.findIndex((p) => p.name === 'out_valid');
    const row = run.expected.findIndex((r) => r[validIdx] === 1n);
    const wrong = run.expected.map((r, i) => (i === row ? r.map((v, j) => (j === 0 ? v ^ 1n : v)) : r));
    const bad = runBuiltin(tile, run.testbench, run.stimulus, wrong);
    expect(bad.mismatches[0]).toMatchObject({ vectorIndex: row, port: 'y_0' });
  });
});
