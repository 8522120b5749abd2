/**
 * A bias-free 64-32-10 MLP (ReLU hidden layer, softmax output) trained in float64 with
 * mini-batch SGD and momentum, fully deterministic from a seed. Bias-free keeps every layer a
 * plain GEMM, which is exactly what the systolic array computes.
 */
import { Rng } from '../../sim/random.ts';
import type { Digits } from './data.ts';

export interface Mlp {
  /** [32][64] */
  readonly w1: Float64Array[];
  /** [10][32] */
  readonly w2: Float64Array[];
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
  const h = Float64Array.from(m.w1, (w) => Math.max(0, w.reduce((s, wi, i) => s + wi * x[i]!, 0)));
  const logits = Float64Array.from(m.w2, (w) => w.reduce((s, wi, i) => s + wi * h[i]!, 0));
  return { h, logits };
}

export function argmax(v: ArrayLike<number | bigint>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

export function trainMlp(data: Digits, seed = 2024, epochs = 25, batch = 16, lr = 0.03, momentum = 0.9, decay = 1e-3): Mlp {
  const rng = new Rng(seed);
  const m: Mlp = { w1: layer(HIDDEN, 64, rng), w2: layer(CLASSES, HIDDEN, rng) };
  const v1 = m.w1.map((r) => new Float64Array(r.length));
  const v2 = m.w2.map((r) => new Float64Array(r.length));
  const order = data.images.map((_, i) => i);
  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) { const j = rng.below(i + 1); [order[i], order[j]] = [order[j]!, order[i]!]; }
    for (let s = 0; s < order.length; s += batch) {
      const g1 = m.w1.map((r) => new Float64Array(r.length));
      const g2 = m.w2.map((r) => new Float64Array(r.length));
      const idx = order.slice(s, s + batch);
      for (const k of idx) accumulateGradient(m, inputOf(data.images[k]!), data.labels[k]!, g1, g2);
      const step = lr / idx.length;
      update(m.w1, v1, g1, step, momentum, lr * decay);
      update(m.w2, v2, g2, step, momentum, lr * decay);
    }
  }
  return m;
}

function accumulateGradient(m: Mlp, x: Float64Array, label: number, g1: Float64Array[], g2: Float64Array[]): void {
  const { h, logits } = forward(m, x);
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  const dl = exps.map((e, k) => e / sum - (k === label ? 1 : 0));
  const dh = new Float64Array(HIDDEN);
  for (let k = 0; k < CLASSES; k++) for (let j = 0; j < HIDDEN; j++) { g2[k]![j]! += dl[k]! * h[j]!; dh[j]! += dl[k]! * m.w2[k]![j]!; }
  for (let j = 0; j < HIDDEN; j++) if (h[j]! > 0) for (let i = 0; i < 64; i++) g1[j]![i]! += dh[j]! * x[i]!;
}

function update(w: Float64Array[], v: Float64Array[], g: Float64Array[], step: number, momentum: number, decay: number): void {
  // Weight decay keeps weights small: better generalization and a tighter int4 range.
  w.forEach((row, r) => row.forEach((_, c) => { v[r]![c] = momentum * v[r]![c]! - step * g[r]![c]! - decay * row[c]!; row[c]! += v[r]![c]!; }));
}

export function floatAccuracy(m: Mlp, data: Digits): number {
  let ok = 0;
  data.images.forEach((img, i) => { if (argmax(forward(m, inputOf(img)).logits) === data.labels[i]) ok++; });
  return ok / data.images.length;
}
