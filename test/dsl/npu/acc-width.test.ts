// The DSL's `accumulator: auto` width (dsl/npu/acc-width.ts) against the golden library's
// accumulator_width (the models' goldenAutoAccumulator): the two independent
// derivations must agree for every format pair and k, or verify would fail on a port mismatch.
import { expect, test } from 'vitest';
import { autoAccumulator } from '../../../dsl/npu/acc-width.ts';
import { fixedFormat } from '../../../formats/fixed.ts';
import { goldenAutoAccumulator } from '../../../sim/models/auto-accumulator.ts';

test('auto accumulator widths agree with the golden accumulator_width', () => {
  const formats = [];
  for (const signed of [true, false]) for (const w of [1, 2, 4, 7, 8, 16]) for (const i of [w, w - 3, 0]) formats.push(fixedFormat(w, i, signed));
  const ks = [1, 2, 3, 9, 64, 255, 256, 257, 1 << 20, 1_000_003];
  let checked = 0;
  for (const a of formats) for (const b of formats) for (const k of ks) {
    expect(autoAccumulator(a, b, k), `${JSON.stringify(a)} x ${JSON.stringify(b)}, k = ${k}`).toEqual(goldenAutoAccumulator(a, b, k));
    checked++;
  }
  expect(checked).toBe(36 * 36 * ks.length);
  // A known value from the conformance set: 9 int8 x int8 products need 19 bits.
  expect(autoAccumulator(fixedFormat(8, 8, true), fixedFormat(8, 8, true), 9).width).toBe(19);
});
