/**
 * QGemm (com.microsoft, onnxruntime contrib op): y = requant(alpha-scaled (A - a_zp) . (B - b_zp) + C)
 * with C an int32 bias (length N) added to the accumulator, multiplier
 * fp32(fp32(fp32(alpha * a_scale) * b_scale[j]) / y_scale), transA / transB. Without y_scale and
 * y_zero_point the output is float: fp32(fp32(acc) * fp32(fp32(alpha * a_scale) * b_scale[j])).
 */
import { qgemmMultipliers } from '../golden/output-scale.ts';
import type { Tensor } from '../tensor.ts';
import { bOperand, foldActivations, matmulLayer, qtypeOf, scalarConst, vectorConst, zeroPointValue } from './common.ts';
import type { OpEntry } from './op-entry.ts';

function biasOf(t: Tensor | undefined): Int32Array | undefined {
  if (t === undefined) return undefined;
  return t.data as Int32Array;
}

export const qgemm: OpEntry = {
  opType: 'QGemm',
  domain: 'com.microsoft',
  supports: 'int8/uint8, per-tensor or per-column b scale, int32 bias C of length N, transA/transB, alpha; quantized or float output',
  lower(ctx, node) {
    const alpha = ctx.floatAttr(node, 'alpha', 1);
    const c = ctx.optConstInput(node, 6, 'C (bias)');
    if (c !== undefined && (c.dtype !== 'int32' || c.data.length !== c.dims[c.dims.length - 1] || c.dims.length > 2 || (c.dims.length === 2 && c.dims[0] !== 1))) {
      throw ctx.error(node, `C must be an int32 bias of shape [N] or [1, N], got ${c.dtype} [${c.dims.join(', ')}]`);
    }
    const aScale = scalarConst(ctx, node, 1, 'a_scale');
    const bScale = vectorConst(ctx, node, 4, 'b_scale');
    const common = {
      node, a: ctx.inputName(node, 0)!, aZeroPoint: scalarConst(ctx, node, 2, 'a_zero_point'),
      b: bOperand(ctx, node, 3), bZeroPoint: zeroPointValue(ctx.constInput(node, 5, 'b_zero_point')),
      transA: ctx.intAttr(node, 'transA', 0) === 1, transB: ctx.intAttr(node, 'transB', 0) === 1,
      ...(c !== undefined ? { bias: biasOf(c)! } : {}),
    };
    const yScaleName = ctx.inputName(node, 7);
    if (yScaleName === undefined) {
      if (ctx.inputName(node, 8) !== undefined) throw ctx.error(node, 'y_zero_point without y_scale is not supported');
      const a = Math.fround(Math.fround(alpha) * aScale);
      return matmulLayer(ctx, { ...common, name: node.name, op: 'QGemm', output: node.outputs[0]!, outKind: { kind: 'int32' }, floatScale: Float32Array.from(bScale, (b) => Math.fround(a * b)) });
    }
    const yZp = ctx.constInput(node, 8, 'y_zero_point');
    const yType = qtypeOf(ctx, node, yZp, 'y_zero_point');
    const clamp = foldActivations(ctx, node.outputs[0]!, yType);
    return matmulLayer(ctx, {
      ...common, name: [node, ...clamp.folded].map((n) => n.name).join('+'), op: ['QGemm', ...clamp.folded.map((n) => n.opType)].join('+'),
      output: clamp.output,
      outKind: { kind: 'requant', type: yType, multiplier: qgemmMultipliers(alpha, aScale, bScale, scalarConst(ctx, node, 7, 'y_scale')), zeroPoint: scalarConst(ctx, node, 8, 'y_zero_point'), min: clamp.min, max: clamp.max },
    });
  },
};
