// The demo's pieces: the data split, quantized inference against the float model, and the
// hardware schedule on gemm_tile checked cycle by cycle (and able to fail).
import { describe, expect, test } from 'vitest';
import { loadDigits, splitDigits } from '../../examples/mlp/data.ts';
import { floatAccuracy, trainMlp } from '../../examples/mlp/train.ts';
import { calibrate, goldenInfer, INT8, quantAccuracy, quantizeInputs, quantizeMlp, quantizeWith, W4A8 } from '../../examples/mlp/quantize.ts';
import { qatForward, trainQat } from '../../examples/mlp/qat.ts';
import { buildTile, scheduleLayer, tileParams } from '../../examples/mlp/hardware.ts';
import { instantiate } from '../../catalog/index.ts';
import { verifyDesign } from '../../sim/cosim/verify.ts';
import { runBuiltin } from '../../sim/cosim/builtin-run.ts';

describe('MLP demo', () => {
  const { train, test: testSet } = splitDigits(loadDigits());
  const model = trainMlp(train, { seed: 7, epochs: 6 });

  test('the deterministic split is 1,437 training and 360 test images', () => {
    expect(train.images.length).toBe(1437);
    expect(testSet.images.length).toBe(360);
    expect(testSet.labels.every((l) => l >= 0 && l <= 9)).toBe(true);
  });

  test('int8 inference tracks the float model within a few points', () => {
    const fa = floatAccuracy(model, testSet);
    const q8 = quantAccuracy(goldenInfer(quantizeMlp(model, train, INT8), testSet.images), testSet.labels);
    expect(fa).toBeGreaterThan(0.8);
    expect(Math.abs(q8 - fa)).toBeLessThan(0.05);
  });

  test('a layer scheduled on a 4x4 gemm_tile matches the golden GEMM cycle by cycle, and a wrong expectation is caught', () => {
    const q = quantizeMlp(model, train, W4A8);
    const images = testSet.images.slice(0, 6);
    const x = quantizeInputs(images);
    const layer = q.layers[0];
    const shape = { rows: 4, cols: 4 };
    const tile = buildTile(shape, W4A8, 'relu', layer.k);
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

describe('gemm_tile int32 bias', () => {
  test('biases near the int32 range reach the requantizer exactly (built-in simulator vs the golden GEMM), and a dropped bias is caught', () => {
    const { train } = splitDigits(loadDigits());
    const q = quantizeMlp(trainMlp(train, { seed: 3, epochs: 1 }), train, INT8);
    const base = q.layers[1];
    // Large biases with a tiny multiplier: the sum c + b must stay exact in 32 bits.
    const bias = Int32Array.from({ length: base.n }, (_, j) => (j % 2 === 0 ? 1 : -1) * (2 ** 30 - j * 3 * 2 ** 24));
    const multiplier = new Int32Array(base.n).fill(2 ** 30);
    const shift = new Int32Array(base.n).fill(-24);
    const layer = { ...base, bias, multiplier, shift };
    const x = Int8Array.from({ length: 5 * base.k }, (_, i) => ((i * 37) % 255) - 127);
    const shape = { rows: 2, cols: 3 };
    const tile = buildTile(shape, INT8, 'none', layer.k);
    const run = scheduleLayer(tile, shape, layer, x, 5);
    expect(new Set(run.output).size).toBeGreaterThan(2);
    expect(runBuiltin(tile, run.testbench, run.stimulus, run.expected).counts.mismatches).toBe(0);
    const noBias = scheduleLayer(tile, shape, { ...layer, bias: new Int32Array(base.n) }, x, 5);
    expect(runBuiltin(tile, run.testbench, run.stimulus, noBias.expected).counts.mismatches).toBeGreaterThan(0);
  });
});

describe('MLP tile from the generator registry', () => {
  test('the W4A8 relu tile (bias, scale int) passes verify against its registry model (random scales and biases, corners)', async () => {
    const { design, model } = instantiate('gemm_tile', tileParams({ rows: 2, cols: 2 }, W4A8, 'relu', 16), 'mlp_tile');
    const r = await verifyDesign(design, { model, simulators: ['builtin'], vectors: 600, seed: 5, corners: true });
    expect(r.outcomes[0]!.counts.mismatches).toBe(0);
    expect(r.passed).toBe(true);
  });
});

describe('MLP QAT', () => {
  const { train } = splitDigits(loadDigits());
  const model = trainMlp(train, { seed: 7, epochs: 3 });
  const spec = { weightBits: 3, actBits: 8, perChannel: false };
  const act = calibrate(model, train, spec.actBits);

  test('the training forward pass is the golden integer inference (dequantized), image for image', () => {
    const images = train.images.slice(0, 20);
    const acts = qatForward(spec, act)(model, images);
    const logits = goldenInfer(quantizeWith(model, spec, act), images);
    acts.forEach((a, n) => a.logits.forEach((v, j) => expect(v).toBe(logits[n * 10 + j]! * act.logits)));
  });

  test('QAT beats the same fine-tuning in float followed by PTQ (3-bit per-tensor weights, training split)', () => {
    // Same epochs, learning rate and seed as trainQat's: only the forward pass differs.
    const tuned = trainMlp(train, { init: model, epochs: 2, lr: 0.01, seed: 11 });
    const ptq = quantAccuracy(goldenInfer(quantizeWith(tuned, spec, act), train.images), train.labels);
    const qat = quantAccuracy(goldenInfer(trainQat(model, train, spec, { epochs: 2 }), train.images), train.labels);
    expect(qat).toBeGreaterThan(ptq + 0.01);
  });
});
