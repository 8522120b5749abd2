/**
 * Weight-only int4 group quantization of the digits MLP, for comparing quantizers on the golden
 * datapaths (bench/llm-int4-accuracy.ts, docs/llm-formats.md):
 * - `rtn`: round-to-nearest per group of each layer's weights (`quantizeRtn`);
 * - `awq`: the AWQ-style scale search per layer (`awqSearch`) on calibration activations of the float
 *   model; layer 2's scales are folded into layer 1's output channels (through ReLU), layer 1's into the
 *   input activations (x / s), as AWQ folds them into the previous op.
 * Inference runs on the two group datapaths of the golden model: `w4a16` (fp16 activations, AWQ-order
 * fp16 weights, fp32 accumulation: `matmulW4A16`) and `w4a8` (int8 activations with an fp16 scale per
 * group, ggml's `int_then_scale` order: `matmulW4A8`). Each layer's float bias is added to its fp32
 * output (binary32 add); the hidden layer then goes through ReLU and is re-quantized to the next
 * layer's activation format.
 */
import { fp16 } from '../../sim/golden/float/format.ts';
import { decodeToNumber, roundNumberToFormat } from '../../sim/golden/float/fast.ts';
import { awqSearch } from '../../sim/golden/llm/awq-search.ts';
import { matmulW4A16, type Int4GroupWeights } from '../../sim/golden/llm/group-weights.ts';
import { quantizeRtn, type Int4Scheme } from '../../sim/golden/llm/rtn.ts';
import { matmulW4A8, quantizeActivationsInt8 } from '../../sim/golden/llm/w4a8.ts';
import type { Digits } from './data.ts';
import { argmax, inputOf, type Mlp } from './train.ts';

export type Int4Method = 'rtn' | 'awq';
export type Int4Datapath = 'w4a16' | 'w4a8';

export interface Int4MlpConfig {
  readonly method: Int4Method;
  readonly scheme: Int4Scheme;
  readonly groupSize: number;
  /** α grid points of the AWQ search (default 20). */
  readonly grid?: number;
}

export interface Int4Mlp {
  readonly config: Int4MlpConfig;
  /** Layer weights as K×N (inputs × outputs). */
  readonly layers: readonly [Int4GroupWeights, Int4GroupWeights];
  /** Divisors of the 64 input activations (1 for RTN). */
  readonly inputScales: Float64Array;
  /** The α chosen per layer (0 for RTN). */
  readonly alphas: readonly [number, number];
  /** Per-output biases of both layers (layer 1's divided by AWQ's folded layer-2 scales). */
  readonly biases: readonly [Float64Array, Float64Array];
}

/** Rows-as-outputs float64 weights ([N][K]) as a K×N binary32 matrix, each column divided by `colDiv`. */
function asKxN(rows: readonly Float64Array[], colDiv?: Float64Array): Float32Array {
  const n = rows.length;
  const k = (rows[0] as Float64Array).length;
  const out = new Float32Array(k * n);
  rows.forEach((row, c) => row.forEach((v, r) => { out[r * n + c] = v / (colDiv ? (colDiv[c] as number) : 1); }));
  return out;
}

/** Calibration activations of the float model: inputs (M×64) and hidden ReLU outputs (M×hidden). */
function calibration(m: Mlp, calib: Digits): { x: Float64Array; h: Float64Array; count: number } {
  const hidden = m.w1.length;
  const count = calib.images.length;
  const x = new Float64Array(count * 64);
  const h = new Float64Array(count * hidden);
  calib.images.forEach((img, i) => {
    const xi = inputOf(img);
    x.set(xi, i * 64);
    m.w1.forEach((w, j) => { h[i * hidden + j] = Math.max(0, w.reduce((s, wv, t) => s + wv * (xi[t] as number), m.b1[j] as number)); });
  });
  return { x, h, count };
}

/** Quantizes both layers of `m` with `cfg`, calibrating the AWQ search on `calib`. */
export function quantizeMlpInt4(m: Mlp, calib: Digits, cfg: Int4MlpConfig): Int4Mlp {
  const hidden = m.w1.length;
  const classes = m.w2.length;
  const opts = { groupSize: cfg.groupSize, scheme: cfg.scheme, grid: cfg.grid ?? 20 };
  if (cfg.method === 'rtn') {
    return {
      config: cfg, inputScales: new Float64Array(64).fill(1), alphas: [0, 0], biases: [m.b1, m.b2],
      layers: [quantizeRtn(asKxN(m.w1), 64, hidden, opts), quantizeRtn(asKxN(m.w2), hidden, classes, opts)],
    };
  }
  const { x, h, count } = calibration(m, calib);
  const l2 = awqSearch(asKxN(m.w2), hidden, classes, h, count, opts);
  const l1 = awqSearch(asKxN(m.w1, l2.scales), 64, hidden, x, count, opts);
  const b1 = Float64Array.from(m.b1, (b, j) => b / (l2.scales[j] as number));
  return { config: cfg, layers: [l1.weights, l2.weights], inputScales: l1.scales, alphas: [l1.alpha, l2.alpha], biases: [b1, m.b2] };
}

const fp16Codes = (v: ArrayLike<number>) => Uint16Array.from({ length: v.length }, (_, i) => roundNumberToFormat(fp16, Math.fround(v[i] as number)));

/** One layer on the chosen datapath: binary32 inputs (M×K) in, binary32 outputs (M×N) out, plus the bias (binary32 add). */
function layer(x: Float32Array, m: number, w: Int4GroupWeights, bias: Float64Array, path: Int4Datapath): Float32Array {
  const y = path === 'w4a16' ? matmulW4A16(fp16Codes(x), m, w) : matmulW4A8(quantizeActivationsInt8(x, m, w.k, w.groupSize), w);
  return y.map((v, i) => Math.fround(v + Math.fround(bias[i % w.n] as number)));
}

/** Logits (batch × classes, binary32) of the quantized MLP on the golden `path`. */
export function inferInt4(q: Int4Mlp, images: readonly Uint8Array[], path: Int4Datapath): Float32Array {
  const batch = images.length;
  const x = new Float32Array(batch * 64);
  images.forEach((img, i) => inputOf(img).forEach((v, t) => { x[i * 64 + t] = v / (q.inputScales[t] as number); }));
  const h = layer(x, batch, q.layers[0], q.biases[0], path).map((v) => Math.max(0, v));
  // fp16 activations: the hidden values as the next layer reads them (identity for in-range values).
  const hIn = path === 'w4a16' ? Float32Array.from(fp16Codes(h), (c) => decodeToNumber(fp16, c)) : h;
  return layer(hIn, batch, q.layers[1], q.biases[1], path);
}

/** Fraction of rows whose argmax equals the label. */
export function int4Accuracy(logits: Float32Array, labels: readonly number[]): number {
  const classes = logits.length / labels.length;
  let ok = 0;
  labels.forEach((label, i) => { if (argmax(logits.subarray(i * classes, (i + 1) * classes)) === label) ok++; });
  return ok / labels.length;
}
