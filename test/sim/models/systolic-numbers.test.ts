/**
 * The float systolic model's Number fast path (`randomSet`, `expectedStream`, `systolic-numbers.ts`)
 * against its bigint row path: `random` with the same seed, and `expected` of a model whose GEMM
 * runs the golden `dotTree` step (`floatStep`, bigint) instead of the Number step. Every operand
 * pair of small formats (fp4, fp6) in both dataflows, corner transactions, random bf16/fp16/fp32
 * and fp8 arrays, fused and unfused, ieee and flush (the generator rounds to nearest even only),
 * with the stream fed in uneven chunks so GEMMs and their C rows straddle chunk boundaries.
 */
import { describe, expect, test } from 'vitest';
import { bf16, fp16, fp32, fp4_e2m1, fp6_e2m3, fp6_e3m2, fp8_e4m3, fp8_e5m2, type FloatFormat } from '../../../sim/golden/index.ts';
import { arrayModel, type Dataflow, type OsGemm, type SystolicModel, type WsTile } from '../../../sim/models/systolic.ts';
import { floatArrayArith, floatGemm, floatStep, systolicFloatModel, type SystolicFloatModelParams } from '../../../sim/models/systolic-float.ts';
import type { StimulusRow } from '../../../sim/models/types.ts';
import { Rng } from '../../../sim/random.ts';
import { VectorSet } from '../../../sim/vector-set.ts';

const OS: Dataflow = 'output_stationary';
const WS: Dataflow = 'weight_stationary';

/** The bigint row path with the golden (bigint `dotTree`) PE step. */
function referenceModel(p: SystolicFloatModelParams): SystolicModel {
  const golden = floatStep(p);
  return arrayModel(p, { ...floatArrayArith(p), gemm: (A, B) => floatGemm(p, A, B, golden) });
}

/** `expectedStream` over `rows` in chunks of 1, 2, 3, 5, 8, 13, ... rows (sizes cycling), concatenated. */
function streamRows(m: SystolicModel, rows: readonly StimulusRow[]): bigint[][] {
  const stream = m.expectedStream!();
  const sizes = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233];
  const out: bigint[][] = [];
  for (let at = 0, k = 0; at < rows.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push(...stream(VectorSet.fromRows(m.inputs, rows.slice(at, at + n))).toRows());
    at += n;
  }
  return out;
}

/** The fast expectation equals the golden rows on `rows` (first difference shown with its row). */
function checkStream(p: SystolicFloatModelParams, rows: readonly StimulusRow[]): void {
  const want = referenceModel(p).expected(rows);
  const got = streamRows(systolicFloatModel(p), rows);
  expect(got.length).toBe(want.length);
  const bad = got.findIndex((r, i) => r.some((v, j) => v !== want[i]![j]));
  if (bad >= 0) expect({ row: bad, stimulus: rows[bad], got: got[bad] }).toEqual({ row: bad, stimulus: rows[bad], got: want[bad] });
}

/** Every code of `f`. */
const codes = (f: FloatFormat): bigint[] => Array.from({ length: 2 ** f.width }, (_, c) => BigInt(c));

/**
 * Transactions in which PE (0, 0) multiplies every (a, b) code pair once (t-th beat of GEMM g:
 * pair g*K + t), on top of the sums of the beats before it; the other PEs see neighbouring codes.
 */
function everyPair(p: SystolicFloatModelParams, K: number): { os: OsGemm[]; ws: WsTile[] } {
  const [as, bs] = [codes(p.a), codes(p.b)];
  const pairs = as.flatMap((a) => bs.map((b) => [a, b] as const));
  const A = (q: number, i: number): bigint => as[(Number(pairs[q % pairs.length]![0]) + i) % as.length]!;
  const B = (q: number, j: number): bigint => bs[(Number(pairs[q % pairs.length]![1]) + 3 * j) % bs.length]!;
  const os: OsGemm[] = [];
  for (let q = 0; q < pairs.length; q += K) {
    os.push({ A: Array.from({ length: p.rows }, (_, i) => Array.from({ length: K }, (_, t) => A(q + t, i))), B: Array.from({ length: K }, (_, t) => Array.from({ length: p.cols }, (_, j) => B(q + t, j))) });
  }
  // WS: one weight tile per b code at grid row 0 (the last step of every sum), the a codes streamed through it.
  const ws: WsTile[] = bs.map((b, y) => ({
    B: Array.from({ length: p.rows }, (_, t) => Array.from({ length: p.cols }, (_, j) => (t === 0 ? bs[(Number(b) + j) % bs.length]! : bs[(y * 7 + t + j) % bs.length]!))),
    A: as.map((a, m) => Array.from({ length: p.rows }, (_, t) => (t === 0 ? a : as[(m + t * 5) % as.length]!))),
  }));
  return { os, ws };
}

const name = (p: SystolicFloatModelParams): string =>
  `${p.dataflow === OS ? 'OS' : 'WS'} ${p.rows}x${p.cols} ${p.a.name} x ${p.b.name} -> ${p.accumulator.name} ${p.fused ? 'fused' : 'unfused'} ${p.subnormals}`;

describe('float systolic fast path: every operand pair of small formats', () => {
  const cases: SystolicFloatModelParams[] = [
    { rows: 2, cols: 2, dataflow: OS, k: 0, a: fp4_e2m1, b: fp4_e2m1, accumulator: fp16, fused: true, subnormals: 'ieee' },
    { rows: 2, cols: 2, dataflow: WS, k: 0, a: fp4_e2m1, b: fp6_e3m2, accumulator: bf16, fused: false, subnormals: 'flush' },
    { rows: 3, cols: 2, dataflow: OS, k: 0, a: fp6_e2m3, b: fp4_e2m1, accumulator: fp16, fused: false, subnormals: 'ieee' },
    { rows: 2, cols: 3, dataflow: WS, k: 0, a: fp6_e3m2, b: fp4_e2m1, accumulator: fp32, fused: true, subnormals: 'flush' },
  ];
  for (const p of cases) {
    test(name(p), () => {
      const m = systolicFloatModel(p);
      const { os, ws } = everyPair(p, 3);
      checkStream(p, p.dataflow === OS ? m.encodeOs(os, new Rng(5)) : m.encodeWs(ws, new Rng(5)));
    });
  }
});

describe('float systolic fast path: randomSet = random, expectedStream = golden rows (corners + random)', () => {
  const cases: [SystolicFloatModelParams, number][] = [
    [{ rows: 2, cols: 2, dataflow: OS, k: 0, a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: 'ieee' }, 3000],
    [{ rows: 2, cols: 2, dataflow: WS, k: 0, a: bf16, b: bf16, accumulator: fp32, fused: false, subnormals: 'flush' }, 3000],
    [{ rows: 3, cols: 2, dataflow: OS, k: 40, a: fp16, b: fp16, accumulator: fp16, fused: false, subnormals: 'ieee' }, 2000],
    [{ rows: 1, cols: 3, dataflow: WS, k: 0, a: fp16, b: fp16, accumulator: bf16, fused: true, subnormals: 'flush' }, 2000],
    [{ rows: 2, cols: 2, dataflow: OS, k: 5, a: fp32, b: fp32, accumulator: fp32, fused: true, subnormals: 'ieee' }, 1500],
    [{ rows: 3, cols: 1, dataflow: WS, k: 0, a: fp32, b: bf16, accumulator: fp32, fused: false, subnormals: 'ieee' }, 1500],
    [{ rows: 2, cols: 3, dataflow: OS, k: 0, a: fp8_e4m3, b: fp8_e5m2, accumulator: fp16, fused: true, subnormals: 'flush' }, 2000],
  ];
  for (const [p, count] of cases) {
    test(`${name(p)}: corners + ${count} random rows`, () => {
      const m = systolicFloatModel(p);
      const set = m.randomSet!(count, new Rng(17));
      const rows = m.random(count, new Rng(17));
      expect(set.toRows()).toEqual(rows);
      checkStream(p, [...m.corners(), ...rows]);
    });
  }

  test('random chunks drawn one after another from one rng are the row path\'s, chunk for chunk', () => {
    const p: SystolicFloatModelParams = { rows: 2, cols: 2, dataflow: WS, k: 0, a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: 'ieee' };
    const m = systolicFloatModel(p);
    const [r1, r2] = [new Rng(3), new Rng(3)];
    for (const n of [1, 7, 300]) expect(m.randomSet!(n, r1).toRows()).toEqual(m.random(n, r2));
  });

  test('protocol violations are refused as by the row path', () => {
    const os = systolicFloatModel({ rows: 3, cols: 2, dataflow: OS, k: 0, a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: 'ieee' });
    const beat = (last: bigint): bigint[] => [1n, 2n, 3n, 4n, 5n, 1n, last];
    const close = [beat(1n), beat(0n), beat(1n)];
    expect(() => os.expected(close)).toThrow(/closer than rows = 3/);
    expect(() => os.expectedStream!()(VectorSet.fromRows(os.inputs, close))).toThrow(/closer than rows = 3/);
    const ws = systolicFloatModel({ rows: 2, cols: 2, dataflow: WS, k: 0, a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: 'ieee' });
    const early = [[0n, 0n, 1n, 1n, 1n, 0n], [1n, 1n, 0n, 0n, 0n, 1n]];
    expect(() => ws.expected(early)).toThrow(/before 2 weight rows/);
    expect(() => ws.expectedStream!()(VectorSet.fromRows(ws.inputs, early))).toThrow(/before 2 weight rows/);
    const ws3 = systolicFloatModel({ rows: 3, cols: 2, dataflow: WS, k: 0, a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: 'ieee' });
    const load = [0n, 0n, 0n, 1n, 1n, 1n, 0n];
    const under = [load, load, load, [1n, 1n, 1n, 0n, 0n, 0n, 1n], load];
    expect(() => ws3.expected(under)).toThrow(/w_load at row 4 changes weights under the activation of row 3/);
    const stream = ws3.expectedStream!();
    stream(VectorSet.fromRows(ws3.inputs, under.slice(0, 4)));
    expect(() => stream(VectorSet.fromRows(ws3.inputs, under.slice(4)))).toThrow(/w_load at row 4 changes weights under the activation of row 3/);
  });
});
