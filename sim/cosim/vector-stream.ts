/**
 * A verification run's vector files written chunk by chunk: stimulus (exhaustive, corners, then
 * random chunks of `RANDOM_CHUNK`) and the model's expected vectors, appended to the two binary
 * files as each chunk is made. The whole run is never in memory: at 10^6 vectors that avoids
 * touching tens of MB of fresh pages, which on these VMs costs more than computing the vectors.
 * The files are byte-identical to encoding `buildStimulus` and `expectedVectors` in memory.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { forEachRandomChunk, type TransactionModel } from '../models/types.ts';
import { Rng } from '../random.ts';
import { VectorSet } from '../vector-set.ts';
import { StimulusError, type Stimulus, type StimulusPlan } from './stimulus.ts';

export interface VectorFilePair {
  readonly stimulus: string;
  readonly expected: string;
}

/** Whether `writeVectorStream` can serve the model (it needs the model's streaming expectation). */
export function canStream(model: TransactionModel): boolean {
  return model.expectedStream !== undefined;
}

/** Writes both files (binary format); returns how many vectors each source contributed. */
export function writeVectorStream(model: TransactionModel, plan: StimulusPlan, files: VectorFilePair): Stimulus['counts'] {
  if (!model.expectedStream) throw new Error('writeVectorStream: the model has no expectedStream');
  const expect = model.expectedStream();
  const ex = plan.exhaustive ? model.exhaustive() : [];
  if (ex === undefined) throw new StimulusError('--exhaustive: this design has more than 2^16 input combinations per operation; use --corners and --vectors instead');
  const corners = plan.corners ? model.corners() : [];
  const stim = openSync(files.stimulus, 'w');
  const exp = openSync(files.expected, 'w');
  let total = 0;
  try {
    // Headers with the final count at the end: models of whole transactions (the systolic
    // arrays) draw at least the asked count per random chunk, not exactly it.
    writeAll(stim, VectorSet.header(model.inputs, 0));
    writeAll(exp, VectorSet.header(model.outputs, 0));
    // Each chunk's storage is released once written, so the next chunk reuses it (see `release`).
    const put = (chunk: VectorSet): void => {
      writeAll(stim, chunk.rows());
      const e = expect(chunk);
      writeAll(exp, e.rows());
      total += chunk.length;
      chunk.release();
      e.release();
    };
    for (const rows of [ex, corners]) if (rows.length > 0) put(VectorSet.fromRows(model.inputs, rows));
    forEachRandomChunk(model, plan.random, new Rng(plan.seed), put);
    writeAll(stim, VectorSet.header(model.inputs, total), 0);
    writeAll(exp, VectorSet.header(model.outputs, total), 0);
  } finally {
    closeSync(stim);
    closeSync(exp);
  }
  return { exhaustive: ex.length, corners: corners.length, random: total - ex.length - corners.length };
}

/** Writes all of `data`, at the file's current end, or at byte `position` when given. */
function writeAll(fd: number, data: Uint8Array, position?: number): void {
  for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at, position === undefined ? null : position + at);
}
