/**
 * Activation-aware scale search in the style of AWQ (Lin et al., "AWQ: Activation-aware Weight
 * Quantization for LLM Compression and Acceleration", MLSys 2024; mit-han-lab/llm-awq `auto_scale.py`).
 *
 * For a layer y = x · W (W K×N) and calibration activations X (M×K): the per-input-channel mean
 * magnitude x̄_k = mean_m |X[m][k]|; for each α on the grid {0, 1/grid, ..., (grid−1)/grid},
 * s_k = max(x̄_k^α, 1e-4), normalised by sqrt(max s · min s); the candidate quantizes diag(s)·W with
 * RTN and uses it as Q(diag(s)·W) · diag(1/s); its loss is the mean squared error of X·W against
 * X·Q(diag(s)·W)·diag(1/s). The α with the smallest loss wins (the first on ties; α = 0 is plain RTN).
 * Deployment folds 1/s into whatever produces x: the previous layer's output channels (valid through
 * ReLU, since s > 0) or the activations themselves; the stored weights are Q(diag(s)·W).
 * Everything here is binary64 except the stored format (binary32 scaled weights, fp16 scales).
 */
import { fp16 } from '../float/format.ts';
import { decodeToNumber } from '../float/fast.ts';
import { dequantAwq, type Int4GroupWeights } from './group-weights.ts';
import { quantizeRtn, type RtnOptions } from './rtn.ts';

export interface AwqSearchOptions extends RtnOptions {
  /** Grid points for α (AWQ uses 20). */
  readonly grid?: number;
}

export interface AwqSearchResult {
  /** The chosen exponent. */
  readonly alpha: number;
  /** Per-input-channel scales s (K); divide the activations (or the previous layer's outputs) by them. */
  readonly scales: Float64Array;
  /** Q(diag(s)·W): the weights to store. */
  readonly weights: Int4GroupWeights;
  /** Loss of every grid point, in grid order. */
  readonly losses: readonly number[];
}

/** Mean |X[m][k]| over the M rows, per column k. */
export function meanAbsPerChannel(x: Float64Array | Float32Array, m: number, k: number): Float64Array {
  const out = new Float64Array(k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) out[j] = (out[j] as number) + Math.abs(x[i * k + j] as number);
  return out.map((v) => v / m);
}

/** AWQ's candidate scales for exponent α: max(x̄^α, 1e-4) / sqrt(max · min). */
export function awqScales(xMean: Float64Array, alpha: number): Float64Array {
  const s = xMean.map((v) => Math.max(v ** alpha, 1e-4));
  let lo = Infinity;
  let hi = 0;
  for (const v of s) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const norm = Math.sqrt(hi * lo);
  return s.map((v) => v / norm);
}

/** diag(s)·W rounded to binary32 (the weights the quantizer sees). */
export function scaleRows(w: Float32Array, k: number, n: number, s: Float64Array): Float32Array {
  const out = new Float32Array(k * n);
  for (let r = 0; r < k; r++) for (let c = 0; c < n; c++) out[r * n + c] = (w[r * n + c] as number) * (s[r] as number);
  return out;
}

/** The effective weights of a candidate: dequant(Q) · diag(1/s), binary64, K×N. */
export function effectiveWeights(q: Int4GroupWeights, s: Float64Array): Float64Array {
  const d = dequantAwq(q);
  return Float64Array.from(d, (code, i) => decodeToNumber(fp16, code) / (s[Math.floor(i / q.n)] as number));
}

/** Mean squared error of X·A against X·B (X M×K, A and B K×N). */
export function outputMse(x: Float64Array | Float32Array, m: number, k: number, a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let sum = 0;
  const diff = Float64Array.from({ length: k * n }, (_, i) => (a[i] as number) - (b[i] as number));
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < n; c++) {
      let y = 0;
      for (let j = 0; j < k; j++) y += (x[i * k + j] as number) * (diff[j * n + c] as number);
      sum += y * y;
    }
  }
  return sum / (m * n);
}

/** The AWQ grid search on one layer. */
export function awqSearch(w: Float32Array, k: number, n: number, x: Float64Array | Float32Array, m: number, opts: AwqSearchOptions): AwqSearchResult {
  if (w.length !== k * n) throw new RangeError(`awqSearch: W has ${w.length} entries, expected K·N = ${k * n}`);
  if (x.length !== m * k || m < 1) throw new RangeError(`awqSearch: X has ${x.length} entries, expected M·K = ${m * k} with M >= 1`);
  const grid = opts.grid ?? 20;
  const xMean = meanAbsPerChannel(x, m, k);
  const losses: number[] = [];
  let best: { alpha: number; scales: Float64Array; weights: Int4GroupWeights; loss: number } | undefined;
  for (let gi = 0; gi < grid; gi++) {
    const alpha = gi / grid;
    const s = awqScales(xMean, alpha);
    const q = quantizeRtn(scaleRows(w, k, n, s), k, n, opts);
    const loss = outputMse(x, m, k, w, effectiveWeights(q, s), n);
    losses.push(loss);
    if (!best || loss < best.loss) best = { alpha, scales: s, weights: q, loss };
  }
  if (!best) throw new RangeError('awqSearch: the grid must have at least one point');
  return { alpha: best.alpha, scales: best.scales, weights: best.weights, losses };
}
