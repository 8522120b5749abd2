/**
 * Small ONNX models for the tests, written with npugen's own ONNX writer (onnx/write.ts) and
 * run through real onnxruntime-node. Weights come from a seeded Rng; scales are arbitrary
 * binary32 values so the requantization multipliers are not round numbers.
 */
import { Rng } from '../../sim/random.ts';
import { encodeOnnxModel, type NodeSpec } from '../../onnx/write.ts';
import { type Tensor, tensor } from '../../onnx/tensor.ts';

type Q = 'int8' | 'uint8';

export function codes(rng: Rng, type: Q | 'int32', n: number, span = 256): number[] {
  return Array.from({ length: n }, () => (type === 'uint8' ? rng.below(span) : type === 'int8' ? rng.below(span) - span / 2 : rng.below(2001) - 1000));
}

const f32 = (...v: number[]): Tensor => tensor('float32', v.length === 1 ? [] : [v.length], v.map(Math.fround));
const zp = (type: Q, ...v: number[]): Tensor => tensor(type, v.length === 1 ? [] : [v.length], v);

/** QLinearMatMul of a runtime A (M x K) and a constant B (K x N); per-column b scale/zp when asked. */
export function qlinearMatMulModel(o: { m: number; k: number; n: number; a: Q; b: Q; perColumn?: boolean; seed?: number }): Uint8Array {
  const rng = new Rng(o.seed ?? 1);
  const y: Q = o.a;
  const bScale = o.perColumn ? tensor('float32', [o.n], Array.from({ length: o.n }, (_, j) => 0.0021 + 0.00037 * j)) : f32(0.0031);
  const bZp = o.perColumn ? tensor(o.b, [o.n], Array.from({ length: o.n }, (_, j) => (o.b === 'uint8' ? 120 + (j % 7) : (j % 5) - 2))) : zp(o.b, o.b === 'uint8' ? 128 : 3);
  return encodeOnnxModel({
    name: 'qlinear_matmul',
    inputs: [{ name: 'a', dtype: o.a, dims: [o.m, o.k] }],
    outputs: [{ name: 'y', dtype: y, dims: [o.m, o.n] }],
    initializers: {
      a_scale: f32(0.0173), a_zp: zp(o.a, o.a === 'uint8' ? 131 : -5),
      b: tensor(o.b, [o.k, o.n], codes(rng, o.b, o.k * o.n)), b_scale: bScale, b_zp: bZp,
      y_scale: f32(0.0457), y_zp: zp(y, y === 'uint8' ? 117 : 9),
    },
    nodes: [{ op: 'QLinearMatMul', name: 'qmm', inputs: ['a', 'a_scale', 'a_zp', 'b', 'b_scale', 'b_zp', 'y_scale', 'y_zp'], outputs: ['y'] }],
  });
}

/**
 * A two-layer QOperator MLP with a float input: QuantizeLinear (uint8) -> QLinearMatMul (uint8 x
 * int8 per-column -> uint8) -> QLinearMatMul (uint8 x int8 -> uint8) -> DequantizeLinear.
 */
export function qoperatorMlpModel(o: { batch: number; k: number; h: number; n: number; seed?: number }): Uint8Array {
  const rng = new Rng(o.seed ?? 2);
  const colScales = (n: number, base: number) => tensor('float32', [n], Array.from({ length: n }, (_, j) => base * (1 + 0.13 * (j % 9))));
  const mm = (name: string, a: string, p: string, out: string): NodeSpec => ({ op: 'QLinearMatMul', name, inputs: [a, 'x_scale_' + p, 'x_zp_' + p, 'w_' + p, 'w_scale_' + p, 'w_zp_' + p, 'y_scale_' + p, 'y_zp_' + p], outputs: [out] });
  return encodeOnnxModel({
    name: 'qoperator_mlp',
    inputs: [{ name: 'x', dtype: 'float32', dims: [o.batch, o.k] }],
    outputs: [{ name: 'y', dtype: 'float32', dims: [o.batch, o.n] }],
    initializers: {
      in_scale: f32(1 / 127), in_zp: zp('uint8', 128),
      x_scale_1: f32(1 / 127), x_zp_1: zp('uint8', 128), w_1: tensor('int8', [o.k, o.h], codes(rng, 'int8', o.k * o.h)),
      w_scale_1: colScales(o.h, 0.0042), w_zp_1: tensor('int8', [o.h], new Array<number>(o.h).fill(0)), y_scale_1: f32(0.061), y_zp_1: zp('uint8', 0),
      x_scale_2: f32(0.061), x_zp_2: zp('uint8', 0), w_2: tensor('int8', [o.h, o.n], codes(rng, 'int8', o.h * o.n)),
      w_scale_2: f32(0.0077), w_zp_2: zp('int8', 0), y_scale_2: f32(0.093), y_zp_2: zp('uint8', 121),
      out_scale: f32(0.093), out_zp: zp('uint8', 121),
    },
    nodes: [
      { op: 'QuantizeLinear', name: 'quant_in', inputs: ['x', 'in_scale', 'in_zp'], outputs: ['xq'] },
      mm('fc1', 'xq', '1', 'h'),
      mm('fc2', 'h', '2', 'yq'),
      { op: 'DequantizeLinear', name: 'dequant_out', inputs: ['yq', 'out_scale', 'out_zp'], outputs: ['y'] },
    ],
  });
}

/** MatMulInteger (uint8 x int8 -> int32) with an A zero point and per-column B zero points. */
export function matMulIntegerModel(o: { m: number; k: number; n: number; seed?: number }): Uint8Array {
  const rng = new Rng(o.seed ?? 3);
  return encodeOnnxModel({
    name: 'matmul_integer',
    inputs: [{ name: 'a', dtype: 'uint8', dims: [o.m, o.k] }],
    outputs: [{ name: 'y', dtype: 'int32', dims: [o.m, o.n] }],
    initializers: {
      b: tensor('int8', [o.k, o.n], codes(rng, 'int8', o.k * o.n)),
      a_zp: zp('uint8', 133),
      b_zp: tensor('int8', [o.n], Array.from({ length: o.n }, (_, j) => (j % 7) - 3)),
    },
    nodes: [{ op: 'MatMulInteger', name: 'mmi', inputs: ['a', 'b', 'a_zp', 'b_zp'], outputs: ['y'] }],
  });
}

/**
 * A small QLinearConv network on a float NCHW input: QuantizeLinear -> QLinearConv (3x3, pad 1,
 * per-channel scales, int32 bias) -> QLinearConv (2x2, stride 2, dilation 1) -> DequantizeLinear.
 */
export function qlinearConvNetModel(o: { n: number; c: number; hw: number; c1: number; c2: number; seed?: number }): Uint8Array {
  const rng = new Rng(o.seed ?? 4);
  const h2 = Math.floor((o.hw - 2) / 2) + 1;
  const conv = (name: string, x: string, p: string, out: string, attrs: NodeSpec['attrs']): NodeSpec => ({
    op: 'QLinearConv', name, inputs: [x, 'x_scale_' + p, 'x_zp_' + p, 'w_' + p, 'w_scale_' + p, 'w_zp_' + p, 'y_scale_' + p, 'y_zp_' + p, ...(p === '1' ? ['b_1'] : [])], outputs: [out], ...(attrs ? { attrs } : {}),
  });
  return encodeOnnxModel({
    name: 'qlinear_conv_net',
    inputs: [{ name: 'x', dtype: 'float32', dims: [o.n, o.c, o.hw, o.hw] }],
    outputs: [{ name: 'y', dtype: 'float32', dims: [o.n, o.c2, h2, h2] }],
    initializers: {
      in_scale: f32(0.0083), in_zp: zp('uint8', 127),
      x_scale_1: f32(0.0083), x_zp_1: zp('uint8', 127), w_1: tensor('int8', [o.c1, o.c, 3, 3], codes(rng, 'int8', o.c1 * o.c * 9)),
      w_scale_1: tensor('float32', [o.c1], Array.from({ length: o.c1 }, (_, j) => 0.0051 + 0.0009 * j)), w_zp_1: tensor('int8', [o.c1], new Array<number>(o.c1).fill(0)),
      y_scale_1: f32(0.047), y_zp_1: zp('uint8', 0), b_1: tensor('int32', [o.c1], codes(rng, 'int32', o.c1)),
      x_scale_2: f32(0.047), x_zp_2: zp('uint8', 0), w_2: tensor('int8', [o.c2, o.c1, 2, 2], codes(rng, 'int8', o.c2 * o.c1 * 4)),
      w_scale_2: f32(0.0066), w_zp_2: zp('int8', 0), y_scale_2: f32(0.11), y_zp_2: zp('uint8', 128),
      out_scale: f32(0.11), out_zp: zp('uint8', 128),
    },
    nodes: [
      { op: 'QuantizeLinear', name: 'quant_in', inputs: ['x', 'in_scale', 'in_zp'], outputs: ['xq'] },
      conv('conv1', 'xq', '1', 'h', { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] } }),
      conv('conv2', 'h', '2', 'yq', { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } }),
      { op: 'DequantizeLinear', name: 'dequant_out', inputs: ['yq', 'out_scale', 'out_zp'], outputs: ['y'] },
    ],
  });
}

/** A model with one op npugen does not run (Softmax) after a QLinearMatMul. */
export function unsupportedOpModel(): Uint8Array {
  return encodeOnnxModel({
    name: 'unsupported',
    inputs: [{ name: 'x', dtype: 'float32', dims: [1, 4] }],
    outputs: [{ name: 'y', dtype: 'float32', dims: [1, 4] }],
    initializers: {},
    nodes: [{ op: 'Softmax', name: 'my_softmax', inputs: ['x'], outputs: ['y'] }],
  });
}

const dq = (name: string, x: string, s: string, z: string, out: string, axis?: number): NodeSpec => ({ op: 'DequantizeLinear', name, inputs: [x, s, z], outputs: [out], ...(axis !== undefined ? { attrs: { axis: { i: axis } } } : {}) });
const q = (name: string, x: string, s: string, z: string, out: string): NodeSpec => ({ op: 'QuantizeLinear', name, inputs: [x, s, z], outputs: [out] });

/**
 * A QDQ MLP (what onnxruntime's quantize_static writes): Q -> DQ -> MatMul (per-column int8 weights)
 * -> Q -> DQ -> Gemm (transB = 1, per-channel weights, int32 bias) -> Q -> DQ, uint8 activations.
 */
export function qdqMlpModel(o: { batch: number; k: number; h: number; n: number; seed?: number }): Uint8Array {
  const rng = new Rng(o.seed ?? 5);
  const s1 = Array.from({ length: o.h }, (_, j) => Math.fround(0.0039 * (1 + 0.11 * (j % 5))));
  const s2 = Array.from({ length: o.n }, (_, j) => Math.fround(0.0052 * (1 + 0.07 * (j % 4))));
  const hScale = Math.fround(0.057);
  return encodeOnnxModel({
    name: 'qdq_mlp',
    inputs: [{ name: 'x', dtype: 'float32', dims: [o.batch, o.k] }],
    outputs: [{ name: 'y', dtype: 'float32', dims: [o.batch, o.n] }],
    initializers: {
      x_s: f32(1 / 127), x_z: zp('uint8', 128),
      w1: tensor('int8', [o.k, o.h], codes(rng, 'int8', o.k * o.h, 254)), w1_s: tensor('float32', [o.h], s1), w1_z: tensor('int8', [o.h], new Array<number>(o.h).fill(0)),
      h_s: f32(hScale), h_z: zp('uint8', 0),
      w2: tensor('int8', [o.n, o.h], codes(rng, 'int8', o.n * o.h, 254)), w2_s: tensor('float32', [o.n], s2), w2_z: tensor('int8', [o.n], new Array<number>(o.n).fill(0)),
      b2: tensor('int32', [o.n], codes(rng, 'int32', o.n)), b2_s: tensor('float32', [o.n], s2.map((s) => Math.fround(hScale * s))), b2_z: tensor('int32', [o.n], new Array<number>(o.n).fill(0)),
      y_s: f32(0.089), y_z: zp('uint8', 119),
    },
    nodes: [
      q('q_in', 'x', 'x_s', 'x_z', 'xq'), dq('dq_in', 'xq', 'x_s', 'x_z', 'xf'),
      dq('dq_w1', 'w1', 'w1_s', 'w1_z', 'w1f', 1),
      { op: 'MatMul', name: 'fc1', inputs: ['xf', 'w1f'], outputs: ['h_f'] },
      q('q_h', 'h_f', 'h_s', 'h_z', 'hq'), dq('dq_h', 'hq', 'h_s', 'h_z', 'hf'),
      dq('dq_w2', 'w2', 'w2_s', 'w2_z', 'w2f', 0), dq('dq_b2', 'b2', 'b2_s', 'b2_z', 'b2f', 0),
      { op: 'Gemm', name: 'fc2', inputs: ['hf', 'w2f', 'b2f'], outputs: ['y_f'], attrs: { transB: { i: 1 } } },
      q('q_y', 'y_f', 'y_s', 'y_z', 'yq'), dq('dq_y', 'yq', 'y_s', 'y_z', 'y'),
    ],
  });
}

/** A QDQ convolution with a float Relu before its QuantizeLinear (zero point 0, so onnxruntime drops the Relu). */
export function qdqConvModel(o: { n: number; c: number; hw: number; oc: number; seed?: number }): Uint8Array {
  const rng = new Rng(o.seed ?? 6);
  const ws = Array.from({ length: o.oc }, (_, j) => Math.fround(0.0061 + 0.0007 * j));
  const xs = Math.fround(0.0079);
  return encodeOnnxModel({
    name: 'qdq_conv',
    inputs: [{ name: 'x', dtype: 'float32', dims: [o.n, o.c, o.hw, o.hw] }],
    outputs: [{ name: 'y', dtype: 'float32', dims: [o.n, o.oc, o.hw, o.hw] }],
    initializers: {
      x_s: f32(xs), x_z: zp('uint8', 127),
      w: tensor('int8', [o.oc, o.c, 3, 3], codes(rng, 'int8', o.oc * o.c * 9, 254)), w_s: tensor('float32', [o.oc], ws), w_z: tensor('int8', [o.oc], new Array<number>(o.oc).fill(0)),
      b: tensor('int32', [o.oc], codes(rng, 'int32', o.oc)), b_s: tensor('float32', [o.oc], ws.map((s) => Math.fround(xs * s))), b_z: tensor('int32', [o.oc], new Array<number>(o.oc).fill(0)),
      y_s: f32(0.043), y_z: zp('uint8', 0),
    },
    nodes: [
      q('q_in', 'x', 'x_s', 'x_z', 'xq'), dq('dq_in', 'xq', 'x_s', 'x_z', 'xf'),
      dq('dq_w', 'w', 'w_s', 'w_z', 'wf', 0), dq('dq_b', 'b', 'b_s', 'b_z', 'bf', 0),
      { op: 'Conv', name: 'conv', inputs: ['xf', 'wf', 'bf'], outputs: ['c_f'], attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] } } },
      { op: 'Relu', name: 'relu', inputs: ['c_f'], outputs: ['r_f'] },
      q('q_y', 'r_f', 'y_s', 'y_z', 'yq'), dq('dq_y', 'yq', 'y_s', 'y_z', 'y'),
    ],
  });
}

/** com.microsoft QGemm: uint8 A x int8 B (transB = 1, per-column scales) + int32 bias -> uint8. */
export function qgemmModel(o: { m: number; k: number; n: number; perTensor?: boolean; seed?: number }): Uint8Array {
  const rng = new Rng(o.seed ?? 7);
  return encodeOnnxModel({
    name: 'qgemm',
    inputs: [{ name: 'a', dtype: 'uint8', dims: [o.m, o.k] }],
    outputs: [{ name: 'y', dtype: 'uint8', dims: [o.m, o.n] }],
    initializers: {
      a_s: f32(0.0123), a_z: zp('uint8', 125),
      b: tensor('int8', [o.n, o.k], codes(rng, 'int8', o.n * o.k)), ...(o.perTensor ? { b_s: f32(0.0041), b_z: zp('int8', 0) } : { b_s: tensor('float32', [o.n], Array.from({ length: o.n }, (_, j) => 0.0033 + 0.0004 * j)), b_z: tensor('int8', [o.n], new Array<number>(o.n).fill(0)) }),
      c: tensor('int32', [o.n], codes(rng, 'int32', o.n)), y_s: f32(0.071), y_z: zp('uint8', 100),
    },
    nodes: [{ op: 'QGemm', domain: 'com.microsoft', name: 'qgemm', inputs: ['a', 'a_s', 'a_z', 'b', 'b_s', 'b_z', 'c', 'y_s', 'y_z'], outputs: ['y'], attrs: { transB: { i: 1 }, alpha: { f: 1 } } }],
  });
}

/** A tensor's elements as a plain array (numbers, or bigints for int64). */
export function values(t: Tensor): (number | bigint)[] {
  return Array.from(t.data as ArrayLike<number | bigint>);
}
