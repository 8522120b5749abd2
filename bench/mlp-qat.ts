/**
 * PTQ vs QAT on the digits MLP (examples/mlp/qat.ts with its defaults, as `npugen explore` runs
 * `qat: on`), per precision and weight-scale mode, plus the float points: test accuracy of the
 * golden inference (= the RTL's) on the 360 test images (one image is 0.28 points) and the
 * training split's, which QAT optimizes.
 *
 * Run: `npx tsx bench/mlp-qat.ts [--out bench/results/mlp-qat.json]` (a few minutes).
 */
import { writeFileSync } from 'node:fs';
import { loadDigits, splitDigits } from '../examples/mlp/data.ts';
import { argmax, floatAccuracy, trainMlp } from '../examples/mlp/train.ts';
import { goldenInfer, quantAccuracy, quantizeMlp, type QuantSpec } from '../examples/mlp/quantize.ts';
import { trainQat } from '../examples/mlp/qat.ts';
import { floatInfer, floatQuantizeMlp } from '../examples/mlp/float.ts';
import { bf16, fp8_e4m3 } from '../sim/golden/index.ts';

const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;
const { train, test } = splitDigits(loadDigits());
const model = trainMlp(train);
const rows: Record<string, unknown>[] = [];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`float64: test ${pct(floatAccuracy(model, test))}, train ${pct(floatAccuracy(model, train))}`);
for (const [name, w, a] of [['int8', 8, 8], ['w4a8', 4, 8], ['int4', 4, 4]] as const) {
  for (const perChannel of [true, false]) {
    const spec: QuantSpec = { weightBits: w, actBits: a, perChannel };
    const ptq = quantizeMlp(model, train, spec);
    const qat = trainQat(model, train, spec);
    const acc = (q: typeof ptq, d: typeof test) => quantAccuracy(goldenInfer(q, d.images), d.labels);
    const row = { precision: name, scales: perChannel ? 'per_channel' : 'per_tensor', ptqTest: acc(ptq, test), qatTest: acc(qat, test), ptqTrain: acc(ptq, train), qatTrain: acc(qat, train) };
    rows.push(row);
    console.log(`${name.padEnd(5)} ${row.scales.padEnd(11)} test PTQ ${pct(row.ptqTest)} -> QAT ${pct(row.qatTest)}   train PTQ ${pct(row.ptqTrain)} -> QAT ${pct(row.qatTrain)}`);
  }
}
for (const fmt of [fp8_e4m3, bf16]) {
  const { logits } = floatInfer(floatQuantizeMlp(model, fmt), test.images);
  const accuracy = test.labels.filter((l, i) => argmax(logits.subarray(i * 10, i * 10 + 10)) === l).length / test.labels.length;
  rows.push({ precision: fmt.name, test: accuracy });
  console.log(`${fmt.name}: test ${pct(accuracy)}`);
}
if (out !== undefined) writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), floatTest: floatAccuracy(model, test), rows }, null, 2)}\n`);
