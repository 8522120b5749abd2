/** Helpers shared by the op lowerings: quantization parameters, shapes, activation folding. */
import type { QType, QuantGemmOutput, QuantGemmSpec } from '../../sim/layers/quant-gemm.ts';
import { QRANGE, isQType } from '../golden/quantize-linear.ts';
import type { Env, GemmLayer, GemmPlan } from '../layer.ts';
import { envGet } from '../layer.ts';
import type { LowerContext } from '../lower-context.ts';
import type { OnnxNode } from '../model.ts';
import { type Tensor, numberAt, sizeOf } from '../tensor.ts';

/** A scalar (or one-element) constant input as a number. */
export function scalarConst(ctx: LowerContext, node: OnnxNode, i: number, what: string): number {
  const t = ctx.constInput(node, i, what);
  if (t.data.length !== 1) throw ctx.error(node, `${what} must be a scalar or a 1-element tensor, got dims [${t.dims.join(', ')}]`);
  return numberAt(t, 0);
}

/** A per-tensor or per-column (length n) float constant; n is checked when known. */
export function vectorConst(ctx: LowerContext, node: OnnxNode, i: number, what: string): Float32Array | Int32Array | Int8Array | Uint8Array {
  const t = ctx.constInput(node, i, what);
  if (t.dims.length > 1 && t.data.length !== 1) throw ctx.error(node, `${what} must be a scalar or 1-D, got dims [${t.dims.join(', ')}]`);
  if (t.data instanceof BigInt64Array) throw ctx.error(node, `${what} has type int64; expected float or an 8-bit type`);
  return t.data;
}

export function qtypeOf(ctx: LowerContext, node: OnnxNode, t: Tensor | undefined, what: string): QType {
  if (t === undefined || !isQType(t.dtype)) throw ctx.error(node, `${what} must be int8 or uint8${t ? `, got ${t.dtype}` : ''}`);
  return t.dtype;
}

/** A zero point as one number, or a per-column Int32Array when it has several elements. */
export function zeroPointValue(t: Tensor | undefined): number | Int32Array {
  if (t === undefined) return 0;
  if (t.data.length === 1) return numberAt(t, 0);
  return Int32Array.from({ length: t.data.length }, (_, j) => numberAt(t, j));
}

/** The output clamp, with a directly following integer Relu or Clip (on the quantized tensor) folded in. */
export interface OutputClamp {
  readonly output: string;
  readonly min: number;
  readonly max: number;
  readonly folded: readonly OnnxNode[];
}

/**
 * ONNX Relu and Clip on an int8/uint8 tensor act on the codes: Relu(q) = max(q, 0) and
 * Clip(q, lo, hi) = min(max(q, lo), hi). Applied to a requantized output y = clamp(v, min, max)
 * they give clamp(v, min', max') again, with min' = min(max(min, lo), hi) and
 * max' = min(max(max, lo), hi) (monotone maps of the integer v commute with clamping), so they
 * fold into the requantizer's clamp exactly. Folded when the activation is the output's only consumer.
 */
export function foldActivations(ctx: LowerContext, output: string, type: QType): OutputClamp {
  let [min, max] = QRANGE[type];
  let name = output;
  const folded: OnnxNode[] = [];
  for (;;) {
    const next = ctx.soleConsumer(name);
    if (next === undefined || next.domain !== '' || next.inputs[0] !== name) break;
    if (next.opType === 'Relu') {
      min = Math.max(min, 0);
      max = Math.max(max, min);
    } else if (next.opType === 'Clip' && ctx.model.opsets.get('')! >= 11) {
      const lo = ctx.inputName(next, 1) === undefined ? -Infinity : scalarConst(ctx, next, 1, 'Clip min');
      const hi = ctx.inputName(next, 2) === undefined ? Infinity : scalarConst(ctx, next, 2, 'Clip max');
      // Clip's result is min(max(x, lo), hi); with [min, max] the range x already has:
      min = Math.min(Math.max(min, lo), hi);
      max = Math.min(Math.max(max, lo), hi);
    } else break;
    folded.push(next);
    ctx.absorbed.add(next);
    name = next.outputs[0]!;
  }
  return { output: name, min, max, folded };
}

/** A 2-D B operand: a constant bound now, or a runtime tensor read from env. */
export type BOperand = { readonly kind: 'const'; readonly t: Tensor } | { readonly kind: 'runtime'; readonly name: string };

export function bOperand(ctx: LowerContext, node: OnnxNode, i: number): BOperand {
  const name = ctx.inputName(node, i);
  if (name === undefined) throw ctx.error(node, `input ${i} (B) is missing`);
  const t = ctx.constants.get(name);
  return t !== undefined ? { kind: 'const', t } : { kind: 'runtime', name };
}

export function bTensor(b: BOperand, env: Env): Tensor {
  return b.kind === 'const' ? b.t : envGet(env, b.name);
}

export type GemmOutputKind =
  | { readonly kind: 'int32' }
  | { readonly kind: 'requant'; readonly type: QType; readonly multiplier: Float32Array; readonly zeroPoint: number; readonly min: number; readonly max: number };

/** Transposes a row-major R x C matrix of 8-bit codes. */
export function transpose2d<T extends Int8Array | Uint8Array>(x: T, rows: number, cols: number): T {
  const y = new (x.constructor as new (n: number) => T)(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) y[c * rows + r] = x[r * cols + c]!;
  return y;
}

export interface MatMulLayerArgs {
  readonly node: OnnxNode;
  readonly name: string;
  readonly op: string;
  readonly a: string;
  readonly aZeroPoint: number;
  readonly b: BOperand;
  readonly bZeroPoint: number | Int32Array;
  readonly bias?: Int32Array;
  readonly output: string;
  readonly outKind: GemmOutputKind;
  /** QGemm's transA / transB: A is K x M, B is N x K. */
  readonly transA?: boolean;
  readonly transB?: boolean;
  /** Real-valued output scale for QGemm without y_zero_point: y = fp32(fp32(acc) * scale[j]). */
  readonly floatScale?: Float32Array;
}

/**
 * A (batched) matrix product A[..., M, K] . B[K, N] as one GEMM: A's leading dimensions stack into
 * M (rows are independent), the output has A's leading dims and N.
 */
export function matmulLayer(ctx: LowerContext, args: MatMulLayerArgs): GemmLayer {
  const { node } = args;
  const formatsOf = (aT: string, bT: string) => `${aT} x ${bT} -> ${args.floatScale ? 'float32' : args.outKind.kind === 'int32' ? 'int32' : args.outKind.type}`;
  let formats = '';
  const plan = (env: Env): GemmPlan => {
    const A = envGet(env, args.a);
    const B = bTensor(args.b, env);
    const aType = qtypeOf(ctx, node, A, 'A');
    const bType = qtypeOf(ctx, node, B, 'B');
    formats = formatsOf(aType, bType);
    if (B.dims.length !== 2) throw ctx.error(node, `B must be 2-D (K x N), got dims [${B.dims.join(', ')}]; batched B is not supported`);
    if (A.dims.length < 2) throw ctx.error(node, `A must have rank >= 2, got dims [${A.dims.join(', ')}]`);
    let [k, n] = B.dims as [number, number];
    let bData = B.data as Int8Array | Uint8Array;
    if (args.transB === true) { bData = transpose2d(bData, k, n); [k, n] = [n, k]; }
    let aData = A.data as Int8Array | Uint8Array;
    const lead = A.dims.slice(0, -2);
    let m = sizeOf(A.dims.slice(0, -1));
    let ak = A.dims[A.dims.length - 1]!;
    if (args.transA === true) {
      if (A.dims.length !== 2) throw ctx.error(node, 'transA needs a 2-D A');
      aData = transpose2d(aData, A.dims[0]!, A.dims[1]!);
      m = A.dims[1]!;
      ak = A.dims[0]!;
    }
    if (ak !== k) throw ctx.error(node, `A has K = ${ak} columns but B has K = ${k} rows`);
    const zpLen = typeof args.bZeroPoint === 'number' ? 1 : args.bZeroPoint.length;
    if (zpLen !== 1 && zpLen !== n) throw ctx.error(node, `B zero point has ${zpLen} elements; expected 1 or N = ${n}`);
    if (args.outKind.kind === 'requant' && args.outKind.multiplier.length !== 1 && args.outKind.multiplier.length !== n) {
      throw ctx.error(node, `B scale has ${args.outKind.multiplier.length} elements; expected 1 or N = ${n}`);
    }
    if (args.bias !== undefined && args.bias.length !== n) throw ctx.error(node, `bias has ${args.bias.length} elements; expected N = ${n}`);
    const bz = args.bZeroPoint;
    const spec: QuantGemmSpec = {
      m, k, n,
      a: { type: aType, data: aData, zeroPoint: args.aZeroPoint },
      b: { type: bType, data: bData, zeroPoint: typeof bz === 'number' || bz.length === 1 ? (typeof bz === 'number' ? bz : bz[0]!) : bz },
      ...(args.bias !== undefined ? { bias: args.bias } : {}),
      output: args.outKind,
    };
    const dims = args.transA === true ? [m, n] : [...lead, A.dims[A.dims.length - 2]!, n];
    return {
      specs: [spec],
      assemble: ([y]: readonly QuantGemmOutput[]) => {
        if (args.floatScale !== undefined) {
          const s = args.floatScale;
          const f = Float32Array.from(y!, (v, idx) => Math.fround(Math.fround(v) * s[s.length === 1 ? 0 : idx % n]!));
          return { dtype: 'float32', dims, data: f };
        }
        return { dtype: args.outKind.kind === 'int32' ? 'int32' : args.outKind.type, dims, data: y! };
      },
    };
  };
  return { kind: 'gemm', name: args.name, op: args.op, inputs: [args.a, ...(args.b.kind === 'runtime' ? [args.b.name] : [])], output: args.output, get formats() { return formats; }, plan };
}
