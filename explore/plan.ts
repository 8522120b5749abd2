/**
 * What a point runs, per numerics family, before any tool: the golden accuracy on the whole test
 * split, each layer's tile with its cycle-level stimulus and expected outputs for the RTL sample
 * (layer 2 consumes layer 1's golden outputs, which the RTL must reproduce), bytes moved, table
 * energy and the analytical cycle estimate.
 * - int (int8, w4a8, int4): gemm_tile with bias ports, TFLite requantization (examples/mlp/hardware.ts);
 * - float (fp8_e4m3, bf16): a float systolic_array with an fp32 fused accumulator, the bias, ReLU and
 *   rounding to the next layer's format on the host (examples/mlp/float-hardware.ts).
 */
import type { BuiltDesign } from '../dsl/builder/module.ts';
import type { TestbenchModel } from '../generators/testbench/model.ts';
import { buildTile, scheduleLayer, tileLatency, type TileShape } from '../examples/mlp/hardware.ts';
import { quantizeInputs, type QuantMlp } from '../examples/mlp/quantize.ts';
import { argmax } from '../examples/mlp/train.ts';
import { floatInfer, floatInputs, floatQuantizeMlp, type FloatMlp } from '../examples/mlp/float.ts';
import { buildFloatTile, scheduleFloatLayer } from '../examples/mlp/float-hardware.ts';
import { systolicLatency } from '../dsl/npu/systolic.ts';
import { digitsWorkload, goldenAccuracy, quantizedModel } from './digits.ts';
import { floatTableEnergy, tableEnergy, type TableEnergy } from './energy.ts';
import { PRECISIONS, quantSpecOf, type FloatPrecision, type IntPrecision } from './precisions.ts';
import type { PointSpec } from './point.ts';
import { onnxPlan } from './onnx-plan.ts';
import { onnxWorkloadOf } from './onnx-workload.ts';

export interface Bytes {
  readonly weights: number;
  readonly bias: number;
  readonly scales: number;
  readonly activations: number;
  readonly outputs: number;
}

export interface LayerPlan {
  readonly tile: BuiltDesign;
  readonly testbench: TestbenchModel;
  readonly stimulus: bigint[][];
  readonly expected: bigint[][];
  readonly cycles: number;
}

export interface PointPlan {
  readonly accuracy: number;
  /** The float model's accuracy (null for an ONNX model, which is quantized already). */
  readonly floatAccuracy: number | null;
  readonly layers: readonly LayerPlan[];
  readonly bytes: Bytes;
  readonly energy: TableEnergy;
  /** Inputs in the RTL sample (cycles are divided by it). */
  readonly sample: number;
  /** Cycles of the sample's run, analytical. */
  readonly cyclesEstimated: number;
}

const packed = (count: number, bits: number) => Math.ceil((count * bits) / 8);

/** Builds the plan of `spec` for `images` (the RTL sample); `time` names its phases. */
export async function planPoint(spec: PointSpec, shape: TileShape, sample: number, time: <T>(name: string, f: () => T) => Promise<T>): Promise<PointPlan> {
  if (spec.modelHash !== undefined) {
    const hash = spec.modelHash;
    return time('golden', () => onnxPlan(onnxWorkloadOf(hash), shape, sample));
  }
  const w = await time('train', () => digitsWorkload());
  const images = w.test.images.slice(0, sample);
  const prec = PRECISIONS[spec.precision]!;
  if (prec.kind === 'float') {
    const q = await time('quantize', () => floatQuantizeMlp(w.model, prec.format));
    const accuracy = await time('golden', () => floatAccuracyOf(q, w.test.images, w.test.labels));
    return { ...floatPlan(q, prec, shape, images), accuracy, floatAccuracy: w.floatAccuracy };
  }
  const ip = prec as IntPrecision;
  const qspec = quantSpecOf(ip, spec.scales !== 'per_tensor');
  const q = await time(spec.qat === 'on' ? 'qat' : 'quantize', () => quantizedModel(w, qspec, spec.qat));
  const accuracy = await time('golden', () => goldenAccuracy(w, q));
  return { ...intPlan(q, ip, shape, images), accuracy, floatAccuracy: w.floatAccuracy };
}

function floatAccuracyOf(q: FloatMlp, images: readonly Uint8Array[], labels: readonly number[]): number {
  const { logits } = floatInfer(q, images);
  return labels.filter((l, i) => argmax(logits.subarray(i * 10, i * 10 + 10)) === l).length / labels.length;
}

function intPlan(q: QuantMlp, prec: IntPrecision, shape: TileShape, images: readonly Uint8Array[]): Omit<PointPlan, 'accuracy' | 'floatAccuracy'> {
  let input: Int8Array<ArrayBufferLike> = quantizeInputs(images, q.spec.actBits);
  const layers = q.layers.map((layer, li) => {
    const tile = buildTile(shape, q.spec, li === 0 ? 'relu' : 'none', layer.k);
    const run = scheduleLayer(tile, shape, layer, input, images.length, q.spec.perChannel);
    input = run.output;
    return { tile, testbench: run.testbench, stimulus: run.stimulus, expected: run.expected, cycles: run.cycles };
  });
  const [l1, l2] = q.layers;
  const a = q.spec.actBits;
  const bytes: Bytes = {
    weights: q.layers.reduce((s, l) => s + packed(l.k * l.n, q.spec.weightBits), 0),
    bias: q.layers.reduce((s, l) => s + 4 * l.n, 0),
    // int32 multiplier + int8 shift per channel, or one pair per layer.
    scales: q.layers.reduce((s, l) => s + 5 * (q.spec.perChannel ? l.n : 1), 0),
    // input read, hidden written and read back
    activations: packed(l1.k, a) + 2 * packed(l1.n, a),
    outputs: packed(l2.n, a),
  };
  const total = Object.values(bytes).reduce((x, y) => x + y, 0);
  const macs = q.layers.reduce((s, l) => s + l.k * l.n, 0);
  const energy = tableEnergy({ macs, mulBits: Math.max(prec.actBits, prec.weightBits), outputs: q.layers.reduce((s, l) => s + l.n, 0), bytes: total });
  const lat = tileLatency(shape);
  return { layers, bytes, energy, sample: images.length, cyclesEstimated: estimateCycles(q.layers, shape, images.length, lat) };
}

function floatPlan(q: FloatMlp, prec: FloatPrecision, shape: TileShape, images: readonly Uint8Array[]): Omit<PointPlan, 'accuracy' | 'floatAccuracy'> {
  let input = floatInputs(images, q.format);
  const layers = q.layers.map((layer) => {
    const tile = buildFloatTile(shape, q.format, layer.k);
    const run = scheduleFloatLayer(tile, shape, q.format, layer, input, images.length);
    input = run.output;
    return { tile, testbench: run.testbench, stimulus: run.stimulus, expected: run.expected, cycles: run.cycles };
  });
  const [l1, l2] = q.layers;
  const bits = q.format.width;
  const bytes: Bytes = {
    weights: q.layers.reduce((s, l) => s + packed(l.k * l.n, bits), 0),
    bias: q.layers.reduce((s, l) => s + 4 * l.n, 0),
    scales: 0,
    activations: packed(l1.k, bits) + 2 * packed(l1.n, bits),
    // fp32 logits
    outputs: 4 * l2.n,
  };
  const total = Object.values(bytes).reduce((x, y) => x + y, 0);
  const macs = q.layers.reduce((s, l) => s + l.k * l.n, 0);
  const energy = floatTableEnergy({ macs, operand: prec.name, outputs: q.layers.reduce((s, l) => s + l.n, 0), bytes: total });
  const lat = systolicLatency({ dataflow: 'output_stationary', rows: shape.rows, cols: shape.cols });
  return { layers, bytes, energy, sample: images.length, cyclesEstimated: estimateCycles(q.layers, shape, images.length, lat) };
}

/**
 * The schedule's analytical model, independent of the stimulus code: per column tile, ceil(m/R)
 * GEMMs of max(k, R) beats each, then the tile latency (array fill R + C; gemm_tile adds its bias
 * register and requantizer) and the last GEMM's R rows. (It ignores the idle cycles the schedule
 * inserts between column tiles.)
 */
export function estimateCycles(layers: readonly { readonly k: number; readonly n: number }[], shape: TileShape, m: number, latency: number): number {
  const { rows: R, cols: C } = shape;
  return layers.reduce((s, l) => s + Math.ceil(l.n / C) * Math.ceil(m / R) * Math.max(l.k, R) + latency + R, 0);
}
