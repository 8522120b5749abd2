// Reading and writing ONNX: the writer's output round-trips through protobufjs and the reader,
// typed TensorProto fields read like raw_data, and bad files fail with named errors.
import { describe, expect, test } from 'vitest';
import { readOnnxModel, OnnxModelError } from '../../onnx/model.ts';
import { encodeModelProto } from '../../onnx/proto/codec.ts';
import { tensor } from '../../onnx/tensor.ts';
import { encodeOnnxModel } from '../../onnx/write.ts';
import { qlinearMatMulModel, values } from '../helpers/onnx-models.ts';

describe('ONNX reader and writer', () => {
  test('a written model reads back: opsets, inputs, outputs, initializers, nodes and attributes', () => {
    const bytes = encodeOnnxModel({
      name: 'g',
      inputs: [{ name: 'x', dtype: 'int8', dims: ['batch', 4] }],
      outputs: [{ name: 'y', dtype: 'int32', dims: ['batch', 3] }],
      initializers: { w: tensor('int8', [4, 3], [1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -128]), big: tensor('int64', [2], [2, -1]) },
      nodes: [{ op: 'MatMulInteger', name: 'mm', inputs: ['x', 'w'], outputs: ['y'], attrs: { i: { i: -3 }, f: { f: 0.5 }, s: { s: 'SAME' }, v: { ints: [1, 2] } } }],
    });
    const m = readOnnxModel(bytes, 'g.onnx');
    expect(m.opsets.get('')).toBe(21);
    expect(m.inputs).toEqual([{ name: 'x', dtype: 'int8', dims: ['batch', 4] }]);
    expect(m.outputs[0]!.dims).toEqual(['batch', 3]);
    expect(values(m.initializers.get('w')!)).toEqual([1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -128]);
    expect(values(m.initializers.get('big')!)).toEqual([2n, -1n]);
    const node = m.nodes[0]!;
    expect([node.name, node.opType, node.domain, node.inputs, node.outputs]).toEqual(['mm', 'MatMulInteger', '', ['x', 'w'], ['y']]);
    expect(Object.fromEntries(node.attrs)).toEqual({ i: { kind: 'int', value: -3 }, f: { kind: 'float', value: 0.5 }, s: { kind: 'string', value: 'SAME' }, v: { kind: 'ints', value: [1, 2] } });
  });

  test('typed fields (float_data, int32_data for int8/uint8, int64_data) read like raw_data; Constant nodes become constants', () => {
    const bytes = encodeModelProto({
      irVersion: 8, opsetImport: [{ domain: 'ai.onnx', version: 13 }],
      graph: {
        name: 'g',
        initializer: [
          { name: 'f', dims: [2], dataType: 1, floatData: [0.25, -1.5] },
          { name: 'u', dims: [3], dataType: 2, int32Data: [0, 128, 255] },
          { name: 'i', dims: [2], dataType: 3, int32Data: [-128, 127] },
          { name: 'l', dims: [1], dataType: 7, int64Data: ['-9007199254740993'] },
        ],
        node: [{ opType: 'Constant', output: ['c'], attribute: [{ name: 'value', type: 4, t: { dims: [1], dataType: 6, int32Data: [-7] } }] }, { opType: 'Relu', input: ['x'], output: ['y'] }],
        input: [{ name: 'x', type: { tensorType: { elemType: 1 } } }],
        output: [{ name: 'y', type: { tensorType: { elemType: 1 } } }],
      },
    });
    const m = readOnnxModel(bytes, 'typed.onnx');
    expect(m.opsets.get('')).toBe(13);
    expect(values(m.initializers.get('f')!)).toEqual([0.25, -1.5]);
    expect(values(m.initializers.get('u')!)).toEqual([0, 128, 255]);
    expect(values(m.initializers.get('i')!)).toEqual([-128, 127]);
    expect(values(m.initializers.get('l')!)).toEqual([-9007199254740993n]);
    expect(values(m.initializers.get('c')!)).toEqual([-7]);
    expect(m.nodes.map((n) => n.name)).toEqual(['Relu#1']);
  });

  test('a test model is readable and its initializers are what was written', () => {
    const m = readOnnxModel(qlinearMatMulModel({ m: 3, k: 5, n: 2, a: 'uint8', b: 'int8' }), 'q.onnx');
    expect(m.nodes.map((n) => n.opType)).toEqual(['QLinearMatMul']);
    expect(m.initializers.get('b')!.dims).toEqual([5, 2]);
    expect(m.initializers.get('a_scale')!.data[0]).toBe(Math.fround(0.0173));
  });

  test('bad files fail with OnnxModelError naming the file and the problem', () => {
    expect(() => readOnnxModel(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 'junk.onnx')).toThrow(/junk\.onnx: not an ONNX model/);
    expect(() => readOnnxModel(new Uint8Array(0), 'empty.onnx')).toThrow(OnnxModelError);
    const f16 = encodeModelProto({ opsetImport: [{ version: 13 }], graph: { node: [{ opType: 'Relu', input: ['x'], output: ['y'] }], initializer: [{ name: 'h', dims: [1], dataType: 10, int32Data: [0] }] } });
    expect(() => readOnnxModel(f16, 'h.onnx')).toThrow(/h\.onnx: initializer 'h': element type float16 is not supported/);
    const short = encodeModelProto({ opsetImport: [{ version: 13 }], graph: { node: [{ opType: 'Relu', input: ['x'], output: ['y'] }], initializer: [{ name: 'r', dims: [4], dataType: 1, rawData: new Uint8Array(12) }] } });
    expect(() => readOnnxModel(short, 's.onnx')).toThrow(/raw_data has 12 bytes, expected 16/);
  });
});
