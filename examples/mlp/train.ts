/**
 * A 64-32-10 MLP with biases (ReLU hidden layer, softmax output) trained in float64 with
 * mini-batch SGD and momentum, fully deterministic from a seed. Each layer is a GEMM plus a
 * per-output-channel bias, which the gemm_tile adds to its int32 accumulator (as TFLite does).
 */
import { Rng } from '../../sim/random.ts';
import type { Digits } from './data.ts';

export interface Mlp {
  /** [32][64] */
  readonly w1: Float64Array[];
  /** [10][32] */
  readonly w2: Float64Array[];
  /** [32] */
  readonly b1: Float64Array;
  /** [10] */
  readonly b2: Float64Array;
}

export const HIDDEN = 32;
export const CLASSES = 10;

/** Pixels 0..16 scaled to [0, 1]. */
export function inputOf(image: Uint8Array): Float64Array {
  return Float64Array.from(image, (p) => p / 16);
}

function gaussian(rng: Rng): number {
  const u = (rng.u32() + 1) / 4294967297;
  const v = rng.u32() / 4294967296;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function layer(rows: number, cols: number, rng: Rng): Float64Array[] {
  const s = Math.sqrt(2 / cols);
  return Array.from({ length: rows }, () => Float64Array.from({ length: cols }, () => gaussian(rng) * s));
}

export function forward(m: Mlp, x: Float64Array): { h: Float64Array; logits: Float64Array } {
  const h = affine(m.w1, m.b1, x);
  for (let j = 0; j < h.length; j++) h[j] = Math.max(0, h[j]!);
  return { h, logits: affine(m.w2, m.b2, h) };
}

/** y[j] = b[j] + w[j][0] x[0] + w[j][1] x[1] + ..., summed left to right in float64. */
function affine(w: readonly Float64Array[], b: Float64Array, x: Float64Array): Float64Array {
  const y = new Float64Array(w.length);
  for (let j = 0; j < w.length; j++) {
    const row = w[j]!;
    let s = b[j]!;
    for (let i = 0; i < row.length; i++) s += row[i]! * x[i]!;
    y[j] = s;
  }
  return y;
}

export function argmax(v: ArrayLike<number | bigint>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** One training sample's activations as the forward pass saw them (dequantized for QAT). */
export interface Activations {
  readonly x: Float64Array;
  readonly h: Float64Array;
  readonly logits: Float64Array;
  /** Whether the gradient passes through hidden unit j (ReLU active and, for QAT, not saturated). */
  readonly hPass: (j: number) => boolean;
}

/** The forward pass used for training: float, or fake-quantized (see qat.ts). */
export type BatchForward = (m: Mlp, images: readonly Uint8Array[]) => Activations[];

export const floatForward: BatchForward = (m, images) => images.map((img) => {
  const x = inputOf(img);
  const { h, logits } = forward(m, x);
  return { x, h, logits, hPass: (j) => h[j]! > 0 };
});

export interface TrainOptions {
  readonly seed?: number;
  readonly epochs?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly momentum?: number;
  readonly decay?: number;
  /** Start from these weights (copied) instead of a random initialization. */
  readonly init?: Mlp;
  /** Default: the float forward pass. */
  readonly forward?: BatchForward;
  /** Shift half the training images by one pixel (up, down, left or right); default true. */
  readonly augment?: boolean;
}

/** `img` (8x8) moved by (dx, dy) pixels, zeros shifted in. */
export function shiftImage(img: Uint8Array, dx: number, dy: number): Uint8Array {
  const out = new Uint8Array(64);
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sx < 8 && sy >= 0 && sy < 8) out[y * 8 + x] = img[sy * 8 + sx]!;
    }
  }
  return out;
}

const SHIFTS = [[1, 0], [-1, 0], [0, 1], [0, -1]] as const;

export function cloneMlp(m: Mlp): Mlp {
  return { w1: m.w1.map((r) => r.slice()), w2: m.w2.map((r) => r.slice()), b1: m.b1.slice(), b2: m.b2.slice() };
}

/** Mini-batch SGD with momentum on softmax cross-entropy; deterministic from the seed. */
export function trainMlp(data: Digits, opts: TrainOptions = {}): Mlp {
  const { seed = 7, epochs = 40, batch = 16, lr = 0.08, momentum = 0.9, decay = 1e-4, forward: fwd = floatForward, augment = true } = opts;
  const rng = new Rng(seed);
  const m: Mlp = opts.init ? cloneMlp(opts.init) : { w1: layer(HIDDEN, 64, rng), w2: layer(CLASSES, HIDDEN, rng), b1: new Float64Array(HIDDEN), b2: new Float64Array(CLASSES) };
  const vel = zeroLike(m);
  const order = data.images.map((_, i) => i);
  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) { const j = rng.below(i + 1); [order[i], order[j]] = [order[j]!, order[i]!]; }
    for (let s = 0; s < order.length; s += batch) {
      const g = zeroLike(m);
      const idx = order.slice(s, s + batch);
      const images = idx.map((k) => {
        const r = augment ? rng.below(8) : 4;
        return r < 4 ? shiftImage(data.images[k]!, SHIFTS[r]![0], SHIFTS[r]![1]) : data.images[k]!;
      });
      const acts = fwd(m, images);
      acts.forEach((a, n) => accumulateGradient(m, a, data.labels[idx[n]!]!, g));
      // Linear decay to zero: the last epochs settle instead of jumping between minima.
      const step = (lr * (1 - e / epochs)) / idx.length;
      update(m.w1, vel.w1, g.w1, step, momentum, lr * decay);
      update(m.w2, vel.w2, g.w2, step, momentum, lr * decay);
      update([m.b1], [vel.b1], [g.b1], step, momentum, 0);
      update([m.b2], [vel.b2], [g.b2], step, momentum, 0);
    }
  }
  return m;
}

function zeroLike(m: Mlp): Mlp {
  return { w1: m.w1.map((r) => new Float64Array(r.length)), w2: m.w2.map((r) => new Float64Array(r.length)), b1: new Float64Array(HIDDEN), b2: new Float64Array(CLASSES) };
}

function accumulateGradient(m: Mlp, a: Activations, label: number, g: Mlp): void {
  const max = Math.max(...a.logits);
  const exps = a.logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((u, v) => u + v, 0);
  const dl = exps.map((e, k) => e / sum - (k === label ? 1 : 0));
  const dh = new Float64Array(HIDDEN);
  for (let k = 0; k < CLASSES; k++) {
    g.b2[k]! += dl[k]!;
    for (let j = 0; j < HIDDEN; j++) { g.w2[k]![j]! += dl[k]! * a.h[j]!; dh[j]! += dl[k]! * m.w2[k]![j]!; }
  }
  for (let j = 0; j < HIDDEN; j++) {
    if (!a.hPass(j)) continue;
    g.b1[j]! += dh[j]!;
    for (let i = 0; i < 64; i++) g.w1[j]![i]! += dh[j]! * a.x[i]!;
  }
}

function update(w: Float64Array[], v: Float64Array[], g: Float64Array[], step: number, momentum: number, decay: number): void {
  // Weight decay keeps weights small: better generalization and a tighter int4 range.
  for (let r = 0; r < w.length; r++) {
    const row = w[r]!;
    const vr = v[r]!;
    const gr = g[r]!;
    for (let c = 0; c < row.length; c++) {
      vr[c] = momentum * vr[c]! - step * gr[c]! - decay * row[c]!;
      row[c]! += vr[c]!;
    }
  }
}

export function floatAccuracy(m: Mlp, data: Digits): number {
  let ok = 0;
  data.images.forEach((img, i) => { if (argmax(forward(m, inputOf(img)).logits) === data.labels[i]) ok++; });
  return ok / data.images.length;
}
