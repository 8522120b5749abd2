/**
 * The QDQ form: DequantizeLinear -> MatMul | Gemm | Conv -> QuantizeLinear, which onnxruntime's
 * graph optimizer fuses into QLinearMatMul, QGemm and QLinearConv (its QDQ selectors), so the
 * integer path and its requantization apply: the group lowers to the same GEMM layer as the
 * fused op. A float Relu between the op and QuantizeLinear is accepted where onnxruntime removes it
 * (output zero point = the type's minimum, so the Relu cannot change the quantized result). Any
 * other float MatMul / Gemm / Conv is rejected: onnxruntime would run it in float.
 */
import { qlinearMultipliers } from '../golden/output-scale.ts';
import { QRANGE, isQType } from '../golden/quantize-linear.ts';
import type { LowerContext } from '../lower-context.ts';
import type { OnnxNode } from '../model.ts';
import { type Tensor, numberAt } from '../tensor.ts';
import { transposeTensor } from './shape-ops.ts';
import { type GemmOutputKind, matmulLayer, zeroPointValue } from './common.ts';
import { convAttrs, convLayer, uniformZeroPoint } from './conv-common.ts';
import type { OpEntry } from './op-entry.ts';
import { quantParamsOf } from './quantize.ts';

interface Dq {
  readonly node: OnnxNode;
  /** The quantized tensor (runtime name) or its constant value. */
  readonly input: string;
  readonly constant?: Tensor;
  readonly scale: Tensor;
  readonly zeroPoint?: Tensor;
  readonly axis: number;
}

function dqOf(ctx: LowerContext, op: OnnxNode, i: number, what: string): Dq {
  const name = ctx.inputName(op, i);
  const p = name === undefined ? undefined : ctx.producer(name);
  if (p === undefined || p.opType !== 'DequantizeLinear' || p.domain !== '') {
    throw ctx.error(op, `a float ${op.opType} runs on npugen only in the QDQ form (DequantizeLinear -> ${op.opType} -> QuantizeLinear), which onnxruntime fuses to the integer path; ${what} (input ${i}) does not come from DequantizeLinear`);
  }
  const q = quantParamsOf(ctx, p);
  const input = p.inputs[0]!;
  const constant = ctx.constants.get(input);
  return { node: p, input, ...(constant !== undefined ? { constant } : {}), scale: q.scale, ...(q.zeroPoint !== undefined ? { zeroPoint: q.zeroPoint } : {}), axis: q.axis };
}

interface QOut { readonly node: OnnxNode; readonly absorbed: readonly OnnxNode[]; readonly scale: number; readonly zeroPoint: number; readonly type: 'int8' | 'uint8' }

function qAfter(ctx: LowerContext, op: OnnxNode): QOut {
  const absorbed: OnnxNode[] = [];
  let name = op.outputs[0]!;
  let next = ctx.soleConsumer(name);
  while (next !== undefined && next.domain === '' && next.opType === 'Relu') {
    absorbed.push(next);
    name = next.outputs[0]!;
    next = ctx.soleConsumer(name);
  }
  if (next === undefined || next.opType !== 'QuantizeLinear' || next.domain !== '') {
    throw ctx.error(op, `a float ${op.opType} runs on npugen only in the QDQ form (DequantizeLinear -> ${op.opType} -> QuantizeLinear); its output is not consumed by exactly one QuantizeLinear`);
  }
  const p = quantParamsOf(ctx, next);
  if (p.scale.data.length !== 1) throw ctx.error(next, 'the QuantizeLinear after a QDQ group must be per tensor');
  const type = p.zeroPoint === undefined ? 'uint8' : p.zeroPoint.dtype;
  if (!isQType(type)) throw ctx.error(next, `output type ${type} is not supported (int8, uint8)`);
  const zeroPoint = p.zeroPoint === undefined ? 0 : numberAt(p.zeroPoint, 0);
  if (absorbed.length > 0 && zeroPoint !== QRANGE[type][0]) {
    throw ctx.error(absorbed[0]!, `Relu between ${op.opType} and QuantizeLinear is fused by onnxruntime only when the output zero point is ${QRANGE[type][0]} (the ${type} minimum), got ${zeroPoint}; otherwise onnxruntime runs it in float`);
  }
  return { node: next, absorbed, scale: numberAt(p.scale, 0), zeroPoint, type };
}

function activationOf(ctx: LowerContext, op: OnnxNode): Dq {
  const a = dqOf(ctx, op, 0, 'the activation');
  if (a.constant !== undefined) throw ctx.error(op, 'a constant activation input is not supported');
  if (a.scale.data.length !== 1) throw ctx.error(a.node, 'the activation must be quantized per tensor');
  return a;
}

function weightOf(ctx: LowerContext, op: OnnxNode, i: number, channelAxis: number): { q: Tensor; scales: ArrayLike<number>; zp: Tensor | undefined } {
  const w = dqOf(ctx, op, i, 'the weight');
  if (w.constant === undefined || !isQType(w.constant.dtype)) throw ctx.error(op, `the weight (input ${i}) must be a constant int8/uint8 initializer behind DequantizeLinear`);
  if (w.scale.data.length !== 1) {
    const axis = w.axis < 0 ? w.axis + w.constant.dims.length : w.axis;
    if (axis !== channelAxis) throw ctx.error(w.node, `per-axis weight quantization must be along the output-channel axis ${channelAxis}, got axis ${w.axis}`);
  }
  return { q: w.constant, scales: w.scale.data as Float32Array, zp: w.zeroPoint };
}

function biasOf(ctx: LowerContext, op: OnnxNode, i: number, aScale: number, bScales: ArrayLike<number>, n: number): Int32Array | undefined {
  if (ctx.inputName(op, i) === undefined) return undefined;
  const d = dqOf(ctx, op, i, 'the bias');
  if (d.constant === undefined || d.constant.dtype !== 'int32' || d.constant.data.length !== n) throw ctx.error(op, `the bias must be a constant int32 initializer of length ${n} behind DequantizeLinear`);
  for (let j = 0; j < n; j++) {
    const want = Math.fround(aScale * bScales[bScales.length === 1 ? 0 : j]!);
    const got = numberAt(d.scale, d.scale.data.length === 1 ? 0 : j);
    if (got !== want || (d.zeroPoint !== undefined && numberAt(d.zeroPoint, d.zeroPoint.data.length === 1 ? 0 : j) !== 0)) {
      throw ctx.error(d.node, `the bias scale must be input scale x weight scale (${want}) with zero point 0, got ${got} for channel ${j}`);
    }
  }
  return d.constant.data as Int32Array;
}

function requantOut(q: QOut, aScale: number, bScales: ArrayLike<number>): GemmOutputKind & { kind: 'requant' } {
  const [min, max] = QRANGE[q.type];
  return { kind: 'requant', type: q.type, multiplier: qlinearMultipliers(aScale, bScales, q.scale), zeroPoint: q.zeroPoint, min, max };
}

function groupName(nodes: readonly OnnxNode[]): string {
  return nodes.map((n) => n.name).join('+');
}

function absorb(ctx: LowerContext, nodes: readonly OnnxNode[]): void {
  for (const n of nodes) ctx.absorbed.add(n);
}

export const qdqMatMul: OpEntry = {
  opType: 'MatMul',
  domain: '',
  supports: 'QDQ form only: DequantizeLinear(activation, per tensor) and DequantizeLinear(constant weight, per tensor or per column) -> MatMul -> QuantizeLinear',
  lower(ctx, node) {
    const a = activationOf(ctx, node);
    const w = weightOf(ctx, node, 1, 1);
    const q = qAfter(ctx, node);
    absorb(ctx, [...q.absorbed, q.node]);
    const aScale = numberAt(a.scale, 0);
    return matmulLayer(ctx, {
      node, name: groupName([a.node, node, ...q.absorbed, q.node]), op: 'QDQ MatMul',
      a: a.input, aZeroPoint: a.zeroPoint === undefined ? 0 : numberAt(a.zeroPoint, 0),
      b: { kind: 'const', t: w.q }, bZeroPoint: zeroPointValue(w.zp),
      output: q.node.outputs[0]!, outKind: requantOut(q, aScale, w.scales),
    });
  },
};

export const qdqGemm: OpEntry = {
  opType: 'Gemm',
  domain: '',
  supports: 'QDQ form only (fused to QGemm): alpha = beta = 1, transB 0/1, transA 0, per-tensor activation, weight per tensor or per output channel, optional int32 bias with scale = input scale x weight scale',
  lower(ctx, node) {
    if (ctx.floatAttr(node, 'alpha', 1) !== 1 || ctx.floatAttr(node, 'beta', 1) !== 1) throw ctx.error(node, 'only alpha = beta = 1 is supported');
    if (ctx.intAttr(node, 'transA', 0) !== 0) throw ctx.error(node, 'transA = 1 is not supported');
    const transB = ctx.intAttr(node, 'transB', 0) === 1;
    const a = activationOf(ctx, node);
    const w = weightOf(ctx, node, 1, transB ? 0 : 1);
    const n = w.q.dims[transB ? 0 : 1]!;
    const aScale = numberAt(a.scale, 0);
    const bias = biasOf(ctx, node, 2, aScale, w.scales, n);
    const q = qAfter(ctx, node);
    absorb(ctx, [...q.absorbed, q.node]);
    return matmulLayer(ctx, {
      node, name: groupName([a.node, node, ...q.absorbed, q.node]), op: 'QDQ Gemm',
      a: a.input, aZeroPoint: a.zeroPoint === undefined ? 0 : numberAt(a.zeroPoint, 0),
      b: { kind: 'const', t: transB ? transposeTensor(w.q, [1, 0]) : w.q }, bZeroPoint: zeroPointValue(w.zp),
      ...(bias !== undefined ? { bias } : {}),
      output: q.node.outputs[0]!, outKind: requantOut(q, aScale, w.scales),
    });
  },
};

export const qdqConv: OpEntry = {
  opType: 'Conv',
  domain: '',
  supports: 'QDQ form only (fused to QLinearConv): 2-D, groups = 1, weight per tensor or per output channel, optional int32 bias with scale = input scale x weight scale',
  lower(ctx, node) {
    const a = activationOf(ctx, node);
    const w = weightOf(ctx, node, 1, 0);
    const attrs = convAttrs(ctx, node, w.q);
    const aScale = numberAt(a.scale, 0);
    const bias = biasOf(ctx, node, 2, aScale, w.scales, w.q.dims[0]!);
    const q = qAfter(ctx, node);
    absorb(ctx, [...q.absorbed, q.node]);
    return convLayer(ctx, {
      node, name: groupName([a.node, node, ...q.absorbed, q.node]), op: 'QDQ Conv',
      x: a.input, xZeroPoint: a.zeroPoint === undefined ? 0 : numberAt(a.zeroPoint, 0),
      w: w.q, wZeroPoint: uniformZeroPoint(ctx, node, w.zp, 'the weight zero point'),
      ...(bias !== undefined ? { bias } : {}),
      attrs, output: q.node.outputs[0]!, outKind: requantOut(q, aScale, w.scales),
    });
  },
};
