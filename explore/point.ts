/**
 * One point of a sweep, measured: golden accuracy on the whole test split; the point's tiles'
 * RTL (gemm_tile, or a float systolic_array: explore/plan.ts) on Verilator for `rtlSample` test images, both layers, compared bit for bit and cycle for
 * cycle (`rtlVerified`); yosys area of the layer-1 tile; its gate-level netlist simulated on the
 * same vectors (explore/hardware.ts; `gateLevelVerified`: area and Fmax are reported either way, and the flag says
 * whether to trust them); nextpnr-ice40 Fmax of that netlist (explore/hardware.ts); cycles from the RTL run beside an analytical
 * estimate; bytes moved and table energy per inference.
 */
import { join } from 'node:path';
import { emitVerilog } from '../generators/verilog/emit.ts';
import { runTestbench } from '../sim/cosim-run.ts';
import { runBuiltin } from '../sim/cosim/builtin-run.ts';
import type { TileShape } from '../examples/mlp/hardware.ts';
import { measureHardware, type HwOutcome } from './hardware.ts';
import { planPoint, type Bytes, type LayerPlan, type PointPlan } from './plan.ts';
import { onnxWorkloadOf } from './onnx-workload.ts';
import type { Device, Qat, ScaleMode, Sweep } from './sweep.ts';

/**
 * `full`: the point's Verilog on Verilator, yosys with a gate-level check, nextpnr. `quick`: the
 * tiles on the built-in simulator (the IR, not the Verilog) and no synthesis: accuracy, cycles,
 * bytes and table energy in seconds, never `rtlVerified`.
 */
export type Flow = 'full' | 'quick';

export interface PointSpec {
  readonly id: string;
  /** The workload: 'digits-mlp', or the ONNX model's file name (without .onnx). */
  readonly model: string;
  /** ONNX models: sha256 of the model, eval and labels files (so the cache key follows their contents). */
  readonly modelHash?: string;
  /** Position in the sweep's enumeration (merged shards are put back in this order). */
  readonly index: number;
  readonly precision: string;
  readonly tile: string;
  /** Weight scales of integer points; `none` for float points. */
  readonly scales: ScaleMode | 'none';
  /** Quantization-aware training (on) or post-training quantization (off). */
  readonly qat: Qat;
  readonly device: Device;
  readonly rtlSample: number;
  readonly flow: Flow;
}


export interface PointResult extends PointSpec {
  readonly accuracy: number;
  readonly floatAccuracy: number | null;
  /** ONNX models: the golden output equalled onnxruntime's on every eval row (checked once per sweep). */
  readonly onnxruntimeAgrees?: boolean;
  readonly luts: number | null;
  readonly ffs: number | null;
  readonly dsps: number | null;
  readonly brams: number | null;
  readonly fmaxMHz: number | null;
  readonly fmaxNote?: string;
  /** Cycles per inference from the RTL run (rtlSample images streamed through both layers). */
  readonly cycles: number;
  readonly cyclesEstimated: number;
  /** (estimated - measured) / measured. */
  readonly cyclesError: number;
  readonly bytesPerInference: number;
  readonly bytes: Bytes;
  readonly energyPj: { readonly table: number; readonly toggle: number | null };
  readonly energyAssumptions: readonly string[];
  /** The point's Verilog ran on Verilator bit- and cycle-exactly (always false in the quick flow). */
  readonly rtlVerified: boolean;
  /** The simulation that ran (Verilator in the full flow, the built-in simulator in the quick one) was bit- and cycle-exact. */
  readonly simVerified: boolean;
  readonly gateLevelVerified: boolean;
  readonly gateLevelNote?: string;
  /** The point that synthesized and placed and routed this point's tile (the same Verilog; this point ran its own gate-level check). */
  readonly hardwareSharedWith?: string;
  readonly pareto: { readonly luts: boolean; readonly energy: boolean; readonly latency: boolean };
  readonly reproduce: readonly string[];
  readonly phaseMs: Readonly<Record<string, number>>;
}

/** The cross product of the sweep's axes, in a fixed order (ids are unique). An ONNX sweep needs its loaded workload's name and hash. */
export function enumeratePoints(s: Sweep, flow: Flow = 'full', onnx?: { readonly name: string; readonly hash: string }): PointSpec[] {
  const out: PointSpec[] = [];
  if (s.model === 'onnx') {
    if (!onnx) throw new Error('internal: an ONNX sweep is enumerated with its workload');
    // The model fixes its numerics: one point per tile.
    for (const t of s.tiles) {
      const tile = `${t.rows}x${t.cols}`;
      out.push({ index: out.length, flow, id: `${onnx.name}_${tile}`, model: onnx.name, modelHash: onnx.hash, precision: 'onnx', tile, scales: 'none', qat: 'off', device: s.device, rtlSample: s.rtlSample });
    }
    return out;
  }
  const model = 'digits-mlp';
  for (const p of s.precisions) for (const t of s.tiles) {
    const tile = `${t.rows}x${t.cols}`;
    if (p.kind === 'float') {
      // Scales and QAT are integer axes: one float point per tile.
      out.push({ index: out.length, flow, id: `${p.name}_${tile}`, model, precision: p.name, tile, scales: 'none', qat: 'off', device: s.device, rtlSample: s.rtlSample });
      continue;
    }
    for (const scales of s.scales) for (const qat of s.qat) out.push({ index: out.length, flow, id: `${p.name}_${tile}${scales === 'per_tensor' ? '_pt' : ''}${qat === 'on' ? '_qat' : ''}`, model, precision: p.name, tile, scales, qat, device: s.device, rtlSample: s.rtlSample });
  }
  return out;
}

const shapeOf = (tile: string): TileShape => {
  const [r, c] = tile.split('x').map(Number);
  return { rows: r!, cols: c! };
};

export interface PointContext {
  readonly runDir: string;
  readonly sweepFile: string;
  readonly outDir: string;
  readonly onPhase?: (phase: string) => void;
  /** Limit per yosys / nextpnr / Verilator build (default: the tools' defaults). */
  readonly toolTimeoutMs?: number;
}

export async function runPoint(spec: PointSpec, ctx: PointContext): Promise<PointResult> {
  const phaseMs: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    ctx.onPhase?.(`${spec.id}: ${name}`);
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      phaseMs[name] = Math.round(performance.now() - t0);
    }
  };
  const shape = shapeOf(spec.tile);
  const plan = await planPoint(spec, shape, spec.rtlSample, timed);
  const quick = spec.flow === 'quick';
  const rtl = await timed(quick ? 'builtin' : 'rtl', () => runRtl(plan.layers, ctx.runDir, quick));
  const hw: HwOutcome = quick
    ? { gateLevelVerified: false, note: 'quick flow: not synthesized' }
    : await measureHardware(spec.id, await gateRun(spec, shape, plan), spec.device, ctx.runDir, ctx.toolTimeoutMs, timed);
  const pnr = hw.pnr;
  const bytesPerInf = Object.values(plan.bytes).reduce((a, b) => a + b, 0);
  const cyclesEstimated = plan.cyclesEstimated / plan.sample;
  const cycles = rtl.cycles / plan.sample;
  const ort = spec.modelHash !== undefined ? onnxWorkloadOf(spec.modelHash).onnxruntimeAgrees : undefined;
  return {
    ...spec, accuracy: plan.accuracy, floatAccuracy: plan.floatAccuracy, ...(ort !== undefined ? { onnxruntimeAgrees: ort } : {}),
    luts: hw.resources?.lut ?? null, ffs: hw.resources?.ff ?? null, dsps: hw.resources?.dsp ?? null, brams: hw.resources?.bram ?? null,
    fmaxMHz: pnr?.status === 'ok' ? (pnr.fmaxMHz ?? null) : null,
    ...(pnr === undefined ? { fmaxNote: quick ? 'quick flow: no place and route' : spec.device === 'generic' ? 'generic target: no place and route' : 'not placed and routed: no netlist' } : pnr.status !== 'ok' ? { fmaxNote: pnr.message } : {}),
    ...(hw.sharedWith !== undefined ? { hardwareSharedWith: hw.sharedWith } : {}),
    cycles, cyclesEstimated, cyclesError: (cyclesEstimated - cycles) / cycles,
    bytesPerInference: bytesPerInf, bytes: plan.bytes,
    energyPj: { table: plan.energy.totalPj, toggle: null }, energyAssumptions: plan.energy.assumptions,
    rtlVerified: !quick && rtl.verified, simVerified: rtl.verified, gateLevelVerified: hw.gateLevelVerified,
    ...(hw.note !== undefined ? { gateLevelNote: hw.note } : {}),
    pareto: { luts: false, energy: false, latency: false },
    reproduce: quick ? [`npugen explore ${ctx.sweepFile} -o ${ctx.outDir} --only ${spec.id} --no-cache --quick`] : [
      `npugen explore ${ctx.sweepFile} -o ${ctx.outDir} --only ${spec.id} --no-cache`,
      `sh ${join(ctx.runDir, 'rtl-layer1', 'replay.sh')}   # layer 1 on Verilator`,
      `sh ${join(ctx.runDir, 'gate', 'replay.sh')}   # the gate-level netlist (Icarus or Verilator)`,
    ],
    phaseMs,
  };
}

/**
 * Inputs whose layer-1 vectors run on the gate-level netlist. One image is every output of layer 1
 * (k = 64 products each) through every cell of the netlist; more would multiply the time of an
 * event-driven simulation of a few thousand cells (an fp8 array's netlist ran past 10 minutes for
 * 4 images on Icarus at load 19) without reaching logic that one image does not.
 */
export const GATE_SAMPLE = 1;

/** Layer 1 of the point for the first GATE_SAMPLE inputs (the RTL sample's own plan when it is that small). */
async function gateRun(spec: PointSpec, shape: TileShape, plan: PointPlan): Promise<LayerPlan> {
  if (plan.sample <= GATE_SAMPLE) return plan.layers[0]!;
  const small = await planPoint(spec, shape, GATE_SAMPLE, async (_name, f) => f());
  return small.layers[0]!;
}

interface RtlOutcome {
  readonly verified: boolean;
  /** Cycles until the last output row of the last layer, summed over the layers. */
  readonly cycles: number;
}

/** Each layer's tile on Verilator (or the built-in simulator), every output of every cycle compared. */
async function runRtl(layers: readonly LayerPlan[], runDir: string, builtin: boolean): Promise<RtlOutcome> {
  let verified = true;
  let cycles = 0;
  for (const [li, l] of layers.entries()) {
    const r = builtin
      ? runBuiltin(l.tile, l.testbench, l.stimulus, l.expected, 10)
      : await runTestbench({ model: l.testbench, sources: emitVerilog(l.tile).map((f) => ({ name: f.fileName, text: f.text })), stimulus: l.stimulus, expected: l.expected, simulator: 'verilator', runDir: join(runDir, `rtl-layer${li + 1}`), maxMismatchRecords: 10 });
    // A run that stopped early checked fewer cycles than it was given: never call that verified.
    if (r.counts.mismatches > 0 || r.counts.checked !== l.cycles) verified = false;
    cycles += lastValidCycle(l) + 1;
  }
  return { verified, cycles };
}

/** The cycle of the last output row; the RTL matched out_valid on every cycle, so it is the RTL's. */
function lastValidCycle(run: LayerPlan): number {
  const v = run.testbench.outputs.findIndex((p) => p.name === 'out_valid');
  for (let c = run.expected.length - 1; c >= 0; c--) if (run.expected[c]![v] === 1n) return c;
  return run.expected.length - 1;
}
