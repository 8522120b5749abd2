/**
 * Runs the quantized MLP on generated `gemm_tile` hardware. Each layer is a GEMM
 * Y[m x n] = requant(X[m x k] . W[k x n]) tiled onto an output-stationary R x C tile: rows of X
 * in groups of R, output channels in groups of C (padded with zero rows, zero weights and zero
 * multipliers, whose outputs the golden model computes too). Per column tile the per-channel
 * multipliers and shifts are held constant; the tile drains before they change.
 *
 * The stimulus and the expected outputs are per cycle (the testbench compares every cycle;
 * `y_*` only where `out_valid` is expected 1). The expected rows come from the golden
 * requantized GEMM on the same padded operands.
 */
import { buildGemmTile, gemmTileLatency } from '../../dsl/npu/gemm-tile.ts';
import { intFormat } from '../../dsl/types/format-string.ts';
import { systolicLatency } from '../../dsl/npu/systolic.ts';
import type { BuiltDesign } from '../../dsl/builder/module.ts';
import type { TestbenchModel } from '../../generators/testbench/model.ts';
import { testbenchModelOf } from '../../sim/cosim/ir-testbench.ts';
import { gemmRequantInt8 } from '../../sim/golden/index.ts';
import type { QuantLayer } from './quantize.ts';

export interface TileShape {
  readonly rows: number;
  readonly cols: number;
}

/** The tile for one layer kind: int8 activations, int8 or int4 weights, relu or no clamp. */
export function buildTile(shape: TileShape, weightBits: 8 | 4, activation: 'relu' | 'none', k: number): BuiltDesign {
  return buildGemmTile({
    name: `mlp_tile_w${weightBits}_${activation}`, rows: shape.rows, cols: shape.cols, dataflow: 'output_stationary',
    a: intFormat(8, true), b: intFormat(weightBits, true), accumulator: 'auto', k,
    output: intFormat(8, true), per_channel: true, rounding: 'double_round', activation,
  });
}

export interface LayerRun {
  readonly testbench: TestbenchModel;
  readonly stimulus: bigint[][];
  readonly expected: bigint[][];
  /** The golden layer output (m x n, unpadded), which the hardware must reproduce. */
  readonly output: Int8Array;
  readonly cycles: number;
}

const pad = (x: number, q: number) => Math.ceil(x / q) * q;

/** Cycle-level stimulus and expected outputs for one layer on `tile`. */
export function scheduleLayer(tile: BuiltDesign, shape: TileShape, layer: QuantLayer, x: Int8Array<ArrayBufferLike>, m: number): LayerRun {
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
  const y = gemmRequantInt8(xp, wp, { m: mp, k, n: np }, {}, { multiplier: mult, shift, variant: 'double_round', outputZeroPoint: 0, actMin: layer.actMin, actMax: layer.actMax });

  const base = testbenchModelOf(tile, 0, 0);
  const outNames = base.outputs.map((p) => p.name);
  const latency = gemmTileLatency({ dataflow: 'output_stationary', rows: R, cols: C, rounding: 'double_round' });
  const drain = systolicLatency({ dataflow: 'output_stationary', rows: R, cols: C }) + R + 1;
  const stimulus: Record<string, bigint>[] = [];
  const expected = new Map<number, Record<string, bigint>>();
  for (let ct = 0; ct < np / C; ct++) {
    const params: Record<string, bigint> = { zero_point: 0n };
    for (let j = 0; j < C; j++) {
      params[`multiplier_${j}`] = BigInt(mult[ct * C + j]!);
      params[`shift_${j}`] = BigInt(shift[ct * C + j]!);
    }
    for (let bt = 0; bt < mp / R; bt++) {
      for (let t = 0; t < k; t++) {
        const row: Record<string, bigint> = { ...params, in_valid: 1n, last: t === k - 1 ? 1n : 0n };
        for (let i = 0; i < R; i++) row[`a_${i}`] = BigInt(xp[(bt * R + i) * k + t]!);
        for (let j = 0; j < C; j++) row[`b_${j}`] = BigInt(wp[t * np + ct * C + j]!);
        stimulus.push(row);
      }
      const last = stimulus.length - 1;
      for (let s = 0; s < R; s++) {
        const out: Record<string, bigint> = { out_valid: 1n };
        for (let j = 0; j < C; j++) out[`y_${j}`] = BigInt(y[(bt * R + s) * np + ct * C + j]!);
        expected.set(last + latency + s, out);
      }
    }
    // Drain before the next column tile's parameters take over.
    for (let i = 0; i < drain; i++) stimulus.push({ ...params, in_valid: 0n, last: 0n });
  }
  for (let i = 0; i < latency; i++) stimulus.push({ zero_point: 0n, in_valid: 0n, last: 0n });
  const rows = stimulus.map((r) => base.inputs.map((p) => r[p.name] ?? 0n));
  const exp = rows.map((_, c) => {
    const e = expected.get(c);
    return outNames.map((name) => (e ? e[name]! : 0n));
  });
  const testbench: TestbenchModel = {
    ...base,
    vectorCount: rows.length,
    outputs: base.outputs.map((p) => (p.name === 'out_valid' ? p : { ...p, validBy: 'out_valid' })),
  };
  const output = new Int8Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) output[i * n + j] = y[i * np + j]!;
  return { testbench, stimulus: rows, expected: exp, output, cycles: rows.length };
}
