/**
 * The MAC and dot-product models' column fast paths (Numbers in typed arrays) against a plain
 * BigInt recomputation from the golden library's wrapInt / saturateInt, on random and corner
 * stimulus, including the 32-bit unsigned accumulator whose columns hold bit patterns.
 */
import { describe, expect, test } from 'vitest';
import { intType, saturateInt, wrapInt } from '../../../sim/golden/index.ts';
import { fixedFormat, fracBitsOf, intFormat, type FixedFormat } from '../../../formats/fixed.ts';
import { macModel, type MacModelParams } from '../../../sim/models/mac.ts';
import { dotModel, type DotModelParams } from '../../../sim/models/dot.ts';
import { Rng } from '../../../sim/random.ts';
import { VectorSet } from '../../../sim/vector-set.ts';

const i = (w: number) => intFormat(w, true);
const u = (w: number) => intFormat(w, false);

function macReference(p: MacModelParams, rows: readonly (readonly bigint[])[]): bigint[] {
  const t = intType(p.accumulator.width, p.accumulator.signed);
  const shift = BigInt(fracBitsOf(p.accumulator) - fracBitsOf(p.a) - fracBitsOf(p.b));
  let acc = 0n;
  return rows.map(([a, b, en, clear]) => {
    const base = clear === 1n ? 0n : acc;
    const sum = base + ((a! * b!) << shift);
    acc = en === 1n ? (p.overflow === 'wrap' ? wrapInt(sum, t) : saturateInt(sum, t)) : base;
    return acc;
  });
}

function dotReference(p: DotModelParams, rows: readonly (readonly bigint[])[]): bigint[] {
  const t = intType(p.accumulator.width, p.accumulator.signed);
  const shift = BigInt(fracBitsOf(p.accumulator) - fracBitsOf(p.a) - fracBitsOf(p.b));
  return rows.map((r) => {
    let s = 0n;
    for (let k = 0; k < p.lanes; k++) s += r[k]! * r[p.lanes + k]!;
    return wrapInt(s << shift, t);
  });
}

const MACS: MacModelParams[] = [
  { a: i(8), b: i(8), accumulator: i(32), overflow: 'wrap' },
  { a: i(8), b: i(8), accumulator: i(18), overflow: 'wrap' },
  { a: i(4), b: u(8), accumulator: i(14), overflow: 'saturate' },
  { a: u(8), b: u(8), accumulator: u(32), overflow: 'wrap' },
  { a: u(8), b: u(8), accumulator: u(20), overflow: 'saturate' },
  { a: fixedFormat(8, 2, true), b: fixedFormat(6, 1, true), accumulator: fixedFormat(24, 10, true), overflow: 'saturate' },
  { a: i(16), b: i(16), accumulator: i(32), overflow: 'saturate' },
];

const name = (f: FixedFormat) => `${f.signed ? '' : 'u'}${f.width}.${fracBitsOf(f)}`;

describe('mac model fast path', () => {
  for (const p of MACS) {
    test(`${name(p.a)} x ${name(p.b)} -> ${name(p.accumulator)} ${p.overflow}`, () => {
      const m = macModel(p);
      expect(m.expectedStream).toBeDefined();
      const stim = VectorSet.concat(m.inputs, [VectorSet.fromRows(m.inputs, m.corners()), m.randomSet!(20_000, new Rng(3))]);
      const rows = stim.toRows();
      const want = macReference(p, rows);
      expect(m.expectedStream!()(stim).toRows().map((r) => r[0])).toEqual(want);
      // Fed in chunks, the stream carries the accumulator across them.
      const stream = m.expectedStream!();
      const chunked = [0, 1000, 7777, rows.length].slice(1).flatMap((end, k, ends) => stream(VectorSet.fromRows(m.inputs, rows.slice(k === 0 ? 0 : ends[k - 1], end))).toRows());
      expect(chunked.map((r) => r[0])).toEqual(want);
      expect(m.expected(rows).map((r) => r[0])).toEqual(want);
      expect(m.random(500, new Rng(8))).toEqual(m.randomSet!(500, new Rng(8)).toRows());
    });
  }
  test('random vectors: every operand code occurs, en = 1 and clear = 0 with probability 7/8', () => {
    for (const p of [MACS[0]!, MACS[2]!]) {
      const rows = macModel(p).randomSet!(80_000, new Rng(12)).toRows();
      for (const [k, f] of [[0, p.a], [1, p.b]] as const) {
        const lo = f.signed ? -(2n ** BigInt(f.width - 1)) : 0n;
        const seen = new Set(rows.map((r) => r[k]!));
        expect(seen.size).toBe(2 ** f.width);
        expect([...seen].every((v) => v >= lo && v < lo + 2n ** BigInt(f.width))).toBe(true);
      }
      const share = (k: number) => rows.filter((r) => r[k] === 1n).length / rows.length;
      expect(Math.abs(share(2) - 7 / 8)).toBeLessThan(0.01);
      expect(Math.abs(share(3) - 1 / 8)).toBeLessThan(0.01);
    }
  });

  test('no fast path when Numbers would not be exact (64-bit accumulator)', () => {
    expect(macModel({ a: i(8), b: i(8), accumulator: i(64), overflow: 'wrap' }).expectedStream).toBeUndefined();
  });
});

const DOTS: DotModelParams[] = [
  { lanes: 16, a: i(8), b: i(8), accumulator: i(20), pipeline_stages: 2 },
  { lanes: 16, a: i(8), b: i(8), accumulator: i(12), pipeline_stages: 0 },
  { lanes: 3, a: u(8), b: i(8), accumulator: i(18), pipeline_stages: 1 },
  { lanes: 4, a: u(8), b: u(8), accumulator: u(32), pipeline_stages: 1 },
  { lanes: 5, a: fixedFormat(8, 3, true), b: fixedFormat(8, 0, true), accumulator: fixedFormat(24, 8, true), pipeline_stages: 1 },
];

describe('dot model fast path', () => {
  for (const p of DOTS) {
    test(`${p.lanes} x ${name(p.a)} x ${name(p.b)} -> ${name(p.accumulator)}`, () => {
      const m = dotModel(p);
      expect(m.expectedStream).toBeDefined();
      const stim = VectorSet.concat(m.inputs, [VectorSet.fromRows(m.inputs, m.corners()), m.randomSet!(5_000, new Rng(4))]);
      const rows = stim.toRows();
      const want = dotReference(p, rows);
      expect(m.expectedStream!()(stim).toRows().map((r: bigint[]) => r[0])).toEqual(want);
      expect(m.expected(rows).map((r) => r[0])).toEqual(want);
    });
  }
});
