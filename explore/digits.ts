/**
 * The digits-MLP workload of the explorer: the float model (trained once per process,
 * deterministic), each point's quantized model (PTQ, or QAT fine-tuned from the float model),
 * and the golden accuracy on the whole test split.
 */
import { loadDigits, splitDigits, type Digits } from '../examples/mlp/data.ts';
import { floatAccuracy, trainMlp, type Mlp } from '../examples/mlp/train.ts';
import { goldenInfer, quantAccuracy, quantizeMlp, type QuantMlp, type QuantSpec } from '../examples/mlp/quantize.ts';
import { trainQat } from '../examples/mlp/qat.ts';
import type { Qat } from './sweep.ts';

export interface DigitsWorkload {
  readonly train: Digits;
  readonly test: Digits;
  readonly model: Mlp;
  readonly floatAccuracy: number;
}

let workload: DigitsWorkload | undefined;

export function digitsWorkload(): DigitsWorkload {
  if (workload) return workload;
  const { train, test } = splitDigits(loadDigits());
  const model = trainMlp(train);
  return (workload = { train, test, model, floatAccuracy: floatAccuracy(model, test) });
}

const quantized = new Map<string, QuantMlp>();

/** The point's integer model (memoized: points differing only in the tile share it). */
export function quantizedModel(w: DigitsWorkload, spec: QuantSpec, qat: Qat): QuantMlp {
  const key = `${JSON.stringify(spec)}/${qat}`;
  let q = quantized.get(key);
  if (!q) {
    q = qat === 'on' ? trainQat(w.model, w.train, spec) : quantizeMlp(w.model, w.train, spec);
    quantized.set(key, q);
  }
  return q;
}

/** Top-1 accuracy of the golden integer inference on the whole test split. */
export function goldenAccuracy(w: DigitsWorkload, q: QuantMlp): number {
  return quantAccuracy(goldenInfer(q, w.test.images), w.test.labels);
}
