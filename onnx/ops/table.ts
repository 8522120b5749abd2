/**
 * The supported ops, one entry each (add an op by adding its entry). Keyed by domain and op type.
 */
import type { OpEntry } from './op-entry.ts';
import { matMulInteger } from './matmul-integer.ts';
import { matMulNBitsOp } from './matmul-nbits.ts';
import { qgemm } from './qgemm.ts';
import { qdqConv, qdqGemm, qdqMatMul } from './qdq.ts';
import { qlinearConv } from './qlinear-conv.ts';
import { qlinearMatMul } from './qlinear-matmul.ts';
import { dequantizeLinearOp, quantizeLinearOp } from './quantize.ts';
import { flattenOp, reshapeOp, transposeOp } from './shape-ops.ts';

export const OP_TABLE: readonly OpEntry[] = [
  quantizeLinearOp,
  dequantizeLinearOp,
  qlinearMatMul,
  matMulInteger,
  qgemm,
  matMulNBitsOp,
  qlinearConv,
  qdqMatMul,
  qdqGemm,
  qdqConv,
  reshapeOp,
  flattenOp,
  transposeOp,
];

const key = (domain: string, opType: string) => `${domain}::${opType}`;
const BY_KEY = new Map(OP_TABLE.map((e) => [key(e.domain, e.opType), e]));

export function opEntry(domain: string, opType: string): OpEntry | undefined {
  return BY_KEY.get(key(domain, opType));
}

/** 'QuantizeLinear, ..., com.microsoft.QGemm' for error messages. */
export function supportedOpList(): string {
  return OP_TABLE.map((e) => `${e.domain === '' ? '' : `${e.domain}.`}${e.opType}${e.supports.startsWith('QDQ form') ? ' (QDQ form)' : ''}`).join(', ');
}
