/**
 * Runs the quantized MLP on generated `gemm_tile` hardware. Each layer is a GEMM
 * Y[m x n] = requant(X[m x k] . W[k x n]) tiled onto an output-stationary R x C tile by the
 * shared host schedule (`sim/layers/os-schedule.ts`): rows of X in groups of R, output channels in
 * groups of C (padded with zero rows, zero weights, zero biases and zero multipliers, whose
 * outputs the golden model computes too). Per column tile the int32 biases (the tile's `bias`
 * ports) and the per-channel or per-tensor multipliers and shifts are held constant; the tile
 * drains before they change.
 *
 * The stimulus and the expected outputs are per cycle (the testbench compares every cycle;
 * `y_*` only where `out_valid` is expected 1). The expected rows come from the golden
 * requantized GEMM on the same padded operands.
 */
import { instantiate } from '../../catalog/index.ts';
import { gemmTileLatency } from '../../dsl/npu/gemm-tile.ts';
import { systolicLatency } from '../../dsl/npu/systolic.ts';
import type { BuiltDesign } from '../../dsl/builder/module.ts';
import type { TestbenchModel } from '../../generators/testbench/model.ts';
import { scheduleOs } from '../../sim/layers/os-schedule.ts';
import { gemmRequantInt8 } from '../../sim/golden/index.ts';
import type { QuantLayer, QuantSpec } from './quantize.ts';

export interface TileShape {
  readonly rows: number;
  readonly cols: number;
}

/** The `gemm_tile` params of the tile for one layer kind of `spec`'s numerics (relu or no clamp), with int32 bias ports. */
export function tileParams(shape: TileShape, spec: QuantSpec, activation: 'relu' | 'none', k: number): Readonly<Record<string, string | number | boolean>> {
  return {
    rows: shape.rows, cols: shape.cols, dataflow: 'output_stationary',
    a: `int${spec.actBits}`, b: `int${spec.weightBits}`, accumulator: 'auto', k,
    output: `int${spec.actBits}`, per_channel: spec.perChannel, rounding: 'double_round', activation, bias: true,
  };
}

/** The tile for one layer kind, built by the generator registry (`instantiate('gemm_tile', tileParams(...))`). */
export function buildTile(shape: TileShape, spec: QuantSpec, activation: 'relu' | 'none', k: number): BuiltDesign {
  return instantiate('gemm_tile', tileParams(shape, spec, activation, k), `mlp_tile_a${spec.actBits}w${spec.weightBits}${spec.perChannel ? '' : '_pt'}_${activation}`).design;
}

/** The tile's latency (last beat to row 0 of Y): array, bias register, requantizer. */
export const tileLatency = (shape: TileShape): number =>
  gemmTileLatency({ dataflow: 'output_stationary', rows: shape.rows, cols: shape.cols, rounding: 'double_round', bias: true });

export interface LayerRun {
  readonly testbench: TestbenchModel;
  readonly stimulus: bigint[][];
  readonly expected: bigint[][];
  /** The golden layer output (m x n, unpadded), which the hardware must reproduce. */
  readonly output: Int8Array;
  readonly cycles: number;
}

const pad = (x: number, q: number) => Math.ceil(x / q) * q;

/** Cycle-level stimulus and expected outputs for one layer on `tile` (schedule: `sim/layers/os-schedule.ts`). */
export function scheduleLayer(tile: BuiltDesign, shape: TileShape, layer: QuantLayer, x: Int8Array<ArrayBufferLike>, m: number, perChannel = true): LayerRun {
  const { rows: R, cols: C } = shape;
  const { k, n } = layer;
  const mp = pad(m, R);
  const np = pad(n, C);
  const xp = new Int8Array(mp * k);
  xp.set(x);
  const wp = new Int8Array(k * np);
  for (let t = 0; t < k; t++) wp.set(layer.weights.subarray(t * n, t * n + n), t * np);
  const mult = new Int32Array(np);
  mult.set(layer.multiplier);
  const shift = new Int32Array(np);
  shift.set(layer.shift);
  const bias = new Int32Array(np);
  bias.set(layer.bias);
  if (!perChannel) {
    // One multiplier and shift per tensor: the padding columns share them too.
    mult.fill(layer.multiplier[0]!);
    shift.fill(layer.shift[0]!);
  }
  const y = gemmRequantInt8(xp, wp, { m: mp, k, n: np }, { bias }, { multiplier: mult, shift, variant: 'double_round', outputZeroPoint: 0, actMin: layer.actMin, actMax: layer.actMax });
  const run = scheduleOs({
    tile, rows: R, cols: C, m, k, n,
    latency: tileLatency(shape),
    drain: systolicLatency({ dataflow: 'output_stationary', rows: R, cols: C }) + R + 2,
    a: (i, t) => BigInt(xp[i * k + t]!),
    b: (t, j) => BigInt(wp[t * np + j]!),
    columnParams: (ct) => {
      const params: Record<string, bigint> = { zero_point: 0n };
      for (let j = 0; j < C; j++) {
        params[`bias_${j}`] = BigInt(bias[ct * C + j]!);
        if (perChannel) {
          params[`multiplier_${j}`] = BigInt(mult[ct * C + j]!);
          params[`shift_${j}`] = BigInt(shift[ct * C + j]!);
        }
      }
      if (!perChannel) {
        params['multiplier'] = BigInt(mult[0]!);
        params['shift'] = BigInt(shift[0]!);
      }
      return params;
    },
    y: (i, j) => BigInt(y[i * np + j]!),
  });
  const output = new Int8Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) output[i * n + j] = y[i * np + j]!;
  return { testbench: run.testbench, stimulus: run.stimulus, expected: run.expected, output, cycles: run.cycles };
}
