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
import type { Rng } from '../random.ts';
import { VectorSet } from '../vector-set.ts';

/** A port and the format its bits carry: `int8`, `uint1`, `fixed<16,4>`, `fp8_e4m3`, ... */
export interface ModelPort {
  readonly name: string;
  readonly width: number;
  readonly signed: boolean;
  readonly format: string;
  /** For outputs: the 1-bit output that says when this one is meaningful. */
  readonly validBy?: string;
}

export type StimulusRow = readonly bigint[];

export interface TransactionModel {
  readonly inputs: readonly ModelPort[];
  readonly outputs: readonly ModelPort[];
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
   * Optional column-major fast paths for 10^6-vector runs (`sim/vector-set.ts`). When present they
   * must give exactly what `random` and `expected` give (same rng state, same rows); the models'
   * tests check that.
   */
  randomSet?(count: number, rng: Rng): VectorSet;
  expectedSet?(stimulus: VectorSet): VectorSet;
}

/** `count` random vectors as columns, through the model's fast path when it has one. */
export function randomVectors(model: TransactionModel, count: number, rng: Rng): VectorSet {
  return model.randomSet ? model.randomSet(count, rng) : VectorSet.fromRows(model.inputs, model.random(count, rng));
}

/** Expected vectors for a stimulus, through the model's fast path when it has one. */
export function expectedVectors(model: TransactionModel, stimulus: VectorSet): VectorSet {
  return model.expectedSet ? model.expectedSet(stimulus) : VectorSet.fromRows(model.outputs, model.expected(stimulus.toRows()));
}
