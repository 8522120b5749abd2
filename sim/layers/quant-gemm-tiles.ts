/**
 * Runs a `QuantGemmSpec` on generated `gemm_tile` hardware, cycle by cycle, on the built-in
 * simulator, Icarus or Verilator, and compares every output with the golden model.
 *
 * The tile: output-stationary R x C, int8/uint8 operands with zero points subtracted at the
 * inputs (`zero_points`, 9-bit operands), an exact `auto` accumulator (sized for K rounded up to a
 * power of two), `bias` when the spec has one, and `scale: fp32` (onnxruntime's requantizer; per
 * column when the multiplier has N entries) or `scale: none` (int32 output). See
 * `dsl/npu/gemm-tile.ts`.
 *
 * The host schedule (`os-schedule.ts`) pads M to whole row tiles (pad rows of A hold a_zp) and N
 * to whole column tiles (pad columns of B hold 0, with b_zp 0, bias 0, multiplier 1): the padded
 * elements are simulated and checked against the golden model of the padded spec, and dropped
 * from `output`. Expected values are `evalQuantGemm` of the padded spec, whose unpadded part is
 * `evalQuantGemm(spec)` itself (every output element depends only on its row of A and column of
 * B); `golden` and `bitExact` are over the unpadded output.
 *
 * `output` is what the hardware produced: every sampled y on the built-in simulator; on Icarus and
 * Verilator the expected values with every recorded mismatch's value substituted (up to
 * `MAX_RECORDS` are recorded; beyond, `bitExact` is still false).
 */
import type { BuiltDesign } from '../../dsl/builder/module.ts';
import { topModule, type Design } from '../../dsl/ir/nodes.ts';
import { gemmTileLatency } from '../../dsl/npu/gemm-tile.ts';
import { systolicLatency } from '../../dsl/npu/systolic.ts';
import { formatName } from '../../formats/number-format.ts';
import { emitVerilog } from '../../generators/verilog/emit.ts';
import { runTestbench } from '../cosim-run.ts';
import { runBuiltin } from '../cosim/builtin-run.ts';
import { numberToFp32 } from '../golden/float/fast.ts';
import type { Mismatch } from '../results.ts';
import { osScheduleCycles, scheduleOs, type OsSchedule } from './os-schedule.ts';
import { bZeroPointOf, checkQuantGemmSpec, evalQuantGemm, type QType, type QuantGemmOutput, type QuantGemmSpec } from './quant-gemm.ts';
import { describeMismatch } from './quant-gemm-report.ts';

/**
 * A generated `gemm_tile`, as the generator registry's
 * `instantiate('gemm_tile', quantGemmTileParams(spec, tile), quantGemmTileName(spec, tile))`
 * returns it (sim/ may not import the registry, so the caller instantiates).
 */
export interface QuantGemmTile {
  readonly design: BuiltDesign;
  /** The parsed params the tile was built with (checked against the spec and shape). */
  readonly params: Readonly<Record<string, unknown>>;
}

export interface TileRunOptions {
  readonly tile: { readonly rows: number; readonly cols: number };
  /** The tile instance for `spec` and `tile` (see `QuantGemmTile`). */
  readonly instance: QuantGemmTile;
  readonly simulator: 'builtin' | 'icarus' | 'verilator';
  /** Icarus/Verilator run directory (default: a fresh temp directory) and compile cache (default: the project's). */
  readonly runDir?: string;
  readonly cacheDir?: string;
  /** Tests only: replaces the generated tile (to plant a fault) before it is simulated. */
  readonly plant?: (tile: Design) => Design;
}

export interface QuantGemmMismatch {
  /** Output element (row of A, column of B); -1, -1 for a protocol mismatch (out_valid). */
  readonly row: number;
  readonly col: number;
  readonly expected: number;
  readonly actual: number;
  /** The values decoded in their formats, the accumulator and the operands that produced it. */
  readonly detail: string;
}

export interface QuantGemmRun {
  /** What the hardware produced (M x N, row-major; see the module doc). */
  readonly output: QuantGemmOutput;
  /** `evalQuantGemm(spec)`. */
  readonly golden: QuantGemmOutput;
  readonly bitExact: boolean;
  /** Clock cycles the schedule ran, every one compared (the testbench's checked vectors). */
  readonly cycles: number;
  /** The schedule's cycle count from the shape alone (`osScheduleCycles`). */
  readonly cyclesEstimated?: number;
  readonly firstMismatch?: QuantGemmMismatch;
  /** Mismatching (cycle, port) pairs, all counted. */
  readonly mismatches: number;
  /** The generated tile's top-level module name. */
  readonly tileName: string;
}

/** Mismatch records kept from an RTL simulator. */
export const MAX_RECORDS = 1000;

const isRequant = (s: QuantGemmSpec): boolean => s.output.kind === 'requant';

/**
 * The `gemm_tile` params of the tile a spec runs on: R x C output-stationary, zero points at the
 * inputs, its exact `auto` accumulator sized for K rounded up to a power of two (still exact for K
 * terms; layers whose K differ a little share one tile, so one simulator build), `scale: fp32`
 * (per column when the multiplier has N entries) or `none`, `bias` when the spec has one.
 */
export function quantGemmTileParams(spec: QuantGemmSpec, tile: TileRunOptions['tile']): Readonly<Record<string, string | number | boolean>> {
  const out = spec.output;
  return {
    rows: tile.rows, cols: tile.cols, dataflow: 'output_stationary',
    a: spec.a.type, b: spec.b.type, accumulator: 'auto', k: 2 ** Math.ceil(Math.log2(spec.k)),
    output: out.kind === 'requant' ? out.type : 'int32',
    per_channel: out.kind === 'requant' && out.multiplier.length !== 1, rounding: 'double_round', activation: 'none',
    scale: out.kind === 'requant' ? 'fp32' : 'none', zero_points: true, bias: spec.bias !== undefined,
  };
}

/** The tile's module name. */
export function quantGemmTileName(spec: QuantGemmSpec, tile: TileRunOptions['tile']): string {
  const out = spec.output;
  const mode = out.kind === 'requant' ? `${out.type}${out.multiplier.length !== 1 ? '_pc' : ''}` : 'i32';
  return `qgemm_${spec.a.type}_${spec.b.type}_${mode}${spec.bias ? '_bias' : ''}_${tile.rows}x${tile.cols}_k${2 ** Math.ceil(Math.log2(spec.k))}`;
}

/** Throws a RangeError naming the first tile param that is not the one the spec and shape need. */
function checkTile(spec: QuantGemmSpec, tile: TileRunOptions['tile'], instance: QuantGemmTile): void {
  for (const [key, want] of Object.entries(quantGemmTileParams(spec, tile))) {
    const v = instance.params[key];
    const got = typeof v === 'object' && v !== null && 'kind' in v ? formatName(v as Parameters<typeof formatName>[0]) : v;
    if (got !== want) throw new RangeError(`quant GEMM: the tile was built with ${key} = ${String(got)}, the layer needs ${String(want)}`);
  }
}

/** The spec padded to whole tiles (see the module doc). */
export function padQuantGemmSpec(spec: QuantGemmSpec, tile: TileRunOptions['tile']): QuantGemmSpec {
  const { m, k, n } = spec;
  const mp = Math.ceil(m / tile.rows) * tile.rows;
  const np = Math.ceil(n / tile.cols) * tile.cols;
  const make = (t: QType, len: number) => (t === 'int8' ? new Int8Array(len) : new Uint8Array(len));
  const a = make(spec.a.type, mp * k);
  a.set(spec.a.data);
  a.fill(spec.a.zeroPoint, m * k);
  const b = make(spec.b.type, k * np);
  for (let t = 0; t < k; t++) b.set(spec.b.data.subarray(t * n, t * n + n), t * np);
  const bz = Int32Array.from({ length: np }, (_, j) => (j < n ? bZeroPointOf(spec, j) : 0));
  const pad32 = (x: Int32Array): Int32Array => { const r = new Int32Array(np); r.set(x); return r; };
  const out = spec.output;
  const output = out.kind === 'int32' || out.multiplier.length === 1 ? out
    : { ...out, multiplier: Float32Array.from({ length: np }, (_, j) => (j < n ? out.multiplier[j]! : 1)) };
  return {
    m: mp, k, n: np,
    a: { type: spec.a.type, data: a, zeroPoint: spec.a.zeroPoint },
    b: { type: spec.b.type, data: b, zeroPoint: bz },
    ...(spec.bias ? { bias: pad32(spec.bias) } : {}),
    output,
  };
}

/** The cycle-level schedule of `spec` on `tile` (exported for the analytical checks). */
export function scheduleQuantGemm(spec: QuantGemmSpec, tileDesign: BuiltDesign, tile: TileRunOptions['tile']): { schedule: OsSchedule; padded: QuantGemmSpec; paddedGolden: QuantGemmOutput; estimate: number } {
  const { rows: R, cols: C } = tile;
  const padded = padQuantGemmSpec(spec, tile);
  const paddedGolden = evalQuantGemm(padded);
  const bias = spec.bias !== undefined;
  const scale = isRequant(spec) ? 'fp32' : 'none';
  const latency = gemmTileLatency({ dataflow: 'output_stationary', rows: R, cols: C, rounding: 'double_round', scale, bias });
  // Parameters stay until the last row left the array, went through the bias stage and was sampled.
  const drain = systolicLatency({ dataflow: 'output_stationary', rows: R, cols: C }) + R + 1 + (bias ? 1 : 0);
  const { k, n } = spec;
  const np = padded.n;
  const out = padded.output;
  const columnParams = (ct: number): Record<string, bigint> => {
    const prm: Record<string, bigint> = { a_zero_point: BigInt(spec.a.zeroPoint) };
    for (let j = 0; j < C; j++) {
      const col = ct * C + j;
      prm[`b_zero_point_${j}`] = BigInt(bZeroPointOf(padded, col));
      if (padded.bias) prm[`bias_${j}`] = BigInt(padded.bias[col]!);
      if (out.kind === 'requant' && out.multiplier.length !== 1) prm[`multiplier_${j}`] = BigInt(numberToFp32(out.multiplier[col]!));
    }
    if (out.kind === 'requant') {
      if (out.multiplier.length === 1) prm['multiplier'] = BigInt(numberToFp32(out.multiplier[0]!));
      prm['zero_point'] = BigInt(out.zeroPoint);
      prm['out_min'] = BigInt(out.min);
      prm['out_max'] = BigInt(out.max);
    }
    return prm;
  };
  const schedule = scheduleOs({
    tile: tileDesign, rows: R, cols: C, m: spec.m, k, n, latency, drain,
    a: (i, t) => BigInt(padded.a.data[i * k + t]!),
    b: (t, j) => BigInt(padded.b.data[t * np + j]!),
    columnParams,
    y: (i, j) => BigInt(paddedGolden[i * np + j]!),
  });
  return { schedule, padded, paddedGolden, estimate: osScheduleCycles({ rows: R, cols: C, m: spec.m, k, n, latency, drain }) };
}

export async function runQuantGemmOnTiles(spec: QuantGemmSpec, opts: TileRunOptions): Promise<QuantGemmRun> {
  checkQuantGemmSpec(spec);
  const { rows: R, cols: C } = opts.tile;
  if (!Number.isInteger(R) || !Number.isInteger(C) || R < 1 || C < 1 || R > 64 || C > 64) throw new RangeError(`quant gemm: the tile must be R x C with 1 <= R, C <= 64, got ${R}x${C}`);
  const golden = evalQuantGemm(spec);
  checkTile(spec, opts.tile, opts.instance);
  const generated = opts.instance.design;
  const tile = opts.plant ? opts.plant(generated) : generated;
  const { schedule, padded, paddedGolden, estimate } = scheduleQuantGemm(spec, generated, opts.tile);
  const actualPadded = paddedGolden.slice();
  let mismatchRecords: readonly Mismatch[];
  let mismatches: number;
  let checked: number;
  const yIndex = new Map(schedule.testbench.outputs.map((p, i) => [p.name, i]));
  if (opts.simulator === 'builtin') {
    const r = runBuiltin(tile, schedule.testbench, schedule.stimulus, schedule.expected, MAX_RECORDS);
    for (const [v, o] of schedule.outputRows) for (let j = 0; j < C; j++) actualPadded[o.row * padded.n + o.col0 + j] = Number(r.outputs[v]![yIndex.get(`y_${j}`)!]!);
    ({ mismatches: mismatchRecords } = r);
    mismatches = r.counts.mismatches;
    checked = r.counts.checked;
  } else {
    const sources = emitVerilog(tile).map((f) => ({ name: f.fileName, text: f.text }));
    const r = await runTestbench({
      model: schedule.testbench, sources, stimulus: schedule.stimulus, expected: schedule.expected, simulator: opts.simulator, maxMismatchRecords: MAX_RECORDS,
      ...(opts.runDir !== undefined ? { runDir: opts.runDir } : {}), ...(opts.cacheDir !== undefined ? { cacheDir: opts.cacheDir } : {}),
    });
    mismatchRecords = r.mismatches;
    for (const mm of r.mismatches) {
      const o = schedule.outputRows.get(mm.vectorIndex);
      const j = /^y_(\d+)$/.exec(mm.port);
      if (o && j && mm.got !== null) actualPadded[o.row * padded.n + o.col0 + Number(j[1])] = Number(BigInt.asIntN(64, mm.got));
    }
    mismatches = r.counts.mismatches;
    checked = r.counts.checked;
  }
  const output = golden.slice();
  for (let i = 0; i < spec.m; i++) for (let j = 0; j < spec.n; j++) output[i * spec.n + j] = actualPadded[i * padded.n + j]!;
  const first = mismatchRecords[0];
  const bitExact = mismatches === 0 && checked === schedule.cycles;
  return {
    output, golden, bitExact, cycles: checked, cyclesEstimated: estimate, mismatches, tileName: topModule(generated).name,
    ...(first ? { firstMismatch: describeMismatch(spec, padded, schedule, first) } : checked !== schedule.cycles ? { firstMismatch: { row: -1, col: -1, expected: schedule.cycles, actual: checked, detail: `the simulation checked ${checked} of ${schedule.cycles} cycles` } } : {}),
  };
}
