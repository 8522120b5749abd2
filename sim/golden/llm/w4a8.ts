/**
 * W4A8 in ggml's `int_then_scale` order: int8 activations with one fp16 scale per group of K, int4
 * group weights, an exact integer sum per group, then binary32 scaling and accumulation.
 *
 * Activations are quantized like ggml's q8_0, with the group size as the block length: d = amax/127
 * (binary32), id = 1/d, code = roundf(x·id) (halfway away from zero), stored scale fp16(d). For a group
 * of 32 this is exactly `quantize_row_q8_0_ref`.
 *
 * The layer: y[m][c] = Σ over groups, in order, from +0: acc = fp32(acc + fp32(fp32(S·s_w)·s_x)) with
 * S = Σ_(k in group) (q − z)·x_q exact (|S| <= 15·128·K, exact in binary32 for K <= 8192), s_w and s_x
 * the fp16 scales widened exactly (ggml's `((float)sumi * d_x) * d_y`, left to right).
 */
import { cInt8, f32, fp16Code, fp16Value, roundf } from './c-float.ts';
import { checkInt4GroupWeights, groupCount, type Int4GroupWeights } from './group-weights.ts';

export interface Int8GroupActivations {
  readonly m: number;
  readonly k: number;
  readonly groupSize: number;
  /** M·K int8 codes, row-major. */
  readonly codes: Int8Array;
  /** M·groups fp16 scale codes. */
  readonly scales: Uint16Array;
}

/** q8_0-style quantization of M×K binary32 activations in groups of `groupSize` along K (the last may be short). */
export function quantizeActivationsInt8(x: Float32Array, m: number, k: number, groupSize: number): Int8GroupActivations {
  if (x.length !== m * k) throw new RangeError(`quantizeActivationsInt8: x has ${x.length} entries, expected M·K = ${m * k}`);
  const groups = Math.ceil(k / groupSize);
  const codes = new Int8Array(m * k);
  const scales = new Uint16Array(m * groups);
  for (let i = 0; i < m; i++) {
    for (let g = 0; g < groups; g++) {
      const [lo, hi] = [i * k + g * groupSize, i * k + Math.min(k, (g + 1) * groupSize)];
      let amax = 0;
      for (let j = lo; j < hi; j++) amax = Math.max(amax, Math.abs(x[j] as number));
      const d = f32(amax / 127);
      const id = d !== 0 ? f32(1 / d) : 0;
      for (let j = lo; j < hi; j++) codes[j] = cInt8(roundf(f32((x[j] as number) * id)));
      scales[i * groups + g] = fp16Code(d);
    }
  }
  return { m, k, groupSize, codes, scales };
}

/** The W4A8 layer (see the module comment); weights and activations must share K and the group size. */
export function matmulW4A8(x: Int8GroupActivations, w: Int4GroupWeights): Float32Array {
  checkInt4GroupWeights(w);
  if (w.gIdx) throw new RangeError('matmulW4A8: act-order weights must first be sorted by group (sortRowsByGroup)');
  if (x.k !== w.k || x.groupSize !== w.groupSize) throw new RangeError(`matmulW4A8: activations (K ${x.k}, group ${x.groupSize}) do not match weights (K ${w.k}, group ${w.groupSize})`);
  const groups = groupCount(w);
  const y = new Float32Array(x.m * w.n);
  for (let i = 0; i < x.m; i++) {
    for (let c = 0; c < w.n; c++) {
      let acc = 0;
      for (let g = 0; g < groups; g++) {
        const z = w.zeros[g * w.n + c] as number;
        let s = 0;
        for (let r = g * w.groupSize; r < Math.min(w.k, (g + 1) * w.groupSize); r++) s += ((w.codes[r * w.n + c] as number) - z) * (x.codes[i * w.k + r] as number);
        const term = f32(f32(s * fp16Value(w.scales[g * w.n + c] as number)) * fp16Value(x.scales[i * groups + g] as number));
        acc = f32(acc + term);
      }
      y[i * w.n + c] = acc;
    }
  }
  return y;
}
