/**
 * Quantization-aware training of the MLP. The forward pass of every training step IS the
 * golden integer inference of the current weights (quantizeWith + goldenLayers: the same
 * rounding, saturation, int32 bias and exact accumulator as the gemm_tile RTL), so the accuracy
 * seen in training is the accuracy of the hardware. Gradients flow back through the
 * dequantized activations with a straight-through estimator: weight rounding is treated as the
 * identity (the float weights are updated), and a hidden unit passes gradient only while its
 * code is strictly inside the ReLU clamp (0 < h < qmax), so saturated units stop learning as
 * they do in hardware. Activation scales stay fixed at the float model's calibration.
 */
import type { Digits } from './data.ts';
import { calibrate, goldenLayers, quantizeInput, quantizeWith, type ActScales, type QuantMlp, type QuantSpec } from './quantize.ts';
import { HIDDEN, CLASSES, trainMlp, type BatchForward, type Mlp } from './train.ts';

/** The fake-quantized forward pass for `spec` with fixed activation scales. */
export function qatForward(spec: QuantSpec, act: ActScales): BatchForward {
  const qa = 2 ** (spec.actBits - 1) - 1;
  return (m, images) => {
    const { hidden, logits } = goldenLayers(quantizeWith(m, spec, act), images);
    return images.map((img, n) => {
      const hq = hidden.subarray(n * HIDDEN, (n + 1) * HIDDEN);
      return {
        x: Float64Array.from(quantizeInput(img, spec.actBits), (v) => v / qa),
        h: Float64Array.from(hq, (v) => v * act.hidden),
        logits: Float64Array.from(logits.subarray(n * CLASSES, (n + 1) * CLASSES), (v) => v * act.logits),
        hPass: (j: number) => hq[j]! > 0 && hq[j]! < qa,
      };
    });
  };
}

export interface QatOptions {
  readonly epochs?: number;
  readonly lr?: number;
  readonly seed?: number;
}

/** Fine-tunes `model` with QAT for `spec` and returns the quantized result. */
export function trainQat(model: Mlp, train: Digits, spec: QuantSpec, opts: QatOptions = {}): QuantMlp {
  const act: ActScales = calibrate(model, train, spec.actBits);
  const tuned = trainMlp(train, { init: model, forward: qatForward(spec, act), epochs: opts.epochs ?? 10, lr: opts.lr ?? 0.01, seed: opts.seed ?? 11 });
  return quantizeWith(tuned, spec, act);
}
