/**
 * GPTQ checkpoint tensors (AutoGPTQ / GPTQModel, the `gptq` format of vLLM and transformers):
 * - `qweight` int32 [K/8][N]: word (i, c) holds rows 8i..8i+7 of column c, row 8i + j in nibble j
 *   (sequential order, along K);
 * - `qzeros` int32 [groups][N/8]: zero points of columns 8j..8j+7, column 8j + i in nibble i
 *   (sequential, along N). Format v1 (`checkpoint_format: gptq`) stores z − 1 and the kernels add 1
 *   back; v2 (`gptq_v2`) stores z. Reading one as the other shifts every weight by ±s (vLLM #38966,
 *   #26092). v1 cannot store z = 0: AutoGPTQ's packer writes −1 there, which spills into the
 *   neighbouring nibbles, so `packGptq` refuses it;
 * - `scales` fp16 [groups][N];
 * - `g_idx` int32 [K]: the group of each row. Act-order (`desc_act`) checkpoints quantize rows in a
 *   permuted order, so g_idx is not monotone; exllama sorts rows by group (exllama #32).
 * Dequantization as GPTQ's reference: scales[g_idx[r]] · (q − z), one fp16 rounding (= AWQ's order).
 */
import { checkInt4GroupWeights, groupCount, groupOfRow, type Int4GroupWeights } from './group-weights.ts';

export type GptqVersion = 1 | 2;

export interface GptqTensors {
  readonly qweight: Int32Array;
  readonly qzeros: Int32Array;
  readonly scales: Uint16Array;
  readonly gIdx: Int32Array;
}

function checkGptqShape(k: number, n: number): void {
  if (k % 8 !== 0) throw new RangeError(`GPTQ packing needs K to be a multiple of 8, got K = ${k}`);
  if (n % 8 !== 0) throw new RangeError(`GPTQ zero-point packing needs N to be a multiple of 8, got N = ${n}`);
}

/** The GPTQ tensors of `w` in format `version` (g_idx written out even without act-order). */
export function packGptq(w: Int4GroupWeights, version: GptqVersion): GptqTensors {
  checkInt4GroupWeights(w);
  checkGptqShape(w.k, w.n);
  const g = groupCount(w);
  const qweight = new Int32Array((w.k / 8) * w.n);
  for (let i = 0; i < w.k / 8; i++) {
    for (let c = 0; c < w.n; c++) {
      let word = 0;
      for (let j = 0; j < 8; j++) word |= (w.codes[(8 * i + j) * w.n + c] as number) << (4 * j);
      qweight[i * w.n + c] = word;
    }
  }
  const qzeros = new Int32Array((g * w.n) / 8);
  for (let gi = 0; gi < g; gi++) {
    for (let j = 0; j < w.n / 8; j++) {
      let word = 0;
      for (let i = 0; i < 8; i++) {
        const z = w.zeros[gi * w.n + 8 * j + i] as number;
        if (version === 1 && z === 0) throw new RangeError(`GPTQ v1 stores z − 1 and cannot hold the zero point 0 (group ${gi}, column ${8 * j + i}); write format v2`);
        word |= (version === 1 ? z - 1 : z) << (4 * i);
      }
      qzeros[gi * (w.n / 8) + j] = word;
    }
  }
  const gIdx = Int32Array.from({ length: w.k }, (_, r) => groupOfRow(w, r));
  return { qweight, qzeros, scales: w.scales.slice(), gIdx };
}

/**
 * Reads GPTQ tensors of a K×N layer. `version` decides how the zero points are read: v1 adds 1 to the
 * stored nibble (so a stored 15 reads as 16, as the v1 kernels compute, and is rejected here as out of
 * the int4 range), v2 reads it as is.
 */
export function unpackGptq(t: GptqTensors, k: number, n: number, groupSize: number, version: GptqVersion): Int4GroupWeights {
  checkGptqShape(k, n);
  const g = Math.ceil(k / groupSize);
  if (t.qweight.length !== (k / 8) * n || t.qzeros.length !== (g * n) / 8 || t.scales.length !== g * n || t.gIdx.length !== k) {
    throw new RangeError(`GPTQ tensors do not match K ${k}, N ${n}, group ${groupSize}: qweight [${k / 8}][${n}], qzeros [${g}][${n / 8}], scales [${g}][${n}], g_idx [${k}] expected`);
  }
  const codes = new Uint8Array(k * n);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < n; c++) codes[r * n + c] = ((t.qweight[(r >> 3) * n + c] as number) >>> (4 * (r & 7))) & 15;
  }
  const zeros = new Uint8Array(g * n);
  for (let gi = 0; gi < g; gi++) {
    for (let c = 0; c < n; c++) {
      const stored = ((t.qzeros[gi * (n / 8) + (c >> 3)] as number) >>> (4 * (c & 7))) & 15;
      const z = version === 1 ? stored + 1 : stored;
      if (z > 15) throw new RangeError(`GPTQ v1 zero point of group ${gi}, column ${c} is stored as 15, i.e. z = 16, outside int4: is this a v2 (gptq_v2) checkpoint?`);
      zeros[gi * n + c] = z;
    }
  }
  const sequential = t.gIdx.every((x, r) => x === Math.floor(r / groupSize));
  const w: Int4GroupWeights = { k, n, groupSize, codes, zeros, scales: t.scales.slice(), ...(sequential ? {} : { gIdx: t.gIdx.slice() }) };
  checkInt4GroupWeights(w);
  return w;
}

/**
 * g_idx of an act-order checkpoint: rows are quantized in the order `perm` (perm[i] = the i-th row
 * quantized, e.g. by descending Hessian diagonal), and the i-th quantized row falls in group
 * floor(i / groupSize).
 */
export function actOrderGIdx(perm: ArrayLike<number>, groupSize: number): Int32Array {
  const gIdx = new Int32Array(perm.length).fill(-1);
  for (let i = 0; i < perm.length; i++) gIdx[perm[i] as number] = Math.floor(i / groupSize);
  if (gIdx.some((x) => x < 0)) throw new RangeError('actOrderGIdx: perm must be a permutation of 0..K-1');
  return gIdx;
}

/**
 * exllama's treatment of act-order: the rows sorted by group (stable), so groups become contiguous.
 * Returns the reordered weights (without gIdx) and `perm`, the original row of each new row; the layer
 * then computes x[:, perm] · W' = x · W exactly (the same products, summed in another order).
 */
export function sortRowsByGroup(w: Int4GroupWeights): { weights: Int4GroupWeights; perm: Int32Array } {
  checkInt4GroupWeights(w);
  const rows = Array.from({ length: w.k }, (_, r) => r);
  rows.sort((a, b) => groupOfRow(w, a) - groupOfRow(w, b) || a - b);
  const perm = Int32Array.from(rows);
  const codes = new Uint8Array(w.k * w.n);
  rows.forEach((r, i) => codes.set(w.codes.subarray(r * w.n, (r + 1) * w.n), i * w.n));
  const gIdx = Int32Array.from(rows, (r) => groupOfRow(w, r));
  const contiguous = gIdx.every((x, i) => x === Math.floor(i / w.groupSize));
  if (!contiguous) throw new RangeError('sortRowsByGroup: groups do not all have groupSize rows, so they cannot become contiguous');
  return { weights: { k: w.k, n: w.n, groupSize: w.groupSize, codes, scales: w.scales.slice(), zeros: w.zeros.slice() }, perm };
}
