/**
 * Transaction models: the golden library's view of a generator. A model knows the ports of
 * the generated top (names, formats) from the generator's parameters alone, produces stimulus
 * (random, corner cases, exhaustive when small) and computes the expected outputs of a
 * stimulus sequence with `sim/golden` only. It never looks at the IR, so the RTL and the
 * expectation come from independent implementations.
 *
 * Timing: row i of `expected` is compared `latency` cycles after stimulus row i is applied
 * (see generators/testbench/model.ts). An output listed in `validBy` is only compared in rows
 * where the named 1-bit output is expected to be 1 (its value is don't-care otherwise); the
 * valid output itself is always compared.
 */
import type { Port } from '../../formats/port.ts';
import type { Rng } from '../random.ts';
import { VectorSet } from '../vector-set.ts';

export type StimulusRow = readonly bigint[];

export interface TransactionModel {
  readonly inputs: readonly Port[];
  readonly outputs: readonly Port[];
  readonly latency: number;
  /** Uniform random rows (values inside each input's range). */
  random(count: number, rng: Rng): StimulusRow[];
  /** Corner-case rows: zero, extremes, rounding ties, saturation edges, ... */
  corners(): StimulusRow[];
  /** Every input combination, when there are at most 2^16 (else undefined). */
  exhaustive(): StimulusRow[] | undefined;
  /** Expected output rows for a stimulus sequence (same length), from the golden library. */
  expected(stimulus: readonly StimulusRow[]): bigint[][];
  /**
   * Optional fast paths over vector sets (`sim/vector-set.ts`) for 10^6-vector runs; when present
   * they must give exactly what `random` and `expected` give (the models' tests check that).
   * `randomSet(count, rng)`: `count` random vectors, the same as `random(count, rng)`.
   * `expectedStream()`: a fresh expectation with the model's state at reset; feeding it the
   * stimulus in consecutive chunks returns the expected vectors of each chunk, so a run never
   * needs the whole stimulus in memory.
   */
  randomSet?(count: number, rng: Rng): VectorSet;
  expectedStream?(): (chunk: VectorSet) => VectorSet;
}

/**
 * Random vectors are drawn in chunks of this many (`randomSet` or `random` per chunk, one rng), so
 * a run can stream them; the seed and the count determine the vectors, not how they are consumed.
 */
export const RANDOM_CHUNK = 8192;

/** Calls `fn` on `count` random vectors, chunk by chunk (see `RANDOM_CHUNK`). */
export function forEachRandomChunk(model: TransactionModel, count: number, rng: Rng, fn: (chunk: VectorSet) => void): void {
  for (let done = 0; done < count; done += RANDOM_CHUNK) {
    const n = Math.min(RANDOM_CHUNK, count - done);
    fn(model.randomSet ? model.randomSet(n, rng) : VectorSet.fromRows(model.inputs, model.random(n, rng)));
  }
}

/** `count` random vectors in one set. */
export function randomVectors(model: TransactionModel, count: number, rng: Rng): VectorSet {
  const chunks: VectorSet[] = [];
  forEachRandomChunk(model, count, rng, (c) => chunks.push(c));
  return chunks.length === 1 ? chunks[0]! : VectorSet.concat(model.inputs, chunks);
}

/** Expected vectors for a whole stimulus, through the model's fast path when it has one. */
export function expectedVectors(model: TransactionModel, stimulus: VectorSet): VectorSet {
  return model.expectedStream ? model.expectedStream()(stimulus) : VectorSet.fromRows(model.outputs, model.expected(stimulus.toRows()));
}
