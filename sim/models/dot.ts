/**
 * Transaction model of `dot`, from the golden library: the exact sum of the lanes' products
 * (aligned to the accumulator's binary point), narrowed to the accumulator with `wrapInt` (the
 * generator's stated overflow; an `auto` accumulator never wraps). Rows are independent;
 * latency = pipeline_stages.
 */
import { intType, wrapInt } from '../golden/index.ts';
import type { FixedFormat } from '../../dsl/types/format-string.ts';
import { formatName, fracBitsOf } from '../../dsl/types/format-string.ts';
import type { Rng } from '../random.ts';
import type { ModelPort, StimulusRow, TransactionModel } from './types.ts';
import { codeRange, portOf } from './ports.ts';
import { codeSampler } from './mac.ts';

export interface DotModelParams {
  readonly lanes: number;
  readonly a: FixedFormat;
  readonly b: FixedFormat;
  /** The resolved accumulator format (after `auto`). */
  readonly accumulator: FixedFormat;
  readonly pipeline_stages: number;
}

export function dotModel(p: DotModelParams): TransactionModel {
  const n = p.lanes;
  const inputs: ModelPort[] = [
    ...Array.from({ length: n }, (_, i) => portOf(`a${i}`, p.a)),
    ...Array.from({ length: n }, (_, i) => portOf(`b${i}`, p.b)),
  ];
  const outputs: ModelPort[] = [portOf('y', p.accumulator)];
  const accType = intType(p.accumulator.width, p.accumulator.signed);
  const shift = BigInt(fracBitsOf(p.accumulator) - fracBitsOf(p.a) - fracBitsOf(p.b));
  const [alo, ahi] = codeRange(p.a);
  const [blo, bhi] = codeRange(p.b);
  const row = (as: readonly bigint[], bs: readonly bigint[]): bigint[] => [...as, ...bs];
  const fill = (v: bigint): bigint[] => Array.from({ length: n }, () => v);
  const inA = (v: bigint): boolean => v >= alo && v <= ahi;
  const inB = (v: bigint): boolean => v >= blo && v <= bhi;
  return {
    inputs,
    outputs,
    latency: p.pipeline_stages,
    random: (count: number, rng: Rng) => {
      // Same draw order as before (all a lanes, then all b lanes), one array per row.
      const codeA = codeSampler(p.a);
      const codeB = codeSampler(p.b);
      const rows: bigint[][] = new Array<bigint[]>(count);
      for (let r = 0; r < count; r++) {
        const v = new Array<bigint>(2 * n);
        for (let i = 0; i < n; i++) v[i] = codeA(rng);
        for (let i = 0; i < n; i++) v[n + i] = codeB(rng);
        rows[r] = v;
      }
      return rows;
    },
    corners: () => {
      const rows: bigint[][] = [];
      // Every lane at the same extreme: the largest positive and negative sums (and wrap edges).
      for (const a of [alo, ahi, 0n, 1n, -1n].filter(inA)) for (const b of [blo, bhi, 0n, 1n, -1n].filter(inB)) rows.push(row(fill(a), fill(b)));
      // One lane active at a time (checks every lane's wiring and position in the tree).
      for (let i = 0; i < n; i++) {
        const as = fill(0n);
        const bs = fill(0n);
        as[i] = ahi;
        bs[i] = blo === 0n ? bhi : blo;
        rows.push(row(as, bs));
        as[i] = alo === 0n ? 1n : alo;
        bs[i] = bhi;
        rows.push(row(as, bs));
      }
      // Alternating extreme products: cancellation through every tree level.
      rows.push(row(fill(0n).map((_, i) => (i % 2 === 0 ? ahi : alo)), fill(bhi)));
      rows.push(row(fill(alo), fill(0n).map((_, i) => (i % 2 === 0 ? blo : bhi))));
      return rows;
    },
    exhaustive: () => {
      // Every operand combination when 2n inputs have <= 2^16 combinations (1 lane of 8-bit codes).
      const total = ((ahi - alo + 1n) * (bhi - blo + 1n)) ** BigInt(n);
      if (total > 65536n) return undefined;
      const rows: bigint[][] = [];
      const wa = ahi - alo + 1n;
      const wb = bhi - blo + 1n;
      for (let c = 0n; c < total; c++) {
        let x = c;
        const as: bigint[] = [];
        const bs: bigint[] = [];
        for (let i = 0; i < n; i++) {
          as.push(alo + (x % wa)); x /= wa;
          bs.push(blo + (x % wb)); x /= wb;
        }
        rows.push(row(as, bs));
      }
      return rows;
    },
    expected: (stimulus: readonly StimulusRow[]) => {
      // Exact in Numbers when every partial sum stays below 2^53 (int8 x int8 x 16 lanes: 2^19),
      // one BigInt per row at the end; else in BigInt.
      const mag = (lo: bigint, hi: bigint): number => Math.max(Math.abs(Number(lo)), Math.abs(Number(hi)));
      const exactInNumbers = mag(alo, ahi) * mag(blo, bhi) * n < 2 ** 53;
      return stimulus.map((r) => {
        if (exactInNumbers) {
          let s = 0;
          for (let i = 0; i < n; i++) s += Number(r[i]!) * Number(r[n + i]!);
          return [wrapInt(BigInt(s) << shift, accType)];
        }
        let sum = 0n;
        for (let i = 0; i < n; i++) sum += r[i]! * r[n + i]!;
        return [wrapInt(sum << shift, accType)];
      });
    },
  };
}

export function describeDotModel(p: DotModelParams): string {
  return `dot ${p.lanes} x (${formatName(p.a)} x ${formatName(p.b)}) -> ${formatName(p.accumulator)}, ${p.pipeline_stages} stage(s)`;
}
