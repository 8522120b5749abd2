/**
 * AWQ checkpoint tensors (llm-awq / AutoAWQ `WQLinear_GEMM`, vLLM `awq` kernels):
 * - `qweight` int32 [K][N/8]: word (r, j) holds the codes of row r, columns 8j..8j+7, nibble i (bits
 *   4i..4i+3) holding column 8j + AWQ_ORDER[i], AWQ_ORDER = [0, 2, 4, 6, 1, 3, 5, 7] (so column 8j + c
 *   sits in nibble AWQ_REVERSE_ORDER[c] = [0, 4, 1, 5, 2, 6, 3, 7][c]);
 * - `qzeros` int32 [groups][N/8]: the zero points z (stored as is), packed the same way;
 * - `scales` fp16 [groups][N].
 * AWQ has no act-order: groups are contiguous rows.
 */
import { checkInt4GroupWeights, groupCount, type Int4GroupWeights } from './group-weights.ts';

export const AWQ_ORDER: readonly number[] = [0, 2, 4, 6, 1, 3, 5, 7];
export const AWQ_REVERSE_ORDER: readonly number[] = [0, 4, 1, 5, 2, 6, 3, 7];

export interface AwqTensors {
  readonly qweight: Int32Array;
  readonly qzeros: Int32Array;
  readonly scales: Uint16Array;
}

/** Packs rows of N nibbles (N a multiple of 8) into int32 words in AWQ's interleaved order. */
function packRows(vals: Uint8Array, rows: number, n: number): Int32Array {
  const out = new Int32Array((rows * n) / 8);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n / 8; j++) {
      let word = 0;
      for (let i = 0; i < 8; i++) word |= (vals[r * n + 8 * j + (AWQ_ORDER[i] as number)] as number) << (4 * i);
      out[r * (n / 8) + j] = word;
    }
  }
  return out;
}

function unpackRows(words: Int32Array, rows: number, n: number): Uint8Array {
  const out = new Uint8Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n / 8; j++) {
      const word = words[r * (n / 8) + j] as number;
      for (let c = 0; c < 8; c++) out[r * n + 8 * j + c] = (word >>> (4 * (AWQ_REVERSE_ORDER[c] as number))) & 15;
    }
  }
  return out;
}

function checkAwqShape(k: number, n: number, groupSize: number): void {
  if (n % 8 !== 0) throw new RangeError(`AWQ packing needs N to be a multiple of 8, got N = ${n}`);
  if (k % groupSize !== 0) throw new RangeError(`AWQ needs K (${k}) to be a multiple of the group size (${groupSize})`);
}

/** The AWQ tensors of `w` (which must have contiguous groups: no gIdx). */
export function packAwq(w: Int4GroupWeights): AwqTensors {
  checkInt4GroupWeights(w);
  checkAwqShape(w.k, w.n, w.groupSize);
  if (w.gIdx) throw new RangeError('AWQ checkpoints have no act-order g_idx; use the GPTQ format');
  return { qweight: packRows(w.codes, w.k, w.n), qzeros: packRows(w.zeros, groupCount(w), w.n), scales: w.scales.slice() };
}

/** Reads AWQ tensors of a K×N layer with the given group size. */
export function unpackAwq(t: AwqTensors, k: number, n: number, groupSize: number): Int4GroupWeights {
  checkAwqShape(k, n, groupSize);
  const g = k / groupSize;
  if (t.qweight.length !== (k * n) / 8 || t.qzeros.length !== (g * n) / 8 || t.scales.length !== g * n) {
    throw new RangeError(`AWQ tensors do not match K ${k}, N ${n}, group ${groupSize}: qweight [${k}][${n / 8}], qzeros [${g}][${n / 8}], scales [${g}][${n}] expected`);
  }
  return { k, n, groupSize, codes: unpackRows(t.qweight, k, n), zeros: unpackRows(t.qzeros, g, n), scales: t.scales.slice() };
}
