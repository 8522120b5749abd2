/**
 * The MAC and dot-product models' column fast paths (Numbers in typed arrays) and their BigInt
 * fallbacks against a recomputation written here with BigInt.asIntN / asUintN and explicit clamps
 * (independent of the golden library's wrapInt / saturateInt that the models use), on random and
 * corner stimulus, including the 32-bit unsigned accumulator whose columns hold bit patterns, a
 * fast path whose products reach 2^52, and fallbacks whose values exceed 2^53.
 */
import { describe, expect, test } from 'vitest';
import { fixedFormat, fracBitsOf, intFormat, type FixedFormat } from '../../../formats/fixed.ts';
import { macModel, type MacModelParams } from '../../../sim/models/mac.ts';
import { dotModel, type DotModelParams } from '../../../sim/models/dot.ts';
import { Rng } from '../../../sim/random.ts';
import { VectorSet } from '../../../sim/vector-set.ts';

const i = (w: number) => intFormat(w, true);
const u = (w: number) => intFormat(w, false);

/** Two's-complement (or unsigned) wrap of an exact sum to the accumulator's code width. */
const wrapTo = (f: FixedFormat, x: bigint): bigint => (f.signed ? BigInt.asIntN(f.width, x) : BigInt.asUintN(f.width, x));

/** Clamp of an exact sum to the accumulator's code range. */
function clampTo(f: FixedFormat, x: bigint): bigint {
  const lo = f.signed ? -(1n << BigInt(f.width - 1)) : 0n;
  const hi = f.signed ? (1n << BigInt(f.width - 1)) - 1n : (1n << BigInt(f.width)) - 1n;
  return x < lo ? lo : x > hi ? hi : x;
}

function macReference(p: MacModelParams, rows: readonly (readonly bigint[])[]): bigint[] {
  const shift = BigInt(fracBitsOf(p.accumulator) - fracBitsOf(p.a) - fracBitsOf(p.b));
  let acc = 0n;
  return rows.map(([a, b, en, clear]) => {
    const base = clear === 1n ? 0n : acc;
    const sum = base + ((a! * b!) << shift);
    acc = en === 1n ? (p.overflow === 'wrap' ? wrapTo(p.accumulator, sum) : clampTo(p.accumulator, sum)) : base;
    return acc;
  });
}

function dotReference(p: DotModelParams, rows: readonly (readonly bigint[])[]): bigint[] {
  const shift = BigInt(fracBitsOf(p.accumulator) - fracBitsOf(p.a) - fracBitsOf(p.b));
  return rows.map((r) => {
    let s = 0n;
    for (let k = 0; k < p.lanes; k++) s += r[k]! * r[p.lanes + k]!;
    return wrapTo(p.accumulator, s << shift);
  });
}

/** The same MAC recurrence in doubles: what a fast path that ignored the 2^53 limit would compute. */
function macInDoubles(p: MacModelParams, rows: readonly (readonly bigint[])[]): bigint[] {
  const w = p.accumulator.width;
  let acc = 0;
  return rows.map(([a, b, en, clear]) => {
    const base = clear === 1n ? 0 : acc;
    const sum = base + Number(a!) * Number(b!);
    const lo = p.accumulator.signed ? -(2 ** (w - 1)) : 0;
    acc = en === 1n ? (p.overflow === 'wrap' ? sum - Math.floor((sum - lo) / 2 ** w) * 2 ** w : Math.min(Math.max(sum, lo), lo + 2 ** w - 1)) : base;
    return BigInt(acc);
  });
}

const beyond2p53 = (xs: readonly bigint[]): boolean => xs.some((x) => x > 2n ** 53n || x < -(2n ** 53n));

const MACS: MacModelParams[] = [
  { a: i(8), b: i(8), accumulator: i(32), overflow: 'wrap' },
  { a: i(8), b: i(8), accumulator: i(18), overflow: 'wrap' },
  { a: i(4), b: u(8), accumulator: i(14), overflow: 'saturate' },
  { a: u(8), b: u(8), accumulator: u(32), overflow: 'wrap' },
  { a: u(8), b: u(8), accumulator: u(20), overflow: 'saturate' },
  { a: fixedFormat(8, 2, true), b: fixedFormat(6, 1, true), accumulator: fixedFormat(24, 10, true), overflow: 'saturate' },
  { a: i(16), b: i(16), accumulator: i(32), overflow: 'saturate' },
  // The fast path's edge: products up to (2^32 - 1)(2^20 - 1) < 2^52, sums below 2^53.
  { a: u(32), b: u(20), accumulator: u(32), overflow: 'wrap' },
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

  test('random rows are stimulus of the model\'s ports: codes in range, en and clear single bits', () => {
    const p = MACS[2]!;
    const m = macModel(p);
    const rows = m.random(2_000, new Rng(8));
    expect(rows).toHaveLength(2_000);
    for (const r of rows) {
      expect(r).toHaveLength(m.inputs.length);
      expect(r[0]! >= -8n && r[0]! <= 7n && r[1]! >= 0n && r[1]! <= 255n).toBe(true);
      expect([0n, 1n]).toContain(r[2]);
      expect([0n, 1n]).toContain(r[3]);
    }
  });

  // No fast path where Numbers would not be exact: the BigInt path runs, on values beyond 2^53.
  const FALLBACKS: MacModelParams[] = [
    { a: i(32), b: i(32), accumulator: i(64), overflow: 'wrap' },
    { a: i(32), b: i(32), accumulator: i(64), overflow: 'saturate' },
    { a: u(32), b: u(32), accumulator: u(64), overflow: 'wrap' },
    { a: u(32), b: u(22), accumulator: u(32), overflow: 'wrap' }, // products past 2^53: the fast path's edge crossed
    { a: i(8), b: i(8), accumulator: i(64), overflow: 'wrap' },
  ];
  for (const p of FALLBACKS) {
    test(`BigInt path: ${name(p.a)} x ${name(p.b)} -> ${name(p.accumulator)} ${p.overflow}`, () => {
      const m = macModel(p);
      expect(m.expectedStream).toBeUndefined();
      const rows = [...m.corners(), ...m.random(3_000, new Rng(5))];
      const want = macReference(p, rows);
      expect(m.expected(rows).map((r) => r[0])).toEqual(want);
      if (p.a.width === 32) {
        // Products (and for 64-bit accumulators results) past 2^53 occur, and doubles get them
        // wrong: the comparison above can fail.
        if (p.accumulator.width === 64) expect(beyond2p53(want)).toBe(true);
        expect(macInDoubles(p, rows)).not.toEqual(want);
      }
    });
  }
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

  test('BigInt path: 4 x int32 x int32 -> int72 (no fast path; sums past 2^53)', () => {
    const p: DotModelParams = { lanes: 4, a: i(32), b: i(32), accumulator: i(72), pipeline_stages: 0 };
    const m = dotModel(p);
    expect(m.expectedStream).toBeUndefined();
    const rows = [...m.corners(), ...m.random(2_000, new Rng(6))];
    const want = dotReference(p, rows);
    expect(beyond2p53(want)).toBe(true);
    expect(m.expected(rows).map((r) => r[0])).toEqual(want);
  });
});
