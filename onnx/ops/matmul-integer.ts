/**
 * MatMulInteger (ONNX, opset 10+): y = (a - a_zp) . (b - b_zp) in int32, zero points optional
 * (default 0); a_zero_point per tensor, b_zero_point per tensor or per column (length N).
 */
import { bOperand, matmulLayer, scalarConst, zeroPointValue } from './common.ts';
import type { OpEntry } from './op-entry.ts';

export const matMulInteger: OpEntry = {
  opType: 'MatMulInteger',
  domain: '',
  supports: 'int8/uint8 inputs, int32 output, optional zero points (b per tensor or per column), 2-D B',
  lower(ctx, node) {
    return matmulLayer(ctx, {
      node, name: node.name, op: 'MatMulInteger',
      a: ctx.inputName(node, 0)!, aZeroPoint: ctx.inputName(node, 2) === undefined ? 0 : scalarConst(ctx, node, 2, 'a_zero_point'),
      b: bOperand(ctx, node, 1), bZeroPoint: zeroPointValue(ctx.optConstInput(node, 3, 'b_zero_point')),
      output: node.outputs[0]!, outKind: { kind: 'int32' },
    });
  },
};
