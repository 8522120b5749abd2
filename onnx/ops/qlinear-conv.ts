/**
 * QLinearConv (ONNX, opset 10+), 2-D, groups = 1, lowered to one im2col GEMM: stride, padding
 * (explicit or SAME_*), dilation; w_scale per tensor or per output channel; int32 bias B added to
 * the accumulator; multiplier fp32(fp32(x_scale * w_scale[oc]) / y_scale) as onnxruntime.
 */
import { qlinearMultipliers } from '../golden/output-scale.ts';
import { foldActivations, qtypeOf, scalarConst, vectorConst } from './common.ts';
import { convAttrs, convLayer, uniformZeroPoint } from './conv-common.ts';
import type { OpEntry } from './op-entry.ts';

export const qlinearConv: OpEntry = {
  opType: 'QLinearConv',
  domain: '',
  supports: '2-D, groups = 1, any stride / padding / dilation, per-tensor or per-channel w_scale, equal weight zero points, int32 bias',
  lower(ctx, node) {
    const w = ctx.constInput(node, 3, 'w');
    const attrs = convAttrs(ctx, node, w);
    const yZp = ctx.constInput(node, 7, 'y_zero_point');
    const yType = qtypeOf(ctx, node, yZp, 'y_zero_point');
    const b = ctx.optConstInput(node, 8, 'B (bias)');
    if (b !== undefined && (b.dtype !== 'int32' || b.data.length !== w.dims[0])) throw ctx.error(node, `B must be int32 of length ${w.dims[0]}`);
    const clamp = foldActivations(ctx, node.outputs[0]!, yType);
    return convLayer(ctx, {
      node, name: [node, ...clamp.folded].map((n) => n.name).join('+'), op: ['QLinearConv', ...clamp.folded.map((n) => n.opType)].join('+'),
      x: ctx.inputName(node, 0)!, xZeroPoint: scalarConst(ctx, node, 2, 'x_zero_point'),
      w, wZeroPoint: uniformZeroPoint(ctx, node, ctx.constInput(node, 5, 'w_zero_point'), 'w_zero_point'),
      ...(b !== undefined ? { bias: b.data as Int32Array } : {}),
      attrs, output: clamp.output,
      outKind: {
        kind: 'requant', type: yType,
        multiplier: qlinearMultipliers(scalarConst(ctx, node, 1, 'x_scale'), vectorConst(ctx, node, 4, 'w_scale'), scalarConst(ctx, node, 6, 'y_scale')),
        zeroPoint: scalarConst(ctx, node, 7, 'y_zero_point'), min: clamp.min, max: clamp.max,
      },
    });
  },
};
