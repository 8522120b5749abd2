/**
 * QLinearMatMul (ONNX, opset 10+): y = requant((a - a_zp) . (b - b_zp)) with onnxruntime's binary32
 * multiplier fp32(fp32(a_scale * b_scale[j]) / y_scale); b_scale and b_zero_point per tensor or per
 * column (length N). onnxruntime runs (int8, int8 -> int8) and (uint8, uint8|int8 -> uint8).
 */
import { qlinearMultipliers } from '../golden/output-scale.ts';
import { bOperand, foldActivations, matmulLayer, qtypeOf, scalarConst, vectorConst, zeroPointValue } from './common.ts';
import type { OpEntry } from './op-entry.ts';

export const qlinearMatMul: OpEntry = {
  opType: 'QLinearMatMul',
  domain: '',
  supports: 'int8/uint8, per-tensor or per-column (length N) b scale and zero point, 2-D B, A of any rank >= 2',
  lower(ctx, node) {
    const yZp = ctx.constInput(node, 7, 'y_zero_point');
    const yType = qtypeOf(ctx, node, yZp, 'y_zero_point');
    const multiplier = qlinearMultipliers(scalarConst(ctx, node, 1, 'a_scale'), vectorConst(ctx, node, 4, 'b_scale'), scalarConst(ctx, node, 6, 'y_scale'));
    const clamp = foldActivations(ctx, node.outputs[0]!, yType);
    return matmulLayer(ctx, {
      node, name: [node, ...clamp.folded].map((n) => n.name).join('+'), op: ['QLinearMatMul', ...clamp.folded.map((n) => n.opType)].join('+'),
      a: ctx.inputName(node, 0)!, aZeroPoint: scalarConst(ctx, node, 2, 'a_zero_point'),
      b: bOperand(ctx, node, 3), bZeroPoint: zeroPointValue(ctx.constInput(node, 5, 'b_zero_point')),
      output: clamp.output,
      outKind: { kind: 'requant', type: yType, multiplier, zeroPoint: scalarConst(ctx, node, 7, 'y_zero_point'), min: clamp.min, max: clamp.max },
    });
  },
};
