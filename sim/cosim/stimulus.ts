/**
 * The stimulus plan of a verification run: exhaustive rows (when asked and the input space is
 * small), then corner cases (when asked), then seeded random rows.
 */
import { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from '../models/types.ts';

export interface StimulusPlan {
  readonly random: number;
  readonly seed: number;
  readonly corners: boolean;
  readonly exhaustive: boolean;
}

export interface Stimulus {
  readonly rows: StimulusRow[];
  /** How many rows each source contributed, in order. */
  readonly counts: { readonly exhaustive: number; readonly corners: number; readonly random: number };
}

export class StimulusError extends Error {
  override readonly name = 'StimulusError';
}

export function buildStimulus(model: TransactionModel, plan: StimulusPlan): Stimulus {
  const ex = plan.exhaustive ? model.exhaustive() : [];
  if (ex === undefined) throw new StimulusError('--exhaustive: this design has more than 2^16 input combinations per operation; use --corners and --vectors instead');
  const corners = plan.corners ? model.corners() : [];
  const random = plan.random > 0 ? model.random(plan.random, new Rng(plan.seed)) : [];
  return { rows: [...ex, ...corners, ...random], counts: { exhaustive: ex.length, corners: corners.length, random: random.length } };
}
