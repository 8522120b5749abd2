/**
 * The first mismatch of a quantized GEMM run, described for a person: the output element, its
 * expected and actual values decoded in the output format (the verify report's wording), the
 * golden accumulator and requantization parameters, and the operands that produced it.
 */
import { show, formatExpectedGot } from '../report.ts';
import type { Mismatch } from '../results.ts';
import { numberToFp32 } from '../golden/float/fast.ts';
import type { OsSchedule } from './os-schedule.ts';
import { bZeroPointOf, evalQuantGemmAccumulators, type QuantGemmSpec } from './quant-gemm.ts';
import type { QuantGemmMismatch } from './quant-gemm-tiles.ts';

/** Operands listed in a detail before it elides the rest. */
const SHOWN = 8;

const list = (xs: readonly number[]): string => `[${xs.slice(0, SHOWN).join(', ')}${xs.length > SHOWN ? `, ... (${xs.length} in all)` : ''}]`;

export function describeMismatch(spec: QuantGemmSpec, padded: QuantGemmSpec, schedule: OsSchedule, mm: Mismatch): QuantGemmMismatch {
  const at = `cycle ${mm.vectorIndex}`;
  const o = schedule.outputRows.get(mm.vectorIndex);
  const lane = /^y_(\d+)$/.exec(mm.port);
  if (!o || !lane) {
    return { row: -1, col: -1, expected: Number(mm.expected), actual: mm.got === null ? NaN : Number(mm.got), detail: `${at}, port ${mm.port}: expected ${mm.expected}, got ${mm.got ?? 'X/Z'} (the tile's protocol, not a value)` };
  }
  const row = o.row;
  const col = o.col0 + Number(lane[1]);
  const out = spec.output;
  const port = out.kind === 'requant' ? { name: mm.port, width: 8, signed: out.type === 'int8', format: out.type } : { name: mm.port, width: 32, signed: true, format: 'int32' };
  const { k } = padded;
  const acc = evalQuantGemmAccumulators({ ...padded, m: 1, a: { ...padded.a, data: padded.a.data.subarray(row * k, row * k + k) } })[col]!;
  const a = Array.from(padded.a.data.subarray(row * k, row * k + k));
  const b = Array.from({ length: k }, (_, t) => padded.b.data[t * padded.n + col]!);
  const pad = row >= spec.m || col >= spec.n ? ' (a padding element of an edge tile)' : '';
  const neg = (z: number): string => (z < 0 ? `(${z})` : `${z}`);
  const parts = [
    `y[${row}][${col}]${pad} at ${at}: ${formatExpectedGot(port, mm.expected, mm.got)}`,
    `accumulator ${acc} (int32) = sum over t < ${k} of (a[${row}][t] - ${neg(spec.a.zeroPoint)}) * (b[t][${col}] - ${neg(bZeroPointOf(padded, col))})${padded.bias ? ` + bias ${padded.bias[col]}` : ''}`,
  ];
  if (out.kind === 'requant' && padded.output.kind === 'requant') {
    const m = padded.output.multiplier[padded.output.multiplier.length === 1 ? 0 : col]!;
    parts.push(`multiplier ${show({ format: 'fp32', width: 32 }, BigInt(numberToFp32(m)))}, zero point ${out.zeroPoint}, clamp [${out.min}, ${out.max}]`);
  }
  parts.push(`a[${row}][0..${k}) (${spec.a.type}) = ${list(a)}`, `b[0..${k})[${col}] (${spec.b.type}) = ${list(b)}`);
  return { row, col, expected: Number(mm.expected), actual: mm.got === null ? NaN : Number(BigInt.asIntN(64, mm.got)), detail: parts.join('; ') };
}
