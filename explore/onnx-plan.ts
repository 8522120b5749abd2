/**
 * The plan of an ONNX-model point (explore/plan.ts does the digits MLP's): the first `sample` eval
 * rows as one input set through the golden model, then each GEMM of each gemm layer (`layer.plan`,
 * QLinearConv after im2col) scheduled on a gemm_tile of the point's shape exactly as `npugen run`
 * schedules it (sim/layers/quant-gemm-tiles.ts), with the golden outputs as the expected values.
 * Each layer reads the golden inputs of that layer, so a mismatch is reported where it happens.
 * Bytes and table energy per inference follow from the GEMM shapes (8-bit codes, int32 bias, one
 * binary32 multiplier per column or per tensor).
 */
import { gemmTileLatency } from '../dsl/npu/gemm-tile.ts';
import { systolicLatency } from '../dsl/npu/systolic.ts';
import { instantiate } from '../catalog/index.ts';
import { quantGemmTileName, quantGemmTileParams, scheduleQuantGemm } from '../sim/layers/quant-gemm-tiles.ts';
import type { QuantGemmSpec } from '../sim/layers/quant-gemm.ts';
import type { TileShape } from '../examples/mlp/hardware.ts';
import { tableEnergy } from './energy.ts';
import { goldenEnv, rowsOf, type OnnxWorkload } from './onnx-workload.ts';
import type { LayerPlan, PointPlan } from './plan.ts';

/**
 * The analytical cycle of the last output row + 1 of one GEMM on the output-stationary schedule,
 * from the shape alone: per column tile ceil(m/R) blocks of max(k, R) beats and a drain, the last
 * block's last operand at its k-th beat, then the tile latency and R output rows (the digits
 * points' `estimateCycles` is coarser: it ignores the drain between column tiles).
 */
export function gemmCyclesEstimated(spec: Pick<QuantGemmSpec, 'm' | 'k' | 'n'>, shape: TileShape, bias: boolean, requant: boolean): number {
  const { rows: R, cols: C } = shape;
  const latency = gemmTileLatency({ dataflow: 'output_stationary', rows: R, cols: C, rounding: 'double_round', scale: requant ? 'fp32' : 'none', bias });
  const drain = systolicLatency({ dataflow: 'output_stationary', rows: R, cols: C }) + R + 1 + (bias ? 1 : 0);
  const nt = Math.ceil(spec.n / C);
  const mt = Math.ceil(spec.m / R);
  const block = Math.max(spec.k, R);
  // last operand beat (0-based) + latency = first output row; R rows; + 1 for a count
  return (nt - 1) * (mt * block + drain) + (mt - 1) * block + (spec.k - 1) + latency + (R - 1) + 1;
}

export function onnxPlan(w: OnnxWorkload, shape: TileShape, sample: number): PointPlan {
  const n = Math.min(sample, w.eval.dims[0]!);
  const env = goldenEnv(w.lowered, w.inputName, rowsOf(w.eval, 0, n));
  const layers: LayerPlan[] = [];
  const specs: QuantGemmSpec[] = [];
  let cyclesEstimated = 0;
  for (const l of w.lowered.layers) {
    if (l.kind !== 'gemm') continue;
    for (const spec of l.plan(env).specs) {
      const tile = instantiate('gemm_tile', quantGemmTileParams(spec, shape), quantGemmTileName(spec, shape)).design;
      const { schedule } = scheduleQuantGemm(spec, tile, shape);
      layers.push({ tile, testbench: schedule.testbench, stimulus: schedule.stimulus, expected: schedule.expected, cycles: schedule.cycles });
      specs.push(spec);
      cyclesEstimated += gemmCyclesEstimated(spec, shape, spec.bias !== undefined, spec.output.kind === 'requant');
    }
  }
  const outBytes = (s: QuantGemmSpec) => (s.output.kind === 'int32' ? 4 : 1);
  const last = specs[specs.length - 1]!;
  const bytes = {
    weights: specs.reduce((t, s) => t + s.k * s.n, 0),
    bias: specs.reduce((t, s) => t + (s.bias ? 4 * s.n : 0), 0),
    scales: specs.reduce((t, s) => t + (s.output.kind === 'requant' ? 4 * s.output.multiplier.length : 0), 0),
    // every GEMM's A read, every GEMM's output but the last written (and read again as A)
    activations: specs.reduce((t, s) => t + s.m * s.k, 0) / n + specs.slice(0, -1).reduce((t, s) => t + s.m * s.n * outBytes(s), 0) / n,
    outputs: (last.m * last.n * outBytes(last)) / n,
  };
  const total = Object.values(bytes).reduce((a, b) => a + b, 0);
  const energy = tableEnergy({ macs: specs.reduce((t, s) => t + s.m * s.k * s.n, 0) / n, mulBits: 8, outputs: specs.reduce((t, s) => t + s.m * s.n, 0) / n, bytes: total });
  return { accuracy: w.accuracy, floatAccuracy: null, layers, bytes, energy, sample: n, cyclesEstimated };
}
