/**
 * A layer: one unit of a lowered ONNX graph that npugen checks on its own. A GEMM layer
 * (QLinearMatMul, MatMulInteger, QGemm, QLinearConv, a fused QDQ group) maps to one or more
 * `QuantGemmSpec`s that run on generated gemm_tile hardware; a group layer (MatMulNBits) maps to
 * one `GroupGemmSpec` that runs on generated group_gemm hardware; a host layer (QuantizeLinear,
 * DequantizeLinear, a runtime Reshape) runs in the golden model only. Every layer's output is
 * a tensor of the ONNX graph, so it can also be read back from onnxruntime.
 */
import { evalGroupGemm, type GroupGemmSpec } from '../sim/layers/group-gemm.ts';
import { evalQuantGemm, type QuantGemmOutput, type QuantGemmSpec } from '../sim/layers/quant-gemm.ts';
import type { Tensor } from './tensor.ts';

export type Env = ReadonlyMap<string, Tensor>;

/** The hardware GEMMs of a layer and how their outputs become the layer's tensor. */
export interface GemmPlan {
  readonly specs: readonly QuantGemmSpec[];
  readonly assemble: (outputs: readonly QuantGemmOutput[]) => Tensor;
}

interface LayerBase {
  /** Node name (a fused group: the names joined with '+'). */
  readonly name: string;
  /** ONNX op type (a fused group: e.g. 'QDQ MatMul'). */
  readonly op: string;
  /** Runtime tensors the layer reads (constants are bound at lowering). */
  readonly inputs: readonly string[];
  readonly output: string;
  /** Operand formats for the report, e.g. 'uint8 x int8 -> uint8'. */
  readonly formats: string;
  /**
   * Absent: the layer is bit-exact by construction (integer arithmetic and single binary32
   * roundings onnxruntime also does), so it is compared bit for bit. Present: its onnxruntime
   * output depends on float accumulation order, so it is compared within |golden - ort| <= absolute
   * (float32 outputs; one bound per element of the golden tensor), and `why` says where the freedom comes from.
   */
  readonly tolerance?: { readonly absolute: (golden: Tensor) => ArrayLike<number>; readonly why: string };
}

export interface GemmLayer extends LayerBase {
  readonly kind: 'gemm';
  readonly plan: (env: Env) => GemmPlan;
}

export interface HostLayer extends LayerBase {
  readonly kind: 'host';
  readonly eval: (env: Env) => Tensor;
}

/** Lanes per column of the group_gemm tile MatMulNBits runs on (one: the sequential fp32 fma chain of AWQ's order). */
export const GROUP_LANES = 1;

/** The group_gemm run of a layer and how its M × N fp32 codes become the layer's tensor. */
export interface GroupPlan {
  readonly spec: GroupGemmSpec;
  readonly assemble: (output: Uint32Array) => Tensor;
}

export interface GroupLayer extends LayerBase {
  readonly kind: 'group';
  readonly plan: (env: Env) => GroupPlan;
}

export type Layer = GemmLayer | GroupLayer | HostLayer;

/**
 * The golden output of a layer: host layers evaluate; GEMM layers assemble `evalQuantGemm` of each
 * spec; group layers assemble `evalGroupGemm` (golden `groupDot` per output, GROUP_LANES lanes).
 */
export function evalLayer(layer: Layer, env: Env): Tensor {
  if (layer.kind === 'host') return layer.eval(env);
  if (layer.kind === 'group') {
    const plan = layer.plan(env);
    return plan.assemble(evalGroupGemm(plan.spec, GROUP_LANES));
  }
  const plan = layer.plan(env);
  return plan.assemble(plan.specs.map(evalQuantGemm));
}

/** The runtime tensor `name` of `env`; a missing one is a lowering bug, not a user error. */
export function envGet(env: Env, name: string): Tensor {
  const t = env.get(name);
  if (t === undefined) throw new Error(`internal: tensor '${name}' not computed before use`);
  return t;
}
