// MatMulNBits in `npugen run`'s front end: lowering (a host layer computing the golden model),
// rejections naming the node, and the run against onnxruntime-node within the stated tolerance.
import { describe, expect, test } from 'vitest';
import { randomInputs } from '../../onnx/inputs.ts';
import { evalLayer } from '../../onnx/layer.ts';
import { lowerModel } from '../../onnx/lower.ts';
import { readOnnxModel } from '../../onnx/model.ts';
import { runLoweredModel } from '../../onnx/run.ts';
import { tensor } from '../../onnx/tensor.ts';
import { matMulNBitsGolden } from '../../sim/golden/llm/matmul-nbits.ts';
import { Rng } from '../../sim/random.ts';
import { matMulNBitsModel, randomMatMulNBits } from '../helpers/matmul-nbits-model.ts';

const rng = new Rng(71);
const lower = (bytes: Uint8Array) => lowerModel(readOnnxModel(bytes, 'm.onnx'));

describe('MatMulNBits lowering', () => {
  test('a host layer whose output is the golden model, leading dims of A kept', () => {
    const w = randomMatMulNBits(rng, 72, 5, 32, true);
    const low = lower(matMulNBitsModel(w, [2, 3, 72]));
    expect(low.layers.map((l) => [l.kind, l.op])).toEqual([['host', 'MatMulNBits']]);
    const a = tensor('float32', [2, 3, 72], Array.from({ length: 6 * 72 }, () => (rng.below(201) - 100) / 64));
    const y = evalLayer(low.layers[0]!, new Map([...low.constants, ['a', a]]));
    expect(y.dims).toEqual([2, 3, 5]);
    expect(Array.from(y.data as Float32Array)).toEqual(Array.from(matMulNBitsGolden(a.data as Float32Array, 6, w)));
  });
  test('unsupported attributes and inputs are rejected by node name', () => {
    const w = randomMatMulNBits(rng, 32, 2, 16, false);
    expect(() => lower(matMulNBitsModel(w, [1, 32], { bits: { i: 8 } }))).toThrow(/node 'mmnb' \(com\.microsoft\.MatMulNBits\): bits = 8 is not supported/);
    expect(() => lower(matMulNBitsModel(w, [1, 32], { accuracy_level: { i: 4 } }))).toThrow(/accuracy_level = 4 .* use accuracy_level 0 or 1/);
    expect(() => lower(matMulNBitsModel({ ...w, blockSize: 8, b: new Uint8Array(32), scales: new Float32Array(8) }, [1, 32]))).toThrow(/block_size = 8 is not supported/);
  });
});

describe('MatMulNBits in npugen run', () => {
  test('golden vs onnxruntime within the tolerance; a wrong golden layout is caught', async () => {
    const w = randomMatMulNBits(rng, 96, 6, 32, true);
    const bytes = matMulNBitsModel(w, [4, 96]);
    const model = readOnnxModel(bytes, 'm.onnx');
    const sets = [randomInputs(model, rng), randomInputs(model, rng)];
    const report = await runLoweredModel(bytes, lowerModel(model), { inputSets: sets, simulator: 'builtin', tile: { rows: 4, cols: 4 } });
    expect(report.layers[0]).toMatchObject({ op: 'MatMulNBits', onnxruntimeBitExact: true, hardwareBitExact: null, exactByConstruction: false });
    expect(report.bitExact).toBe(true);
    // The same run with the golden model reading B's nibbles the other way round fails.
    const swapped = lowerModel(readOnnxModel(matMulNBitsModel({ ...w, b: w.b.map((x) => ((x & 15) << 4) | (x >> 4)) }, [4, 96]), 'm.onnx'));
    const bad = await runLoweredModel(bytes, swapped, { inputSets: sets, simulator: 'builtin', tile: { rows: 4, cols: 4 } });
    expect(bad.layers[0]!.onnxruntimeBitExact).toBe(false);
    expect(bad.layers[0]!.firstMismatch).toMatch(/golden vs onnxruntime.*tolerance/);
  });
});
