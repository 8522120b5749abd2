import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { intFormat } from '../../../formats/fixed.ts';
import { buildStimulus } from '../../../sim/cosim/stimulus.ts';
import { canStream, writeVectorStream } from '../../../sim/cosim/vector-stream.ts';
import { dotModel } from '../../../sim/models/dot.ts';
import { macModel } from '../../../sim/models/mac.ts';
import { systolicFloatModel } from '../../../sim/models/systolic-float.ts';
import { bf16, fp32 } from '../../../sim/golden/index.ts';
import { expectedVectors, RANDOM_CHUNK, type TransactionModel } from '../../../sim/models/types.ts';
import { encodeBinaryVectors } from '../../../sim/vectors.ts';

const i8 = intFormat(8, true);
const MODELS: [string, TransactionModel][] = [
  ['mac int8 -> int20 saturate', macModel({ a: i8, b: i8, accumulator: intFormat(20, true), overflow: 'saturate' })],
  ['dot 4 x int4', dotModel({ lanes: 2, a: intFormat(4, true), b: intFormat(4, true), accumulator: intFormat(9, true), pipeline_stages: 1 })],
];

describe('streamed vector files', () => {
  for (const [name, model] of MODELS) {
    test(`${name}: the files equal the in-memory stimulus and expectation, across chunk boundaries`, () => {
      expect(canStream(model)).toBe(true);
      const dir = mkdtempSync(path.join(tmpdir(), 'npugen-stream-'));
      const plan = { random: 2 * RANDOM_CHUNK + 123, seed: 9, corners: true, exhaustive: true };
      const files = { stimulus: path.join(dir, 's.bin'), expected: path.join(dir, 'e.bin') };
      const counts = writeVectorStream(model, plan, files);
      const mem = buildStimulus(model, plan);
      expect(counts).toEqual(mem.counts);
      expect(readFileSync(files.stimulus).equals(encodeBinaryVectors(model.inputs, mem.vectors))).toBe(true);
      // The row path of the model (independent of the stream) gives the same expected file.
      const rows = model.expected(mem.vectors.toRows());
      expect(readFileSync(files.expected).equals(encodeBinaryVectors(model.outputs, rows))).toBe(true);
      expect(readFileSync(files.expected).equals(encodeBinaryVectors(model.outputs, expectedVectors(model, mem.vectors)))).toBe(true);
    });
  }

  test('a model of whole transactions (float systolic WS 2x2): chunks longer or shorter than asked, the header counts the rows written', () => {
    const model = systolicFloatModel({ rows: 2, cols: 2, dataflow: 'weight_stationary', k: 0, a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: 'ieee' });
    const dir = mkdtempSync(path.join(tmpdir(), 'npugen-stream-'));
    const plan = { random: RANDOM_CHUNK + 77, seed: 4, corners: true, exhaustive: false };
    const files = { stimulus: path.join(dir, 's.bin'), expected: path.join(dir, 'e.bin') };
    const counts = writeVectorStream(model, plan, files);
    const mem = buildStimulus(model, plan);
    expect(counts).toEqual(mem.counts);
    expect(counts.random).not.toBe(plan.random);
    expect(readFileSync(files.stimulus).equals(encodeBinaryVectors(model.inputs, mem.vectors))).toBe(true);
    expect(readFileSync(files.expected).equals(encodeBinaryVectors(model.outputs, model.expected(mem.vectors.toRows())))).toBe(true);
  });
});
