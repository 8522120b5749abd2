/**
 * The float MLP's layers on a float output-stationary `systolic_array` (operands in the point's
 * float format, fp32 accumulator, fused steps): the GEMM runs on the array with the shared host
 * schedule (`sim/layers/os-schedule.ts`, outputs `c_*`, no per-column parameters, so no drain
 * between column tiles); the bias, ReLU and rounding to the next layer's format are the host's
 * (`floatOutputStage`). Expected rows are the golden GEMM of the padded operands (+0 codes).
 */
import { systolicLatency } from '../../dsl/npu/systolic.ts';
import { instantiate } from '../../catalog/index.ts';
import type { BuiltDesign } from '../../dsl/builder/module.ts';
import type { FloatFormat } from '../../sim/golden/index.ts';
import { scheduleOs } from '../../sim/layers/os-schedule.ts';
import { floatGemmCodes, floatOutputStage, type FloatLayer } from './float.ts';
import type { LayerRun, TileShape } from './hardware.ts';

/** The array for one layer (k = the layer's reduction depth, which only sizes the model's corners): a `systolic_array` from the generator registry. */
export function buildFloatTile(shape: TileShape, fmt: FloatFormat, k: number): BuiltDesign {
  return instantiate('systolic_array', {
    rows: shape.rows, cols: shape.cols, dataflow: 'output_stationary', a: fmt.name, b: fmt.name, accumulator: 'fp32', k, fused: true, subnormals: 'ieee',
  }, `mlp_array_${fmt.name}_fp32`).design;
}

const pad = (x: number, q: number) => Math.ceil(x / q) * q;

/** Cycle-level stimulus and expected fp32 codes of one layer's GEMM; `output` is the layer's output after the host stage. */
export function scheduleFloatLayer(tile: BuiltDesign, shape: TileShape, fmt: FloatFormat, layer: FloatLayer, x: Uint32Array, m: number): Omit<LayerRun, 'output'> & { output: Uint32Array } {
  const { rows: R, cols: C } = shape;
  const { k, n } = layer;
  const mp = pad(m, R);
  const np = pad(n, C);
  const xp = new Uint32Array(mp * k);
  xp.set(x);
  const wp = new Uint32Array(k * np);
  for (let t = 0; t < k; t++) wp.set(layer.weights.subarray(t * n, t * n + n), t * np);
  const c = floatGemmCodes(fmt, xp, wp, mp, k, np);
  const run = scheduleOs({
    tile, rows: R, cols: C, m, k, n, outputPrefix: 'c',
    latency: systolicLatency({ dataflow: 'output_stationary', rows: R, cols: C }), drain: 0,
    a: (i, t) => BigInt(xp[i * k + t]!),
    b: (t, j) => BigInt(wp[t * np + j]!),
    columnParams: () => ({}),
    y: (i, j) => BigInt(c[i * np + j]!),
  });
  const raw = new Uint32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) raw[i * n + j] = c[i * np + j]!;
  return { testbench: run.testbench, stimulus: run.stimulus, expected: run.expected, cycles: run.cycles, output: floatOutputStage(layer, fmt, raw) };
}
