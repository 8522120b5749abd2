// The demo MLP exported as ONNX (QOperator and QDQ): onnxruntime runs both, their outputs equal
// the golden model's bit for bit on the whole test split, they classify like the demo's own
// int8 inference, and `npugen run`'s path puts them on gemm_tile hardware with identical outputs.
import { describe, expect, test } from 'vitest';
import { loadDigits, splitDigits } from '../../examples/mlp/data.ts';
import { exportMlpOnnx, onnxInputOf } from '../../examples/mlp/onnx-export.ts';
import { goldenInfer, INT8, quantizeMlp } from '../../examples/mlp/quantize.ts';
import { argmax, trainMlp } from '../../examples/mlp/train.ts';
import { evalLayer } from '../../onnx/layer.ts';
import { lowerModel } from '../../onnx/lower.ts';
import { readOnnxModel } from '../../onnx/model.ts';
import { openOrtSession } from '../../onnx/ort.ts';
import { firstDifference, runLoweredModel } from '../../onnx/run.ts';

describe('demo MLP as ONNX', () => {
  const { train, test: testSet } = splitDigits(loadDigits());
  // Few epochs keep the test fast; the export does not depend on how well the model is trained.
  const q = quantizeMlp(trainMlp(train, { seed: 7, epochs: 2 }), train, INT8);
  const demoLogits = goldenInfer(q, testSet.images);
  const x = onnxInputOf(testSet.images);

  test.each(['qoperator', 'qdq'] as const)('%s: onnxruntime = golden on all 360 test images, and it classifies like the demo', async (form) => {
    const bytes = exportMlpOnnx(q, form);
    const low = lowerModel(readOnnxModel(bytes, `${form}.onnx`));
    const env = new Map([...low.constants, ['pixels', x]]);
    for (const l of low.layers) env.set(l.output, evalLayer(l, env));
    const session = await openOrtSession(bytes);
    const ort = (await session.run(new Map([['pixels', x]]))).get('logits')!;
    await session.release();
    expect(ort.dims).toEqual([360, 10]);
    expect(firstDifference(env.get('logits')!, ort)).toBe(-1);
    let agree = 0;
    for (let i = 0; i < 360; i++) {
      if (argmax((ort.data as Float32Array).subarray(i * 10, i * 10 + 10)) === argmax(demoLogits.subarray(i * 10, i * 10 + 10))) agree++;
    }
    // Different requantization roundings (binary32 vs fixed point, uint8 vs int8 activations in QDQ) move a few logits by a code.
    expect(agree / 360).toBeGreaterThan(0.97);
  });

  // QDQ lowers to the same GEMM layers (with the bias) (checked above against onnxruntime); bench/onnx-run.ts runs both forms on every simulator.
  test.each(['qoperator'] as const)('%s: on gemm_tile (built-in simulator, 4x4 tile) every layer is bit-exact vs golden and onnxruntime', async (form) => {
    const bytes = exportMlpOnnx(q, form);
    const low = lowerModel(readOnnxModel(bytes, `${form}.onnx`));
    const images = onnxInputOf(testSet.images.slice(0, 3));
    const r = await runLoweredModel(bytes, low, { inputSets: [new Map([['pixels', images]])], simulator: 'builtin', tile: { rows: 4, cols: 4 } });
    expect(r.layers.map((l) => [l.op, l.bitExact])).toEqual(form === 'qoperator'
      ? [['QuantizeLinear', true], ['QGemm+Relu', true], ['QGemm', true], ['DequantizeLinear', true]]
      : [['QuantizeLinear', true], ['QDQ Gemm', true], ['QDQ Gemm', true], ['DequantizeLinear', true]]);
    expect(r.layers.filter((l) => l.cycles !== null).every((l) => l.hardwareBitExact === true && (l.cycles ?? 0) > 0)).toBe(true);
    expect(r.bitExact).toBe(true);
  });
});
