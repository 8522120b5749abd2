/**
 * Weight-only int4 on the digits MLP: RTN vs AWQ-style activation-aware scaling, asymmetric and
 * symmetric, group sizes 32/64/128, on the two golden group datapaths (W4A16 `dequant_fp`, W4A8
 * `int_then_scale`). Reports test accuracy (360 images: one image is 0.28 points) and the relative
 * logit error against the float64 model, E = Σ‖y_q − y_f‖² / Σ‖y_f‖² over the test split, which is what
 * the quantizer actually changes. Calibration: the training split (as the demo's int8 calibration).
 *
 * Run: `npx tsx bench/llm-int4-accuracy.ts [--grid N] [--out bench/results/llm-int4-accuracy.json]`.
 */
import { writeFileSync } from 'node:fs';
import { loadDigits, splitDigits } from '../examples/mlp/data.ts';
import { floatAccuracy, forward, inputOf, trainMlp, type Mlp } from '../examples/mlp/train.ts';
import { inferInt4, int4Accuracy, quantizeMlpInt4, type Int4Datapath, type Int4Method } from '../examples/mlp/int4.ts';
import type { Int4Scheme } from '../sim/golden/llm/rtn.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const grid = Number(arg('--grid') ?? 20);
const out = arg('--out');

interface Row {
  readonly groupSize: number;
  readonly effectiveGroups: readonly [number, number];
  readonly method: Int4Method;
  readonly scheme: Int4Scheme;
  readonly alphas: readonly [number, number];
  readonly accuracy: Record<Int4Datapath, number>;
  readonly logitError: Record<Int4Datapath, number>;
}

function floatLogits(m: Mlp, images: readonly Uint8Array[]): Float64Array[] {
  return images.map((img) => forward(m, inputOf(img)).logits);
}

function relativeError(q: Float32Array, f: readonly Float64Array[]): number {
  let num = 0;
  let den = 0;
  f.forEach((row, i) => row.forEach((v, c) => { num += (q[i * row.length + c]! - v) ** 2; den += v * v; }));
  return num / den;
}

const t0 = performance.now();
const { train, test } = splitDigits(loadDigits());
const model = trainMlp(train);
const fAcc = floatAccuracy(model, test);
const fLogits = floatLogits(model, test.images);
const rows: Row[] = [];
for (const groupSize of [32, 64, 128]) {
  for (const scheme of ['asym', 'sym'] as const) {
    for (const method of ['rtn', 'awq'] as const) {
      const q = quantizeMlpInt4(model, train, { method, scheme, groupSize, grid });
      const accuracy = {} as Record<Int4Datapath, number>;
      const logitError = {} as Record<Int4Datapath, number>;
      for (const path of ['w4a16', 'w4a8'] as const) {
        const logits = inferInt4(q, test.images, path);
        accuracy[path] = int4Accuracy(logits, test.labels);
        logitError[path] = relativeError(logits, fLogits);
      }
      rows.push({ groupSize, effectiveGroups: [Math.min(groupSize, 64), Math.min(groupSize, model.w2[0]!.length)], method, scheme, alphas: q.alphas, accuracy, logitError });
    }
  }
}
const seconds = (performance.now() - t0) / 1000;

const pct = (a: number) => `${(a * 100).toFixed(1)}%`;
const sci = (e: number) => e.toExponential(2);
console.log(`digits MLP 64-${model.w1.length}-10, test split ${test.images.length} images; float64 accuracy ${pct(fAcc)}; AWQ grid ${grid}; ${seconds.toFixed(1)} s`);
console.log('| group (L1/L2) | quantizer | α (L1, L2) | W4A16 acc | W4A16 logit err | W4A8 acc | W4A8 logit err |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.groupSize} (${r.effectiveGroups.join('/')}) | ${r.method.toUpperCase()} ${r.scheme} | ${r.alphas.join(', ')} | ${pct(r.accuracy.w4a16)} | ${sci(r.logitError.w4a16)} | ${pct(r.accuracy.w4a8)} | ${sci(r.logitError.w4a8)} |`);
}
if (out) {
  writeFileSync(out, `${JSON.stringify({ bench: 'llm-int4-accuracy', node: process.version, date: new Date().toISOString(), grid, testImages: test.images.length, floatAccuracy: fAcc, hidden: model.w1.length, seconds, rows }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}
