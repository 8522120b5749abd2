/**
 * The stimulus plan of a verification run: exhaustive rows (when asked and the input space is
 * small), then corner cases (when asked), then seeded random rows.
 */
import { Rng } from '../random.ts';
import { randomVectors, type TransactionModel } from '../models/types.ts';
import { VectorSet } from '../vector-set.ts';

export interface StimulusPlan {
  readonly random: number;
  readonly seed: number;
  readonly corners: boolean;
  readonly exhaustive: boolean;
}

export interface Stimulus {
  readonly vectors: VectorSet;
  /** How many rows each source contributed, in order (`given`: rows the caller supplied instead). */
  readonly counts: { readonly exhaustive: number; readonly corners: number; readonly random: number; readonly given?: number };
}

export class StimulusError extends Error {
  override readonly name = 'StimulusError';
}

export function buildStimulus(model: TransactionModel, plan: StimulusPlan): Stimulus {
  const ex = plan.exhaustive ? model.exhaustive() : [];
  if (ex === undefined) throw new StimulusError('--exhaustive: this design has more than 2^16 input combinations per operation; use --corners and --vectors instead');
  const corners = plan.corners ? model.corners() : [];
  const random = plan.random > 0 ? randomVectors(model, plan.random, new Rng(plan.seed)) : VectorSet.alloc(model.inputs, 0);
  const parts = [VectorSet.fromRows(model.inputs, ex), VectorSet.fromRows(model.inputs, corners), random].filter((x) => x.length > 0);
  const vectors = parts.length === 1 ? parts[0]! : VectorSet.concat(model.inputs, parts);
  return { vectors, counts: { exhaustive: ex.length, corners: corners.length, random: random.length } };
}
