/**
 * Transaction model of `mac`, from the golden library: exact product of the operand codes,
 * aligned to the accumulator's binary point, added to the running sum, narrowed with wrap or
 * saturate. Expected row i is the accumulator after applying stimulus row i (latency 1).
 */
import { intType, saturateInt, wrapInt } from '../golden/index.ts';
import type { FixedFormat } from '../../formats/index.ts';
import { formatName, fracBitsOf } from '../../formats/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { codeRange, portOf } from './ports.ts';
import { VectorSet } from '../vector-set.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { macGenerator } from '../../dsl/npu/mac.ts';
import { resolveAccumulator } from './auto-accumulator.ts';
import type { Port } from '../../formats/port.ts';

export interface MacModelParams {
  readonly a: FixedFormat;
  readonly b: FixedFormat;
  /** The resolved accumulator format (after `auto`). */
  readonly accumulator: FixedFormat;
  readonly overflow: 'wrap' | 'saturate';
}

export function macModel(p: MacModelParams): TransactionModel {
  const inputs: Port[] = [portOf('a', p.a), portOf('b', p.b), { name: 'en', width: 1, signed: false, format: 'uint1' }, { name: 'clear', width: 1, signed: false, format: 'uint1' }];
  const outputs: Port[] = [portOf('acc_out', p.accumulator)];
  const accType = intType(p.accumulator.width, p.accumulator.signed);
  const shift = BigInt(fracBitsOf(p.accumulator) - fracBitsOf(p.a) - fracBitsOf(p.b));
  const [alo, ahi] = codeRange(p.a);
  const [blo, bhi] = codeRange(p.b);
  const numeric = numericExpected(p, outputs, shift, [alo, ahi], [blo, bhi]);
  /**
   * a, b: uniform codes; en = 1 and clear = 0 each with probability 7/8, from the low 3 bits of the
   * random byte in their own slot.
   */
  const randomSet = (count: number, rng: Rng): VectorSet => {
    const set = VectorSet.randomBytes(inputs, count, rng);
    set.clearPadding(0);
    set.clearPadding(1);
    const { view, start, stride } = set.bytes(2); // en and clear are uint1: one byte each, clear right after en
    for (let i = 0, o = start; i < count; i++, o += stride) {
      view[o] = (view[o]! & 7) === 0 ? 0 : 1;
      view[o + 1] = (view[o + 1]! & 7) === 0 ? 1 : 0;
    }
    return set;
  };
  return {
    inputs,
    outputs,
    latency: 1,
    randomSet,
    random: (count: number, rng: Rng) => randomSet(count, rng).toRows(),
    corners: () => {
      const rows: bigint[][] = [];
      const as = [alo, ahi, 0n, 1n, -1n].filter((v) => v >= alo && v <= ahi);
      const bs = [blo, bhi, 0n, 1n, -1n].filter((v) => v >= blo && v <= bhi);
      for (const a of as) for (const b of bs) rows.push([a, b, 1n, 1n]);
      // Long runs of the largest-magnitude products drive the accumulator to its overflow edges.
      for (const [a, b] of [[alo, blo], [ahi, bhi], [alo, bhi], [ahi, blo]] as const) {
        rows.push([a, b, 1n, 1n]);
        for (let i = 0; i < 40; i++) rows.push([a, b, 1n, 0n]);
      }
      rows.push([ahi, bhi, 0n, 1n], [ahi, bhi, 0n, 0n]);
      return rows;
    },
    exhaustive: () => {
      const n = (ahi - alo + 1n) * (bhi - blo + 1n);
      if (n > 65536n) return undefined;
      const rows: bigint[][] = [];
      let i = 0;
      // Every operand pair once; a clear every 16 vectors so sums of varied products are checked too.
      for (let a = alo; a <= ahi; a++) for (let b = blo; b <= bhi; b++) rows.push([a, b, 1n, i++ % 16 === 0 ? 1n : 0n]);
      return rows;
    },
    ...(numeric !== undefined ? { expectedStream: numeric } : {}),
    expected: (stimulus: readonly StimulusRow[]) => {
      if (numeric !== undefined) return numeric()(VectorSet.fromRows(inputs, stimulus)).toRows();
      let acc = 0n;
      return stimulus.map(([a, b, en, clear]) => {
        const base = clear === 1n ? 0n : acc;
        if (en === 1n) {
          const sum = base + ((a! * b!) << shift);
          acc = p.overflow === 'wrap' ? wrapInt(sum, accType) : saturateInt(sum, accType);
        } else acc = base;
        return [acc];
      });
    },
  };
}

/**
 * The expected values computed in Numbers, straight from and into the vector bytes, when that is exact: accumulator of at
 * most 32 bits and |acc| + |a*b << shift| below 2^53 (int8 x int8 -> int32: 2^31 + 2^14). Same
 * results as the BigInt path (the tests compare them), and no BigInt per vector at all.
 */
function numericExpected(p: MacModelParams, outputs: readonly Port[], shift: bigint, [alo, ahi]: [bigint, bigint], [blo, bhi]: [bigint, bigint]): (() => (chunk: VectorSet) => VectorSet) | undefined {
  const w = p.accumulator.width;
  const mag = (lo: bigint, hi: bigint): number => Math.max(Math.abs(Number(lo)), Math.abs(Number(hi)));
  if (w > 32 || p.a.width > 32 || p.b.width > 32 || shift < 0n || shift > 20n || mag(alo, ahi) * mag(blo, bhi) * 2 ** Number(shift) + 2 ** w >= 2 ** 53) return undefined;
  const scale = 2 ** Number(shift);
  const mod = 2 ** w;
  const lo = p.accumulator.signed ? -(2 ** (w - 1)) : 0;
  const hi = lo + mod - 1;
  const wrap = p.overflow === 'wrap';
  return () => {
    let acc = 0; // the accumulator after reset, carried from chunk to chunk
    const step = (base: number, product: number): number => {
      const sum = base + product * scale;
      return wrap ? sum - Math.floor((sum - lo) / mod) * mod : sum < lo ? lo : sum > hi ? hi : sum;
    };
    return (stimulus) => {
      const out = VectorSet.alloc(outputs, stimulus.length);
      const { view: ctl, start, stride } = stimulus.bytes(2); // en, then clear in the next byte
      const write = out.writer(0);
      if (oneByte(p.a) && oneByte(p.b)) {
        // Byte-wide operands (int8 x int8, the common case): read a and b through typed views too.
        const [a, b] = [stimulus.bytes(0), stimulus.bytes(1)];
        const [va, vb, da, db] = [a.view, b.view, a.start - start, b.start - start];
        let x = acc; // a local in the loop: the captured `acc` would box every double stored in it
        const words = out.int32s(0);
        if (words !== undefined) {
          // A 32-bit accumulator: `step` gives an exact in-range integer, stored as its 32-bit pattern.
          const { view: w, start: ws, stride: wstride } = words;
          for (let i = 0, o = start, q = ws; i < stimulus.length; i++, o += stride, q += wstride) {
            const base = ctl[o + 1] === 1 ? 0 : x;
            x = ctl[o] === 1 ? step(base, va[o + da]! * vb[o + db]!) : base;
            w[q] = x;
          }
        } else {
          for (let i = 0, o = start; i < stimulus.length; i++, o += stride) {
            const base = ctl[o + 1] === 1 ? 0 : x;
            x = ctl[o] === 1 ? step(base, va[o + da]! * vb[o + db]!) : base;
            write(i, x);
          }
        }
        acc = x;
        return out;
      }
      const [a, b] = [stimulus.reader(0), stimulus.reader(1)];
      let x = acc;
      for (let i = 0, o = start; i < stimulus.length; i++, o += stride) {
        const base = ctl[o + 1] === 1 ? 0 : x;
        x = ctl[o] === 1 ? step(base, a(i) * b(i)) : base;
        write(i, x);
      }
      acc = x;
      return out;
    };
  };
}

/** Whether a format's codes are one byte in the vector files and readable through `VectorSet.bytes`. */
function oneByte(f: FixedFormat): boolean {
  return f.signed ? f.width === 8 : f.width <= 8;
}

export function describeMacModel(p: MacModelParams): string {
  return `mac ${formatName(p.a)} x ${formatName(p.b)} -> ${formatName(p.accumulator)} (${p.overflow})`;
}

/** The `mac` generator's model, from the params the generator was built with. */
export function macGeneratorModel(p: GeneratorParams<typeof macGenerator>): TransactionModel {
  return macModel({ a: p.a, b: p.b, accumulator: resolveAccumulator(p, p.k), overflow: p.overflow });
}
