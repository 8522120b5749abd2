/**
 * Post-training quantization of the MLP, as TFLite does it for integer accelerators:
 * - input: pixels p in 0..16 as x = round(p * qa / 16) (qa = 2^(aBits-1) - 1: 127 for int8),
 *   half away from zero, scale 1/qa, zero point 0;
 * - weights: symmetric, per output channel (default) or per tensor, int8 (qmax 127), int4
 *   (qmax 7) or any 2..8 bits, zero point 0;
 * - bias: int32, b_q[j] = round(b[j] / (s_in * s_w[j])) (TFLite's bias scale), added to the
 *   accumulator;
 * - activations: aBits signed, zero point 0, scale calibrated on the training split (max);
 * - each layer: acc = sum x*w + b_q (int32), y = MultiplyByQuantizedMultiplier(acc, m_j, s_j)
 *   (TFLite double rounding), clamped: [0, qa] after the hidden layer (ReLU), [-qa-1, qa] for
 *   the logits. Multipliers m_j, s_j come from QuantizeMultiplier(s_in * s_w[j] / s_out).
 * The golden inference uses the golden library's requantized GEMM only.
 */
import { gemmRequantInt8, quantizeMultiplier } from '../../sim/golden/index.ts';
import type { Digits } from './data.ts';
import { argmax, forward, inputOf, type Mlp } from './train.ts';

export interface QuantLayer {
  /** Weights as B of the GEMM: k rows (inputs) x n columns (output channels), row-major. */
  readonly weights: Int8Array;
  readonly k: number;
  readonly n: number;
  /** int32 per output channel, added to the accumulator. */
  readonly bias: Int32Array;
  readonly multiplier: Int32Array;
  readonly shift: Int32Array;
  readonly actMin: number;
  readonly actMax: number;
  /** The real scales behind the codes (input activation, per output channel weight, output activation), for export. */
  readonly scales: { readonly input: number; readonly weights: Float64Array; readonly output: number };
}

/** The integer numerics of a quantized MLP. */
export interface QuantSpec {
  /** Weight bits, 2..8 (signed, symmetric). */
  readonly weightBits: number;
  /** Activation (and input) bits, 2..8 (signed, zero point 0). */
  readonly actBits: number;
  /** Weight scales per output channel (true) or one per layer. */
  readonly perChannel: boolean;
}

export interface QuantMlp {
  readonly spec: QuantSpec;
  readonly layers: readonly [QuantLayer, QuantLayer];
}

/** Activation scales (float) of the hidden layer and the logits, from calibration. */
export interface ActScales {
  readonly hidden: number;
  readonly logits: number;
}

export const INT8: QuantSpec = { weightBits: 8, actBits: 8, perChannel: true };
export const W4A8: QuantSpec = { weightBits: 4, actBits: 8, perChannel: true };

const qmaxOf = (bits: number) => 2 ** (bits - 1) - 1;

/** Input codes of one image: round(p * qa / 16), half away from zero (p >= 0). */
export function quantizeInput(image: Uint8Array, actBits = 8): Int8Array {
  const qa = qmaxOf(actBits);
  return Int8Array.from(image, (p) => Math.floor((p * qa * 2 + 16) / 32));
}

/** Input codes of a batch, row-major batch x 64. */
export function quantizeInputs(images: readonly Uint8Array[], actBits = 8): Int8Array {
  const x = new Int8Array(images.length * 64);
  images.forEach((img, i) => x.set(quantizeInput(img, actBits), i * 64));
  return x;
}

function quantizeLayer(w: readonly Float64Array[], b: Float64Array, spec: QuantSpec, inScale: number, outScale: number, relu: boolean): QuantLayer {
  const n = w.length;
  const k = w[0]!.length;
  const qw = qmaxOf(spec.weightBits);
  const qa = qmaxOf(spec.actBits);
  const weights = new Int8Array(k * n);
  const bias = new Int32Array(n);
  const multiplier = new Int32Array(n);
  const shift = new Int32Array(n);
  const weightScales = new Float64Array(n);
  const absMax = (row: Float64Array) => row.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const tensorMax = w.reduce((m, row) => Math.max(m, absMax(row)), 0);
  w.forEach((row, j) => {
    const scale = (spec.perChannel ? absMax(row) : tensorMax) / qw || 1;
    weightScales[j] = scale;
    row.forEach((v, i) => { weights[i * n + j] = Math.max(-qw, Math.min(qw, Math.round(v / scale))); });
    bias[j] = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(b[j]! / (inScale * scale))));
    const q = quantizeMultiplier((inScale * scale) / outScale);
    multiplier[j] = Number(q.multiplier);
    shift[j] = q.shift;
  });
  return { weights, k, n, bias, multiplier, shift, actMin: relu ? 0 : -qa - 1, actMax: qa, scales: { input: inScale, weights: weightScales, output: outScale } };
}

/** Activation scales from the float model's maxima on `calib` (the training split). */
export function calibrate(m: Mlp, calib: Digits, actBits = 8): ActScales {
  let hmax = 0;
  let lmax = 0;
  for (const img of calib.images) {
    const { h, logits } = forward(m, inputOf(img));
    hmax = Math.max(hmax, ...h);
    lmax = Math.max(lmax, ...logits.map(Math.abs));
  }
  const qa = qmaxOf(actBits);
  return { hidden: hmax / qa || 1, logits: lmax / qa || 1 };
}

/** Quantizes both layers with given activation scales (QAT keeps them fixed while training). */
export function quantizeWith(m: Mlp, spec: QuantSpec, act: ActScales): QuantMlp {
  const sIn = 1 / qmaxOf(spec.actBits);
  return { spec, layers: [quantizeLayer(m.w1, m.b1, spec, sIn, act.hidden, true), quantizeLayer(m.w2, m.b2, spec, act.hidden, act.logits, false)] };
}

/** Calibrates activation scales on `calib` (the training split) and quantizes both layers. */
export function quantizeMlp(m: Mlp, calib: Digits, spec: QuantSpec = INT8): QuantMlp {
  return quantizeWith(m, spec, calibrate(m, calib, spec.actBits));
}

/** One quantized layer on a batch (rows of `x`, row-major m x k) with the golden requantized GEMM. */
export function goldenLayer(layer: QuantLayer, x: Int8Array, m: number): Int8Array {
  return gemmRequantInt8(x, layer.weights, { m, k: layer.k, n: layer.n }, { bias: layer.bias }, {
    multiplier: layer.multiplier, shift: layer.shift, variant: 'double_round', outputZeroPoint: 0, actMin: layer.actMin, actMax: layer.actMax,
  });
}

/** Golden integer inference of a batch of images: both layers' outputs (hidden m x 32, logits m x 10). */
export function goldenLayers(q: QuantMlp, images: readonly Uint8Array[]): { hidden: Int8Array; logits: Int8Array } {
  const hidden = goldenLayer(q.layers[0], quantizeInputs(images, q.spec.actBits), images.length);
  return { hidden, logits: goldenLayer(q.layers[1], hidden, images.length) };
}

/** Golden integer inference of a batch of images: logits, row-major batch x 10. */
export function goldenInfer(q: QuantMlp, images: readonly Uint8Array[]): Int8Array {
  return goldenLayers(q, images).logits;
}

export function quantAccuracy(logits: Int8Array, labels: readonly number[]): number {
  let ok = 0;
  labels.forEach((label, i) => { if (argmax(logits.subarray(i * 10, i * 10 + 10)) === label) ok++; });
  return ok / labels.length;
}
