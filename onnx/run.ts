/**
 * `npugen run`: a lowered ONNX model on generated hardware, checked three ways per layer and input
 * set: hardware (gemm_tile on a simulator via runQuantGemmOnTiles; MatMulNBits on a group_gemm tile
 * of `tile.cols` columns and GROUP_LANES lanes via runGroupGemm) against the golden model, and
 * the golden model against onnxruntime-node. Each layer's hardware run reads the golden inputs of
 * that layer, so a mismatch is reported at the first layer that has one, not smeared downstream.
 */
import { groupGemmTileName, groupGemmTileParams, runGroupGemm, type GroupGemmSpec } from '../sim/layers/group-gemm.ts';
import { instantiate } from '../catalog/index.ts';
import { quantGemmTileName, quantGemmTileParams, runQuantGemmOnTiles, type QuantGemmOutput } from '../sim/layers/quant-gemm.ts';
import { envGet, evalLayer, GROUP_LANES, type Env, type GemmLayer, type GroupLayer } from './layer.ts';
import { stackable, stackSpecs, unstackOutput } from './stack.ts';
import type { LoweredModel } from './lower.ts';
import { openOrtSession, withExtraOutputs } from './ort.ts';
import { type Tensor, shapeString } from './tensor.ts';

export type SimulatorChoice = 'builtin' | 'icarus' | 'verilator';

export interface RunOptions {
  readonly inputSets: readonly ReadonlyMap<string, Tensor>[];
  readonly simulator: SimulatorChoice;
  readonly tile: { readonly rows: number; readonly cols: number };
  readonly onPhase?: (phase: string) => void;
}

export interface LayerReport {
  readonly name: string;
  readonly op: string;
  readonly inputShapes: string;
  readonly outputShape: string;
  readonly formats: string;
  /** Simulated clock cycles over all input sets; null for host layers. */
  readonly cycles: number | null;
  /** Hardware equals the golden model (null: host layer, no hardware). */
  readonly hardwareBitExact: boolean | null;
  /** The golden model equals onnxruntime, bit for bit (layers with a tolerance: within it). */
  readonly onnxruntimeBitExact: boolean;
  readonly bitExact: boolean;
  /** False for a layer compared with a tolerance (see Layer.tolerance); its bitExact then means "within tolerance". */
  readonly exactByConstruction: boolean;
  readonly tolerance?: string;
  /** Layers with a tolerance: the largest |golden - onnxruntime| / bound over every element and input set. */
  readonly worstFractionOfTolerance?: number;
  readonly firstMismatch?: string;
}

export interface RunReport {
  readonly bitExact: boolean;
  readonly reference: 'onnxruntime';
  readonly simulator: SimulatorChoice;
  readonly tile: string;
  readonly inputSets: number;
  readonly inputs: readonly { readonly name: string; readonly dtype: string; readonly dims: readonly number[] }[];
  readonly layers: readonly LayerReport[];
}

/** Index of the first element with |a - b| > tol[i] (float32), or -1. */
function firstBeyond(a: Tensor, b: Tensor, tol: ArrayLike<number>): number {
  if (a.data.length !== b.data.length || tol.length !== a.data.length) return 0;
  for (let i = 0; i < a.data.length; i++) if (!(Math.abs(Number(a.data[i]) - Number(b.data[i])) <= tol[i]!)) return i;
  return -1;
}

/** The largest |a - b| / tol[i] over the tensor (0 where both are 0). */
function worstFraction(a: Tensor, b: Tensor, tol: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(Number(a.data[i]) - Number(b.data[i]));
    if (d > 0) worst = Math.max(worst, d / tol[i]!);
  }
  return worst;
}

/** Index of the first differing element (bitwise for float32, so -0 and +0 differ), or -1. */
export function firstDifference(a: Tensor, b: Tensor): number {
  if (a.data.length !== b.data.length) return 0;
  const x = a.data instanceof Float32Array ? new Uint32Array(a.data.buffer, a.data.byteOffset, a.data.length) : a.data;
  const y = b.data instanceof Float32Array ? new Uint32Array(b.data.buffer, b.data.byteOffset, b.data.length) : b.data;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

function indexString(dims: readonly number[], flat: number): string {
  const idx: number[] = [];
  for (let d = dims.length - 1; d >= 0; d--) {
    idx.unshift(flat % dims[d]!);
    flat = Math.floor(flat / dims[d]!);
  }
  return `[${idx.join(', ')}]`;
}

interface LayerAcc {
  cycles: number;
  worst: number;
  hw: boolean;
  ort: boolean;
  first?: string;
  inputShapes: string;
  outputShape: string;
}

/**
 * The hardware runs of one GEMM layer over every input set: the set's specs are stacked into one
 * GEMM per spec position when they allow it (constant weights), else run one by one.
 */
async function runHardware(layer: GemmLayer, envs: readonly Env[], goldens: readonly Tensor[], opts: RunOptions, acc: LayerAcc): Promise<void> {
  const plans = envs.map((env) => layer.plan(env));
  const outs: QuantGemmOutput[][] = plans.map(() => []);
  const specCount = plans[0]!.specs.length;
  for (let si = 0; si < specCount; si++) {
    const specs = plans.map((p) => p.specs[si]!);
    const groups = specs.every((s) => stackable(specs[0]!, s)) ? [specs.map((_, i) => i)] : specs.map((_, i) => [i]);
    for (const group of groups) {
      const part = group.map((i) => specs[i]!);
      const spec = part.length === 1 ? part[0]! : stackSpecs(part);
      opts.onPhase?.(`${layer.name}: ${spec.m}x${spec.k}x${spec.n} GEMM on ${opts.simulator}, ${opts.tile.rows}x${opts.tile.cols} tile`);
      const instance = instantiate('gemm_tile', quantGemmTileParams(spec, opts.tile), quantGemmTileName(spec, opts.tile));
      const r = await runQuantGemmOnTiles(spec, { tile: opts.tile, simulator: opts.simulator, instance });
      acc.cycles += r.cycles;
      unstackOutput(r.output, part).forEach((y, gi) => outs[group[gi]!]!.push(y));
      if (!r.bitExact && acc.hw) {
        acc.hw = false;
        const fm = r.firstMismatch;
        const sets = group.length === 1 ? `input set ${group[0]}` : `input sets ${group[0]}..${group[group.length - 1]} stacked`;
        acc.first ??= `hardware vs golden, ${sets}, GEMM ${si} (${spec.m}x${spec.k}x${spec.n})${fm ? `: row ${fm.row}, column ${fm.col}: expected ${fm.expected}, got ${fm.actual}; ${fm.detail}` : ''}`;
      }
    }
  }
  plans.forEach((plan, set) => {
    const hwTensor = plan.assemble(outs[set]!);
    const golden = goldens[set]!;
    const d = firstDifference(hwTensor, golden);
    if (d >= 0 && acc.hw) {
      acc.hw = false;
      acc.first ??= `hardware vs golden, input set ${set}, element ${indexString(golden.dims, d)}: golden ${String(golden.data[d])}, hardware ${String(hwTensor.data[d])}`;
    }
  });
}

/** The input sets' group specs as one (constant weights: the activation rows concatenate). */
function stackGroupSpecs(specs: readonly GroupGemmSpec[]): GroupGemmSpec {
  const m = specs.reduce((t, s) => t + s.m, 0);
  const activations = new Uint16Array(m * specs[0]!.k);
  let at = 0;
  for (const s of specs) {
    activations.set(Array.from(s.activations), at);
    at += s.activations.length;
  }
  return { ...specs[0]!, m, activations };
}

/** The hardware run of one group layer: every input set's rows in one group_gemm run, compared per cycle and per output. */
async function runGroupHardware(layer: GroupLayer, envs: readonly Env[], goldens: readonly Tensor[], opts: RunOptions, acc: LayerAcc): Promise<void> {
  const plans = envs.map((env) => layer.plan(env));
  const spec = stackGroupSpecs(plans.map((p) => p.spec));
  const tile = { cols: opts.tile.cols, lanes: GROUP_LANES };
  opts.onPhase?.(`${layer.name}: ${spec.m}x${spec.k}x${spec.n} weight-only GEMM on ${opts.simulator}, group_gemm ${tile.cols} columns x ${tile.lanes} lane`);
  const instance = instantiate('group_gemm', groupGemmTileParams(spec, tile), groupGemmTileName(spec, tile));
  const r = await runGroupGemm(spec, tile, instance, opts.simulator);
  acc.cycles += r.cycles;
  if (!r.bitExact && acc.hw) {
    acc.hw = false;
    acc.first ??= `hardware vs golden: ${r.mismatches} cycle mismatches on group_gemm (${spec.m}x${spec.k}x${spec.n})`;
  }
  let row = 0;
  plans.forEach((plan, set) => {
    const n = plan.spec.n;
    const hwTensor = plan.assemble(r.output.slice(row * n, (row + plan.spec.m) * n));
    row += plan.spec.m;
    const golden = goldens[set]!;
    const d = firstDifference(hwTensor, golden);
    if (d >= 0 && acc.hw) {
      acc.hw = false;
      acc.first ??= `hardware vs golden, input set ${set}, element ${indexString(golden.dims, d)}: golden ${String(golden.data[d])}, hardware ${String(hwTensor.data[d])}`;
    }
  });
}

/** Runs every input set through golden, hardware and onnxruntime; never throws for a mismatch. */
export async function runLoweredModel(modelBytes: Uint8Array, lowered: LoweredModel, opts: RunOptions): Promise<RunReport> {
  const { layers } = lowered;
  const accs = layers.map((): LayerAcc => ({ cycles: 0, worst: 0, hw: true, ort: true, inputShapes: '', outputShape: '' }));
  const envs: Map<string, Tensor>[] = [];
  let session;
  for (const [set, inputs] of opts.inputSets.entries()) {
    const env = new Map<string, Tensor>([...lowered.constants, ...inputs]);
    for (const l of layers) env.set(l.output, evalLayer(l, env));
    envs.push(env);
    if (session === undefined) {
      opts.onPhase?.('loading the model into onnxruntime');
      session = await openOrtSession(withExtraOutputs(modelBytes, layers.map((l) => ({ name: l.output, dtype: envGet(env, l.output).dtype }))));
    }
    opts.onPhase?.(`onnxruntime, input set ${set + 1} of ${opts.inputSets.length}`);
    const ortOut = await session.run(inputs);
    for (const [li, l] of layers.entries()) {
      const acc = accs[li]!;
      const golden = envGet(env, l.output);
      acc.inputShapes = l.inputs.map((x) => shapeString(envGet(env, x).dims)).join(', ');
      acc.outputShape = shapeString(golden.dims);
      const ref = ortOut.get(l.output);
      const tol = l.tolerance?.absolute(golden);
      const d = ref === undefined ? 0 : tol === undefined ? firstDifference(golden, ref) : firstBeyond(golden, ref, tol);
      if (ref !== undefined && tol !== undefined) acc.worst = Math.max(acc.worst, worstFraction(golden, ref, tol));
      if (d >= 0 && acc.ort) {
        acc.ort = false;
        acc.first ??= ref === undefined ? `onnxruntime did not return '${l.output}'` : `golden vs onnxruntime, input set ${set}, element ${indexString(golden.dims, d)}: golden ${String(golden.data[d])}, onnxruntime ${String(ref.data[d])}${tol === undefined ? '' : ` (tolerance ${tol[d]})`}`;
      }
    }
  }
  for (const [li, l] of layers.entries()) {
    if (l.kind === 'gemm') await runHardware(l, envs, envs.map((env) => envGet(env, l.output)), opts, accs[li]!);
    if (l.kind === 'group') await runGroupHardware(l, envs, envs.map((env) => envGet(env, l.output)), opts, accs[li]!);
  }
  await session?.release();
  const reports = layers.map((l, i): LayerReport => {
    const a = accs[i]!;
    const bitExact = a.ort && a.hw;
    return {
      name: l.name, op: l.op, inputShapes: a.inputShapes, outputShape: a.outputShape, formats: l.formats,
      cycles: l.kind !== 'host' ? a.cycles : null, hardwareBitExact: l.kind !== 'host' ? a.hw : null, onnxruntimeBitExact: a.ort, bitExact,
      exactByConstruction: l.tolerance === undefined, ...(l.tolerance !== undefined ? { tolerance: l.tolerance.why, worstFractionOfTolerance: a.worst } : {}),
      ...(a.first !== undefined ? { firstMismatch: a.first } : {}),
    };
  });
  const first = opts.inputSets[0];
  return {
    bitExact: reports.every((r) => r.bitExact), reference: 'onnxruntime', simulator: opts.simulator, tile: `${opts.tile.rows}x${opts.tile.cols}`,
    inputSets: opts.inputSets.length,
    inputs: lowered.model.inputs.map((v) => ({ name: v.name, dtype: v.dtype, dims: first?.get(v.name)?.dims ?? [] })),
    layers: reports,
  };
}
