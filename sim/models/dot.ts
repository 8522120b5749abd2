/**
 * Transaction model of `dot`, from the golden library: the exact sum of the lanes' products
 * (aligned to the accumulator's binary point), narrowed to the accumulator with `wrapInt` (the
 * generator's stated overflow; an `auto` accumulator never wraps). Rows are independent;
 * latency = pipeline_stages.
 */
import { intType, wrapInt } from '../golden/index.ts';
import type { FixedFormat } from '../../formats/index.ts';
import { formatName, fracBitsOf } from '../../formats/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { codeRange, portOf } from './ports.ts';
import { VectorSet } from '../vector-set.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { dotGenerator } from '../../dsl/npu/dot.ts';
import { resolveAccumulator } from './auto-accumulator.ts';
import type { Port } from '../../formats/port.ts';

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
  const inputs: Port[] = [
    ...Array.from({ length: n }, (_, i) => portOf(`a${i}`, p.a)),
    ...Array.from({ length: n }, (_, i) => portOf(`b${i}`, p.b)),
  ];
  const outputs: Port[] = [portOf('y', p.accumulator)];
  const accType = intType(p.accumulator.width, p.accumulator.signed);
  const shift = BigInt(fracBitsOf(p.accumulator) - fracBitsOf(p.a) - fracBitsOf(p.b));
  const [alo, ahi] = codeRange(p.a);
  const [blo, bhi] = codeRange(p.b);
  const row = (as: readonly bigint[], bs: readonly bigint[]): bigint[] => [...as, ...bs];
  const fill = (v: bigint): bigint[] => Array.from({ length: n }, () => v);
  const inA = (v: bigint): boolean => v >= alo && v <= ahi;
  const inB = (v: bigint): boolean => v >= blo && v <= bhi;
  const numeric = numericExpected(p, outputs, shift);
  const randomSet = (count: number, rng: Rng): VectorSet => VectorSet.random(inputs, count, rng);
  return {
    inputs,
    outputs,
    latency: p.pipeline_stages,
    randomSet,
    random: (count: number, rng: Rng) => randomSet(count, rng).toRows(),
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
    ...(numeric !== undefined ? { expectedStream: () => numeric } : {}),
    expected: (stimulus: readonly StimulusRow[]) => {
      if (numeric !== undefined) return numeric(VectorSet.fromRows(inputs, stimulus)).toRows();
      return stimulus.map((r) => {
        let sum = 0n;
        for (let i = 0; i < n; i++) sum += r[i]! * r[n + i]!;
        return [wrapInt(sum << shift, accType)];
      });
    },
  };
}

/**
 * The expected values computed in Numbers, straight from and into the vector bytes, when that is exact:
 * operands and accumulator of at most 32 bits and every partial sum, shifted to the binary point,
 * below 2^53 (int8 x int8 x 16 lanes: 2^19). The final narrowing is `wrapInt`'s modulo 2^W in
 * Numbers. Same results as the BigInt path; the tests compare them.
 */
function numericExpected(p: DotModelParams, outputs: readonly Port[], shift: bigint): ((stimulus: VectorSet) => VectorSet) | undefined {
  const n = p.lanes;
  const w = p.accumulator.width;
  const mag = (f: FixedFormat): number => 2 ** (f.signed ? f.width - 1 : f.width);
  if (w > 32 || p.a.width > 32 || p.b.width > 32 || shift < 0n || shift > 20n || mag(p.a) * mag(p.b) * n * 2 ** Number(shift) + 2 ** w >= 2 ** 53) return undefined;
  const scale = 2 ** Number(shift);
  const mod = 2 ** w;
  const lo = p.accumulator.signed ? -(2 ** (w - 1)) : 0;
  return (stimulus) => {
    const out = VectorSet.alloc(outputs, stimulus.length);
    const write = out.writer(0);
    const wrapped = (s: number): number => s - Math.floor((s - lo) / mod) * mod; // into [lo, lo + 2^W)
    if (p.a.width === 8 && p.b.width === 8) {
      // The common 8-bit case reads the rows through typed views (lanes are consecutive bytes).
      const a = stimulus.bytes(0);
      const b = stimulus.bytes(n);
      const va = a.view;
      const vb = b.view;
      for (let r = 0, oa = a.start, ob = b.start; r < stimulus.length; r++, oa += a.stride, ob += b.stride) {
        let s = 0;
        for (let i = 0; i < n; i++) s += va[oa + i]! * vb[ob + i]!;
        write(r, wrapped(s * scale));
      }
      return out;
    }
    const a = Array.from({ length: n }, (_, i) => stimulus.reader(i));
    const b = Array.from({ length: n }, (_, i) => stimulus.reader(n + i));
    for (let r = 0; r < stimulus.length; r++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i]!(r) * b[i]!(r);
      write(r, wrapped(s * scale));
    }
    return out;
  };
}

export function describeDotModel(p: DotModelParams): string {
  return `dot ${p.lanes} x (${formatName(p.a)} x ${formatName(p.b)}) -> ${formatName(p.accumulator)}, ${p.pipeline_stages} stage(s)`;
}

/** The `dot` generator's model, from the params the generator was built with. */
export function dotGeneratorModel(p: GeneratorParams<typeof dotGenerator>): TransactionModel {
  return dotModel({ ...p, accumulator: resolveAccumulator(p, p.lanes) });
}
