/** QuantizeLinear and DequantizeLinear as host layers (or folded when their input is constant). */
import { dequantizeLinear, isQType, quantizeLinear, type QuantParams } from '../golden/quantize-linear.ts';
import { envGet } from '../layer.ts';
import type { LowerContext } from '../lower-context.ts';
import type { OnnxNode } from '../model.ts';
import type { OpEntry } from './op-entry.ts';

/** Scale, zero point and axis of a Q/DQ node (constants), checked against what onnxruntime's CPU kernel runs. */
export function quantParamsOf(ctx: LowerContext, node: OnnxNode): QuantParams {
  if (ctx.intAttr(node, 'block_size', 0) !== 0) throw ctx.error(node, 'blocked quantization (block_size) is not supported');
  if (ctx.intAttr(node, 'saturate', 1) !== 1) throw ctx.error(node, 'saturate=0 is not supported');
  const scale = ctx.constInput(node, 1, 'scale');
  if (scale.dtype !== 'float32') throw ctx.error(node, `scale must be float32, got ${scale.dtype}`);
  if (scale.dims.length > 1) throw ctx.error(node, `scale must be a scalar or 1-D, got dims [${scale.dims.join(', ')}]`);
  const zeroPoint = ctx.optConstInput(node, 2, 'zero_point');
  if (zeroPoint !== undefined && zeroPoint.data.length !== scale.data.length) throw ctx.error(node, 'zero_point and scale must have the same number of elements');
  const p = { scale, axis: ctx.intAttr(node, 'axis', 1) };
  return zeroPoint === undefined ? p : { ...p, zeroPoint };
}

export const quantizeLinearOp: OpEntry = {
  opType: 'QuantizeLinear',
  domain: '',
  supports: 'float32 -> int8/uint8, per tensor or per axis',
  lower(ctx, node) {
    const p = quantParamsOf(ctx, node);
    if (p.zeroPoint !== undefined && !isQType(p.zeroPoint.dtype)) throw ctx.error(node, `output type ${p.zeroPoint.dtype} is not supported (int8, uint8)`);
    const x = ctx.inputName(node, 0)!;
    const out = node.outputs[0]!;
    const c = ctx.constants.get(x);
    if (c !== undefined) {
      ctx.constants.set(out, quantizeLinear(c, p));
      return 'folded';
    }
    return { kind: 'host', name: node.name, op: 'QuantizeLinear', inputs: [x], output: out, formats: `float32 -> ${p.zeroPoint?.dtype ?? 'uint8'}`, eval: (env) => quantizeLinear(envGet(env, x), p) };
  },
};

export const dequantizeLinearOp: OpEntry = {
  opType: 'DequantizeLinear',
  domain: '',
  supports: 'int8/uint8/int32 -> float32, per tensor or per axis',
  lower(ctx, node) {
    const p = quantParamsOf(ctx, node);
    const x = ctx.inputName(node, 0)!;
    const out = node.outputs[0]!;
    const c = ctx.constants.get(x);
    if (c !== undefined) {
      ctx.constants.set(out, dequantizeLinear(c, p));
      return 'folded';
    }
    return { kind: 'host', name: node.name, op: 'DequantizeLinear', inputs: [x], output: out, formats: `${p.zeroPoint?.dtype ?? 'int8/uint8'} -> float32`, eval: (env) => dequantizeLinear(envGet(env, x), p) };
  },
};
