/**
 * A weight-only quantized layer Y[M×N] = X[M×K] · dequant(W)ᵀ on generated `group_gemm` tiles,
 * and its golden evaluation.
 *
 * The spec carries ONNX `MatMulNBits` (com.microsoft, bits = 4) after unpacking, unchanged in
 * layout: `weights` is B as N rows of Kp = ceil(K / groupSize)·groupSize 4-bit codes (row n =
 * output feature n; element 2i of a packed byte is its low nibble), `scales` N × groups (row-major,
 * as MatMulNBits' [N · K/block]), `zeroPoints` N × groups codes 0..15 or absent (MatMulNBits'
 * default 8). Scales are fp16 codes (MatMulNBits with T1 = float16; fp32 scales must be rounded to
 * fp16 by the caller, which changes the model). Activations are M × K fp16/bf16 codes or int8
 * values with `activationScales` M × groups fp16 codes (per-group activation quantization, as
 * ggml q8_0 or onnxruntime's accuracy_level 4).
 *
 * Schedule (the golden model mirrors it): output columns in blocks of `cols`; for each block and
 * each row m of X, the Kp/lanes beats of one dot product (the first with `first` = 1); K is padded
 * to Kp with activation +0 (int8: 0), N to a multiple of `cols` with all-zero weight rows, scales
 * and zero points (their outputs are computed but not returned). Y[m, n] is `acc_out` of column
 * n mod cols the cycle after the row's last beat. The per-cycle expectation is the golden
 * transaction model's; `evalGroupGemm` (golden `groupDot` per output) must agree with it at every
 * dot product's end, which the scheduler checks.
 */
import type { BuiltDesign } from '../../dsl/builder/module.ts';
import { emitVerilog } from '../../generators/verilog/emit.ts';
import type { TestbenchModel } from '../../generators/testbench/model.ts';
import { groupDot, type GroupActivation, type GroupDatapath } from '../golden/accel/group-dot.ts';
import { testbenchModelOf } from '../cosim/ir-testbench.ts';
import { runBuiltin } from '../cosim/builtin-run.ts';
import { runTestbench, type SimulatorName } from '../cosim-run.ts';
import type { TransactionModel } from '../models/types.ts';

/** MatMulNBits' default zero point when the model has none. */
export const MATMULNBITS_DEFAULT_ZERO_POINT = 8;

export interface GroupGemmSpec {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly groupSize: number;
  readonly datapath: GroupDatapath;
  readonly activation: GroupActivation;
  /** N × Kp codes 0..15 (Kp = groups · groupSize). */
  readonly weights: ArrayLike<number>;
  /** N × groups fp16 codes. */
  readonly scales: ArrayLike<number>;
  /** N × groups codes 0..15; absent = 8 everywhere. */
  readonly zeroPoints?: ArrayLike<number>;
  /** M × K: fp16/bf16 codes, or int8 values. */
  readonly activations: ArrayLike<number>;
  /** int8 activations: M × groups fp16 codes. */
  readonly activationScales?: ArrayLike<number>;
}

export interface GroupTileShape {
  readonly cols: number;
  readonly lanes: number;
}

/**
 * A generated `group_gemm` tile and its golden transaction model, as the generator registry's
 * `instantiate('group_gemm', groupGemmTileParams(spec, shape), groupGemmTileName(spec, shape))`
 * returns them (sim/ may not import the registry, so the caller instantiates).
 */
export interface GroupGemmTile {
  readonly design: BuiltDesign;
  readonly model: TransactionModel;
  /** The parsed params the tile was built with (checked against the spec and shape). */
  readonly params: Readonly<Record<string, unknown>>;
}

/** The `group_gemm` params of the tile a spec runs on with `shape`. */
export function groupGemmTileParams(s: Pick<GroupGemmSpec, 'datapath' | 'activation' | 'groupSize'>, shape: GroupTileShape): Readonly<Record<string, string | number>> {
  return { datapath: s.datapath, activation: s.activation, group_size: s.groupSize, lanes: shape.lanes, cols: shape.cols };
}

/** The tile's module name. */
export function groupGemmTileName(s: Pick<GroupGemmSpec, 'datapath' | 'activation' | 'groupSize'>, shape: GroupTileShape): string {
  return `group_gemm_${s.datapath}_${s.activation}_g${s.groupSize}_${shape.cols}x${shape.lanes}`;
}

/** Throws a RangeError naming the first tile param that is not the one the spec and shape need. */
function checkTile(s: GroupGemmSpec, shape: GroupTileShape, tile: GroupGemmTile): void {
  for (const [key, want] of Object.entries(groupGemmTileParams(s, shape))) {
    if (tile.params[key] !== want) throw new RangeError(`group GEMM: the tile was built with ${key} = ${String(tile.params[key])}, the layer needs ${want}`);
  }
}

export const groupsOf = (s: Pick<GroupGemmSpec, 'k' | 'groupSize'>): number => Math.ceil(s.k / s.groupSize);

/** Throws a RangeError naming the first field whose length or range does not fit the shape. */
export function checkGroupGemmSpec(s: GroupGemmSpec): void {
  const g = groupsOf(s);
  const want: [string, ArrayLike<number> | undefined, number][] = [
    ['weights', s.weights, s.n * g * s.groupSize], ['scales', s.scales, s.n * g], ['zeroPoints', s.zeroPoints, s.n * g],
    ['activations', s.activations, s.m * s.k], ['activationScales', s.activationScales, s.m * g],
  ];
  for (const [name, arr, len] of want) if (arr !== undefined && arr.length !== len) throw new RangeError(`group GEMM spec: ${name} has ${arr.length} entries, expected ${len} for M=${s.m}, K=${s.k}, N=${s.n}, group ${s.groupSize}`);
  if (s.activation === 'int8' && s.activationScales === undefined) throw new RangeError('group GEMM spec: int8 activations need activationScales (M × groups fp16 codes)');
  for (let i = 0; i < s.weights.length; i++) if (!(s.weights[i]! >= 0 && s.weights[i]! <= 15)) throw new RangeError(`group GEMM spec: weights[${i}] = ${s.weights[i]} is not a 4-bit code`);
}

/** Row m of the activations padded to Kp with zeros. */
function paddedRow(s: GroupGemmSpec, m: number): number[] {
  const kp = groupsOf(s) * s.groupSize;
  const row = new Array<number>(kp).fill(0);
  for (let k = 0; k < s.k; k++) row[k] = s.activations[m * s.k + k]!;
  return row;
}

/** The golden layer: Y[m·N + n] = fp32 code of golden `groupDot` over the padded row (beats of `lanes`). */
export function evalGroupGemm(s: GroupGemmSpec, lanes: number): Uint32Array {
  checkGroupGemmSpec(s);
  const g = groupsOf(s);
  const kp = g * s.groupSize;
  const y = new Uint32Array(s.m * s.n);
  for (let m = 0; m < s.m; m++) {
    const x = paddedRow(s, m);
    const xScales = s.activationScales ? Array.from({ length: g }, (_, j) => s.activationScales![m * g + j]!) : undefined;
    for (let n = 0; n < s.n; n++) {
      const zeros = Array.from({ length: g }, (_, j) => (s.zeroPoints ? s.zeroPoints[n * g + j]! : MATMULNBITS_DEFAULT_ZERO_POINT));
      y[m * s.n + n] = groupDot({
        datapath: s.datapath, activation: s.activation, groupSize: s.groupSize, lanes,
        q: Array.from({ length: kp }, (_, k) => s.weights[n * kp + k]!), x,
        scales: Array.from({ length: g }, (_, j) => s.scales[n * g + j]!), zeros, ...(xScales ? { xScales } : {}),
      });
    }
  }
  return y;
}

export interface GroupGemmRun {
  readonly design: BuiltDesign;
  readonly testbench: TestbenchModel;
  readonly stimulus: bigint[][];
  readonly expected: bigint[][];
  /** The golden layer output (M × N fp32 codes), which the hardware must reproduce. */
  readonly output: Uint32Array;
  readonly cycles: number;
}

/** The cycle-level stimulus and expectation of the whole layer on a `shape` tile (`tile`, built for it). */
export function scheduleGroupGemm(s: GroupGemmSpec, shape: GroupTileShape, tile: GroupGemmTile): GroupGemmRun {
  checkGroupGemmSpec(s);
  checkTile(s, shape, tile);
  const { cols: C, lanes: L } = shape;
  const { design, model } = tile;
  const g = groupsOf(s);
  const kp = g * s.groupSize;
  const output = evalGroupGemm(s, L);
  const stimulus: bigint[][] = [];
  const ends: [row: number, m: number, nBase: number][] = [];
  for (let nb = 0; nb < Math.ceil(s.n / C); nb++) {
    for (let m = 0; m < s.m; m++) {
      const x = paddedRow(s, m);
      for (let b = 0; b < kp / L; b++) {
        const grp = Math.floor((b * L) / s.groupSize);
        const row: bigint[] = [1n, b === 0 ? 1n : 0n, ...x.slice(b * L, b * L + L).map(BigInt)];
        if (s.activation === 'int8') row.push(BigInt(s.activationScales![m * g + grp]!));
        for (let c = 0; c < C; c++) {
          const n = nb * C + c;
          const real = n < s.n;
          for (let i = 0; i < L; i++) row.push(real ? BigInt(s.weights[n * kp + b * L + i]!) : 0n);
          row.push(real ? BigInt(s.scales[n * g + grp]!) : 0n);
          row.push(real ? BigInt(s.zeroPoints ? s.zeroPoints[n * g + grp]! : MATMULNBITS_DEFAULT_ZERO_POINT) : 0n);
        }
        stimulus.push(row);
      }
      ends.push([stimulus.length - 1, m, nb * C]);
    }
  }
  const expected = model.expected(stimulus);
  for (const [r, m, n0] of ends) {
    for (let c = 0; c < C && n0 + c < s.n; c++) {
      if (expected[r]![c] !== BigInt(output[m * s.n + n0 + c]!)) throw new Error(`internal: golden groupDot and the transaction model disagree at m=${m}, n=${n0 + c}`);
    }
  }
  const testbench = testbenchModelOf(design, stimulus.length, 1);
  return { design, testbench, stimulus, expected, output, cycles: stimulus.length };
}

export interface GroupGemmResult {
  readonly output: Uint32Array;
  readonly bitExact: boolean;
  readonly mismatches: number;
  readonly cycles: number;
  readonly simulator: SimulatorName | 'builtin';
}

/** Runs the layer on `tile` (a `shape` group_gemm) on the simulator and compares every output of every cycle with the golden model. */
export async function runGroupGemm(s: GroupGemmSpec, shape: GroupTileShape, tile: GroupGemmTile, simulator: SimulatorName | 'builtin', runDir?: string): Promise<GroupGemmResult> {
  const run = scheduleGroupGemm(s, shape, tile);
  let mismatches: number;
  if (simulator === 'builtin') {
    mismatches = runBuiltin(run.design, run.testbench, run.stimulus, run.expected, 10).counts.mismatches;
  } else {
    const sources = emitVerilog(run.design).map((f) => ({ name: f.fileName, text: f.text }));
    const r = await runTestbench({ model: run.testbench, sources, stimulus: run.stimulus, expected: run.expected, simulator, maxMismatchRecords: 10, ...(runDir ? { runDir } : {}) });
    // A run that stopped early checked fewer cycles than it was given: never call that exact.
    mismatches = r.counts.mismatches + (r.counts.checked === run.cycles ? 0 : 1);
  }
  return { output: run.output, bitExact: mismatches === 0, mismatches, cycles: run.cycles, simulator };
}

/**
 * MatMulNBits' packed B (uint8 [N, nBlocks, blockSize / 2], element 2i of a block in the low
 * nibble of byte i, 2i + 1 in the high nibble) as the spec's `weights` (N × nBlocks·blockSize codes).
 */
export function unpackMatMulNBitsWeights(packed: ArrayLike<number>, n: number, nBlocks: number, blockSize: number): Uint8Array {
  const kp = nBlocks * blockSize;
  if (packed.length !== (n * kp) / 2) throw new RangeError(`MatMulNBits B: ${packed.length} bytes, expected N·nBlocks·blockSize/2 = ${(n * kp) / 2}`);
  const out = new Uint8Array(n * kp);
  for (let i = 0; i < packed.length; i++) {
    out[2 * i] = packed[i]! & 0x0f;
    out[2 * i + 1] = packed[i]! >> 4;
  }
  return out;
}

/**
 * MatMulNBits' packed zero points (uint8 [N · ceil(nBlocks / 2)], per row n block j in byte j/2,
 * even j in the low nibble) as the spec's `zeroPoints` (N × nBlocks codes).
 */
export function unpackMatMulNBitsZeroPoints(packed: ArrayLike<number>, n: number, nBlocks: number): Uint8Array {
  const perRow = Math.ceil(nBlocks / 2);
  if (packed.length !== n * perRow) throw new RangeError(`MatMulNBits zero_points: ${packed.length} bytes, expected N·ceil(nBlocks/2) = ${n * perRow}`);
  const out = new Uint8Array(n * nBlocks);
  for (let r = 0; r < n; r++) for (let j = 0; j < nBlocks; j++) {
    const byte = packed[r * perRow + (j >> 1)]!;
    out[r * nBlocks + j] = j % 2 === 0 ? byte & 0x0f : byte >> 4;
  }
  return out;
}
