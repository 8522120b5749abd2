/**
 * Post-training quantization of the MLP, as TFLite does it for integer accelerators:
 * - input: pixels p in 0..16 as int8 x = round(p * 127 / 16), scale 1/127, zero point 0;
 * - weights: symmetric per output channel, int8 (qmax 127) or int4 (qmax 7), zero point 0;
 * - activations: int8 with zero point 0 and a scale calibrated on the training split (max);
 * - each layer: acc = sum x*w (int32), y = MultiplyByQuantizedMultiplier(acc, m_j, s_j)
 *   (TFLite double rounding), clamped: [0, 127] after the hidden layer (ReLU), [-128, 127] for
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
  readonly multiplier: Int32Array;
  readonly shift: Int32Array;
  readonly actMin: number;
  readonly actMax: number;
  /** The real scales behind the codes (input activation, per output channel weight, output activation), for export. */
  readonly scales: { readonly input: number; readonly weights: Float64Array; readonly output: number };
}

export interface QuantMlp {
  readonly weightBits: 8 | 4;
  readonly layers: readonly [QuantLayer, QuantLayer];
}

/** int8 input codes of one image: round(p * 127 / 16), half away from zero (p >= 0). */
export function quantizeInput(image: Uint8Array): Int8Array {
  return Int8Array.from(image, (p) => Math.floor((p * 127 * 2 + 16) / 32));
}

function quantizeLayer(w: readonly Float64Array[], qmax: number, inScale: number, outScale: number, actMin: number, actMax: number): QuantLayer {
  const n = w.length;
  const k = w[0]!.length;
  const weights = new Int8Array(k * n);
  const multiplier = new Int32Array(n);
  const shift = new Int32Array(n);
  const weightScales = new Float64Array(n);
  w.forEach((row, j) => {
    const amax = row.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
    const scale = amax / qmax;
    weightScales[j] = scale;
    row.forEach((v, i) => { weights[i * n + j] = Math.max(-qmax, Math.min(qmax, Math.round(v / scale))); });
    const q = quantizeMultiplier((inScale * scale) / outScale);
    multiplier[j] = Number(q.multiplier);
    shift[j] = q.shift;
  });
  return { weights, k, n, multiplier, shift, actMin, actMax, scales: { input: inScale, weights: weightScales, output: outScale } };
}

/** Calibrates activation scales on `calib` (the training split) and quantizes both layers. */
export function quantizeMlp(m: Mlp, calib: Digits, weightBits: 8 | 4): QuantMlp {
  let hmax = 0;
  let lmax = 0;
  for (const img of calib.images) {
    const { h, logits } = forward(m, inputOf(img));
    hmax = Math.max(hmax, ...h);
    lmax = Math.max(lmax, ...logits.map(Math.abs));
  }
  const qmax = weightBits === 8 ? 127 : 7;
  const sIn = 1 / 127;
  const sH = hmax / 127;
  const sL = lmax / 127;
  return { weightBits, layers: [quantizeLayer(m.w1, qmax, sIn, sH, 0, 127), quantizeLayer(m.w2, qmax, sH, sL, -128, 127)] };
}

/** One quantized layer on a batch (rows of `x`, row-major m x k) with the golden requantized GEMM. */
export function goldenLayer(layer: QuantLayer, x: Int8Array, m: number): Int8Array {
  return gemmRequantInt8(x, layer.weights, { m, k: layer.k, n: layer.n }, {}, {
    multiplier: layer.multiplier, shift: layer.shift, variant: 'double_round', outputZeroPoint: 0, actMin: layer.actMin, actMax: layer.actMax,
  });
}

/** Golden integer inference of a batch of images: int8 logits, row-major batch x 10. */
export function goldenInfer(q: QuantMlp, images: readonly Uint8Array[]): Int8Array {
  const x = new Int8Array(images.length * 64);
  images.forEach((img, i) => x.set(quantizeInput(img), i * 64));
  const h = goldenLayer(q.layers[0], x, images.length);
  return goldenLayer(q.layers[1], h, images.length);
}

export function quantAccuracy(logits: Int8Array, labels: readonly number[]): number {
  let ok = 0;
  labels.forEach((label, i) => { if (argmax(logits.subarray(i * 10, i * 10 + 10)) === label) ok++; });
  return ok / labels.length;
}
