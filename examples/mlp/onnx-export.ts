/**
 * The demo's quantized MLP as ONNX, in the two forms quantization tools write:
 * - QOperator: QuantizeLinear (int8, scale 1/127) -> QGemm (com.microsoft; int8 x int8 per-column,
 *   the demo's int32 bias as C -> int8) -> Relu (on the int8 codes, zero point 0, so it is the
 *   demo's [0, 127] clamp) -> QGemm -> DequantizeLinear: float logits;
 * - QDQ: QuantizeLinear / DequantizeLinear pairs around float Gemms, uint8 activations (zero point
 *   0; logits zero point 128), int8 per-column weights and int32 biases behind DequantizeLinear
 *   with scale input scale x weight scale (layer 1's re-rounded to the uint8 input scale 1/255),
 *   the layout onnxruntime fuses to QGemm (u8 x s8 -> u8); the Relu sits before a zero-point-0
 *   QuantizeLinear, where onnxruntime drops it.
 * Both take the float input pixels / 16, shape [batch, 64]. Weights are the demo's codes (int4
 * models export their [-7, 7] codes as int8). Scales are rounded to binary32, and onnxruntime
 * requantizes with binary32 multipliers, not the demo's fixed-point ones, so an exported model's
 * outputs equal onnxruntime's exactly on the hardware, and the demo's golden ones closely.
 */
import { type Tensor, tensor } from '../../onnx/tensor.ts';
import { encodeOnnxModel, type ModelSpec, type NodeSpec } from '../../onnx/write.ts';
import type { QuantLayer, QuantMlp } from './quantize.ts';

export type OnnxForm = 'qoperator' | 'qdq';

const scalar = (dtype: 'float32' | 'int8' | 'uint8', v: number): Tensor => tensor(dtype, [], [v]);
const perColumn = (l: QuantLayer): Tensor => tensor('float32', [l.n], l.scales.weights);
/** The bias of `l` for an input scale `inScale` (= the demo's codes when it is the demo's input scale). */
const biasFor = (l: QuantLayer, inScale: number): Tensor =>
  tensor('int32', [l.n], Int32Array.from(l.bias, (b) => (inScale === l.scales.input ? b : Math.round((b * l.scales.input) / inScale))));
/** DequantizeLinear scale of a bias: fp32(input scale x weight scale[j]), as onnxruntime's QDQ selector requires. */
const biasScale = (l: QuantLayer, inScale: number): Tensor =>
  tensor('float32', [l.n], Float32Array.from(l.scales.weights, (w) => Math.fround(Math.fround(inScale) * Math.fround(w))));
const io = (batch: number | string) => ({
  inputs: [{ name: 'pixels', dtype: 'float32' as const, dims: [batch, 64] }],
  outputs: [{ name: 'logits', dtype: 'float32' as const, dims: [batch, 10] }],
});

function qoperator(q: QuantMlp, batch: number | string): ModelSpec {
  const [l1, l2] = q.layers;
  const mm = (i: 1 | 2, a: string, out: string): NodeSpec => ({ op: 'QGemm', domain: 'com.microsoft', name: `fc${i}`, inputs: [a, `a${i}_scale`, 'zp', `w${i}`, `w${i}_scale`, `w${i}_zp`, `b${i}`, `y${i}_scale`, 'zp'], outputs: [out] });
  return {
    name: 'digits_mlp_qoperator', ...io(batch),
    initializers: {
      in_scale: scalar('float32', l1.scales.input), zp: scalar('int8', 0),
      a1_scale: scalar('float32', l1.scales.input), w1: tensor('int8', [l1.k, l1.n], l1.weights), w1_scale: perColumn(l1), w1_zp: tensor('int8', [l1.n], new Int8Array(l1.n)), b1: biasFor(l1, l1.scales.input), y1_scale: scalar('float32', l1.scales.output),
      a2_scale: scalar('float32', l2.scales.input), w2: tensor('int8', [l2.k, l2.n], l2.weights), w2_scale: perColumn(l2), w2_zp: tensor('int8', [l2.n], new Int8Array(l2.n)), b2: biasFor(l2, l2.scales.input), y2_scale: scalar('float32', l2.scales.output),
    },
    nodes: [
      { op: 'QuantizeLinear', name: 'quantize_input', inputs: ['pixels', 'in_scale', 'zp'], outputs: ['x'] },
      mm(1, 'x', 'h_pre'),
      { op: 'Relu', name: 'relu', inputs: ['h_pre'], outputs: ['h'] },
      mm(2, 'h', 'y'),
      { op: 'DequantizeLinear', name: 'dequantize_logits', inputs: ['y', 'y2_scale', 'zp'], outputs: ['logits'] },
    ],
  };
}

function qdq(q: QuantMlp, batch: number | string): ModelSpec {
  const [l1, l2] = q.layers;
  const Q = (name: string, x: string, s: string, z: string, out: string): NodeSpec => ({ op: 'QuantizeLinear', name, inputs: [x, s, z], outputs: [out] });
  const DQ = (name: string, x: string, s: string, z: string, out: string, axis?: number): NodeSpec => ({ op: 'DequantizeLinear', name, inputs: [x, s, z], outputs: [out], ...(axis !== undefined ? { attrs: { axis: { i: axis } } } : {}) });
  return {
    name: 'digits_mlp_qdq', ...io(batch),
    initializers: {
      x_scale: scalar('float32', 1 / 255), x_zp: scalar('uint8', 0),
      w1: tensor('int8', [l1.k, l1.n], l1.weights), w1_scale: perColumn(l1), w1_zp: tensor('int8', [l1.n], new Int8Array(l1.n)),
      b1: biasFor(l1, 1 / 255), b1_scale: biasScale(l1, 1 / 255),
      h_scale: scalar('float32', l1.scales.output), h_zp: scalar('uint8', 0),
      w2: tensor('int8', [l2.k, l2.n], l2.weights), w2_scale: perColumn(l2), w2_zp: tensor('int8', [l2.n], new Int8Array(l2.n)),
      b2: biasFor(l2, l2.scales.input), b2_scale: biasScale(l2, l1.scales.output),
      y_scale: scalar('float32', l2.scales.output), y_zp: scalar('uint8', 128),
    },
    nodes: [
      Q('quantize_input', 'pixels', 'x_scale', 'x_zp', 'xq'), DQ('dequantize_input', 'xq', 'x_scale', 'x_zp', 'xf'),
      DQ('dequantize_w1', 'w1', 'w1_scale', 'w1_zp', 'w1f', 1),
      { op: 'DequantizeLinear', name: 'dequantize_b1', inputs: ['b1', 'b1_scale'], outputs: ['b1f'], attrs: { axis: { i: 0 } } },
      { op: 'Gemm', name: 'fc1', inputs: ['xf', 'w1f', 'b1f'], outputs: ['h_mm'] },
      { op: 'Relu', name: 'relu', inputs: ['h_mm'], outputs: ['h_f'] },
      Q('quantize_hidden', 'h_f', 'h_scale', 'h_zp', 'hq'), DQ('dequantize_hidden', 'hq', 'h_scale', 'h_zp', 'hf'),
      DQ('dequantize_w2', 'w2', 'w2_scale', 'w2_zp', 'w2f', 1),
      { op: 'DequantizeLinear', name: 'dequantize_b2', inputs: ['b2', 'b2_scale'], outputs: ['b2f'], attrs: { axis: { i: 0 } } },
      { op: 'Gemm', name: 'fc2', inputs: ['hf', 'w2f', 'b2f'], outputs: ['y_f'] },
      Q('quantize_logits', 'y_f', 'y_scale', 'y_zp', 'yq'), DQ('dequantize_logits', 'yq', 'y_scale', 'y_zp', 'logits'),
    ],
  };
}

/** The quantized MLP as a serialized ONNX model; `batch` is a fixed batch size or a symbolic name. */
export function exportMlpOnnx(q: QuantMlp, form: OnnxForm, batch: number | string = 'batch'): Uint8Array {
  return encodeOnnxModel(form === 'qoperator' ? qoperator(q, batch) : qdq(q, batch));
}

/** The ONNX input tensor of a batch of images: pixels / 16, float32, [batch, 64]. */
export function onnxInputOf(images: readonly Uint8Array[]): Tensor {
  const x = new Float32Array(images.length * 64);
  images.forEach((img, i) => img.forEach((p, j) => { x[i * 64 + j] = p / 16; }));
  return { dtype: 'float32', dims: [images.length, 64], data: x };
}
