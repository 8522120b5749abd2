/**
 * Transaction model of `systolic_array`, from the golden library: each GEMM the stimulus
 * carries is recomputed with the golden GEMM (`gemmInt8` / `gemmInt8BigInt` for operands of at
 * most 8 bits, `integerMatMul` for wider codes), aligned to the accumulator's binary point
 * and wrapped to its width (`wrapInt`; exact with an `auto` accumulator). The stimulus is
 * parsed with the protocol stated in `dsl/npu/systolic.ts` and nothing else: the model never
 * looks at the IR. The protocol part (`arrayModel`) is shared with float arrays, whose elements
 * and GEMM (`ArrayArith`) are in `systolic-float.ts`.
 *
 * Expected-row alignment (row n compared `latency` cycles after stimulus row n):
 * - output_stationary, latency rows + cols: for a GEMM whose last beat is stimulus row n,
 *   expected rows n .. n + rows - 1 carry C rows 0 .. rows-1 with out_valid = 1.
 * - weight_stationary, latency rows + cols - 1: expected row n carries C's row for the
 *   activation beat of stimulus row n, out_valid = in_valid.
 * c_* are compared only where out_valid is 1 (`validBy`); elsewhere the model writes 0.
 *
 * Stimulus: `random(count)` treats count as a cycle budget and emits whole transactions (OS:
 * GEMMs with random K in 1..min(k, 2*rows+3), random idle cycles inside and between GEMMs,
 * garbage on the data inputs in idle cycles, the rows - 1 drain cycles after the final GEMM;
 * WS: weight tiles, each followed by a random number of activation rows with gaps), at least
 * one. `corners()`: all-max, all-min, max x min, zeros and checkerboard operands (OS with
 * K = min(k, 256), or 2 * rows + 3 when k = 0, so an `auto` accumulator reaches its exact extremes when k <= 256), K = 1
 * GEMMs and back-to-back transactions.
 */
import { gemmInt8, gemmInt8BigInt, int32AccumulationIsExact, integerMatMul, wrapInt } from '../golden/index.ts';
import type { FixedFormat } from '../../formats/index.ts';
import { formatName, fracBitsOf } from '../../formats/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { codeRange, portOf, randomCode } from './ports.ts';
import type { Port } from '../../formats/port.ts';
import { arrayExpectedStream, arrayRandomSet, type ArrayNumbers } from './systolic-numbers.ts';

export type Dataflow = 'output_stationary' | 'weight_stationary';

export interface SystolicModelParams {
  readonly rows: number;
  readonly cols: number;
  readonly dataflow: Dataflow;
  readonly a: FixedFormat;
  readonly b: FixedFormat;
  /** The resolved accumulator format (after `auto`). */
  readonly accumulator: FixedFormat;
  /** OS: terms per GEMM the accumulator is sized for (bounds random K); WS: unused. */
  readonly k: number;
}

export type Matrix = readonly (readonly bigint[])[];

/** An output-stationary transaction: A (rows x K), B (K x cols); `gaps[t]` idle cycles before beat t. */
export interface OsGemm {
  readonly A: Matrix;
  readonly B: Matrix;
  readonly gaps?: readonly number[];
}

/** A weight-stationary transaction: weights B (rows x cols), then activation rows A (M x rows). */
export interface WsTile {
  readonly B: Matrix;
  readonly A: Matrix;
  /** Idle cycles before activation row m. */
  readonly gaps?: readonly number[];
}

/** Exact C = A . B of operand codes, from the golden GEMM. */
export function goldenGemm(A: Matrix, B: Matrix, fa: Pick<FixedFormat, 'width' | 'signed'>, fb: Pick<FixedFormat, 'width' | 'signed'>): bigint[][] {
  const m = A.length;
  const k = B.length;
  const n = B[0]?.length ?? 0;
  if (fa.width > 8 || fb.width > 8) return integerMatMul(A, B);
  const pack = (rows: Matrix, signed: boolean, len: number) => {
    const out = signed ? new Int8Array(len) : new Uint8Array(len);
    let i = 0;
    for (const r of rows) for (const v of r) out[i++] = Number(v);
    return out;
  };
  const a = pack(A, fa.signed, m * k);
  const b = pack(B, fb.signed, k * n);
  const s = { m, k, n };
  const flat: readonly (number | bigint)[] = int32AccumulationIsExact(a, b, s, {}) ? Array.from(gemmInt8(a, b, s)) : gemmInt8BigInt(a, b, s);
  return Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => BigInt(flat[i * n + j]!)));
}

export function systolicModelPorts(p: SystolicModelParams): { inputs: Port[]; outputs: Port[] } {
  return arrayPorts(p, (name) => portOf(name, p.a), (name) => portOf(name, p.b), (name) => portOf(name, p.accumulator, 'out_valid'));
}

/** The array's ports, the element ports given (a_*, b_*, then the dataflow's control bits; c_*, out_valid). */
export function arrayPorts(p: ArrayShape, aPort: (name: string) => Port, bPort: (name: string) => Port, cPort: (name: string) => Port): { inputs: Port[]; outputs: Port[] } {
  const bit = (name: string): Port => ({ name, width: 1, signed: false, format: 'uint1' });
  const data = [...Array.from({ length: p.rows }, (_, i) => aPort(`a_${i}`)), ...Array.from({ length: p.cols }, (_, j) => bPort(`b_${j}`))];
  const ctl = p.dataflow === 'output_stationary' ? [bit('in_valid'), bit('last')] : [bit('w_load'), bit('in_valid')];
  return { inputs: [...data, ...ctl], outputs: [...Array.from({ length: p.cols }, (_, j) => cPort(`c_${j}`)), bit('out_valid')] };
}

export interface SystolicModel extends TransactionModel {
  /** Stimulus rows for OS transactions, back to back (idle cycles only where the protocol needs them). */
  encodeOs(gemms: readonly OsGemm[], rng?: Rng): StimulusRow[];
  /** Stimulus rows for WS transactions, back to back. */
  encodeWs(tiles: readonly WsTile[], rng?: Rng): StimulusRow[];
  /** The expected C of one GEMM (codes in the accumulator format: integers wrapped, floats rounded per step). */
  gemm(A: Matrix, B: Matrix): bigint[][];
}

/** The array's geometry and dataflow (what the protocol depends on). */
export interface ArrayShape {
  readonly rows: number;
  readonly cols: number;
  readonly dataflow: Dataflow;
  /** OS: terms per GEMM (bounds random K; sizes the corner GEMMs); WS: unused. */
  readonly k: number;
}

/**
 * What differs between integer and float arrays: the ports, the element codes and the GEMM.
 * The protocol (encoding, parsing, expected-row alignment, random transaction shapes) is shared.
 */
export interface ArrayArith {
  readonly inputs: readonly Port[];
  readonly outputs: readonly Port[];
  /** One random A element / B element (also the garbage on idle cycles). */
  randomA(rng: Rng): bigint;
  randomB(rng: Rng): bigint;
  /** C of one GEMM (OS: A rows x K, B K x cols; WS: A M x rows, B rows x cols), as output codes. */
  gemm(A: Matrix, B: Matrix): bigint[][];
  /** Corner-case transactions of the dataflow. */
  cornersOs(): OsGemm[];
  cornersWs(): WsTile[];
  /**
   * The elements and PE step on Numbers (`systolic-numbers.ts`), when the arith has them: the
   * model then has `randomSet` and `expectedStream`, which must give what `random` and `expected` give.
   */
  readonly numbers?: ArrayNumbers;
}

export function systolicModel(p: SystolicModelParams): SystolicModel {
  return arrayModel(p, intArith(p));
}

function intArith(p: SystolicModelParams): ArrayArith {
  const R = p.rows;
  const C = p.cols;
  const { inputs, outputs } = systolicModelPorts(p);
  const accType = { bits: p.accumulator.width, signed: p.accumulator.signed };
  const shift = BigInt(fracBitsOf(p.accumulator) - fracBitsOf(p.a) - fracBitsOf(p.b));
  const [alo, ahi] = codeRange(p.a);
  const [blo, bhi] = codeRange(p.b);
  // Operand pairs of the corner transactions: extremes, zeros and a checkerboard of both ends.
  const cornerPairs: [(i: number, j: number) => bigint, (i: number, j: number) => bigint][] = [
    [() => ahi, () => bhi],
    [() => alo, () => blo],
    [() => alo, () => bhi],
    [() => ahi, () => blo],
    [() => 0n, () => 0n],
    [(i, j) => ((i + j) % 2 === 0 ? ahi : alo), (i, j) => ((i * 3 + j) % 2 === 0 ? blo : bhi)],
  ];
  return {
    inputs,
    outputs,
    randomA: (rng) => randomCode(p.a, rng),
    randomB: (rng) => randomCode(p.b, rng),
    gemm: (A, B) => goldenGemm(A, B, p.a, p.b).map((r) => r.map((v) => wrapInt(v << shift, accType))),
    cornersOs: () => {
      const K = p.k > 0 ? Math.min(p.k, 256) : 2 * R + 3;
      const gemms: OsGemm[] = cornerPairs.map(([fa, fb]) => ({ A: fillMatrix(R, K, fa), B: fillMatrix(K, C, fb) }));
      // K = 1 transactions back to back (padded to the rows-cycle spacing), one with gaps.
      gemms.push(...cornerPairs.slice(0, 3).map(([fa, fb]) => ({ A: fillMatrix(R, 1, fa), B: fillMatrix(1, C, fb) })));
      gemms.push({ A: fillMatrix(R, 3, (i, t) => (t === 1 ? ahi : alo)), B: fillMatrix(3, C, (t, j) => (j % 2 === 0 ? bhi : blo)), gaps: [0, 2, 1] });
      return gemms;
    },
    cornersWs: () => {
      const tiles: WsTile[] = cornerPairs.map(([fa, fb]) => ({ B: fillMatrix(R, C, fb), A: fillMatrix(3, R, fa) }));
      tiles.push({ B: fillMatrix(R, C, (t, j) => ((t + j) % 2 === 0 ? bhi : blo)), A: [fillMatrix(1, R, () => ahi)[0]!, fillMatrix(1, R, () => alo)[0]!], gaps: [0, 2] });
      return tiles;
    },
  };
}

/** A rows x cols matrix of v(i, j). */
export function fillMatrix(rows: number, cols: number, v: (i: number, j: number) => bigint): bigint[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => v(i, j)));
}

/** The transaction model of an array: the protocol of `dsl/npu/systolic.ts` over `arith`'s elements and GEMM. */
export function arrayModel(p: ArrayShape, arith: ArrayArith): SystolicModel {
  const R = p.rows;
  const C = p.cols;
  const os = p.dataflow === 'output_stationary';
  const { inputs, outputs, gemm, numbers } = arith;
  const zeros = (n: number): bigint[] => new Array<bigint>(n).fill(0n);
  const idleRow = (rng?: Rng): bigint[] => [
    ...Array.from({ length: R }, () => (rng ? arith.randomA(rng) : 0n)),
    ...Array.from({ length: C }, () => (rng ? arith.randomB(rng) : 0n)),
    // OS: in_valid 0, last random (ignored); WS: w_load 0, in_valid 0.
    ...(os ? [0n, rng ? BigInt(rng.below(2)) : 0n] : [0n, 0n]),
  ];

  function encodeOs(gemms: readonly OsGemm[], rng?: Rng): StimulusRow[] {
    const rows: StimulusRow[] = [];
    let prevLast = -Infinity;
    for (const g of gemms) {
      const K = g.B.length;
      if (K < 1 || g.A.length !== R || g.A.some((r) => r.length !== K) || g.B.some((r) => r.length !== C)) throw new RangeError(`encodeOs: need A ${R}xK and B Kx${C} with K >= 1`);
      for (let t = 0; t < K; t++) {
        let gap = g.gaps?.[t] ?? 0;
        // The last beat must come at least R cycles after the previous GEMM's.
        if (t === K - 1) gap += Math.max(0, prevLast + R - (rows.length + gap));
        for (let i = 0; i < gap; i++) rows.push(idleRow(rng));
        rows.push([...g.A.map((r) => r[t]!), ...g.B[t]!, 1n, t === K - 1 ? 1n : 0n]);
      }
      prevLast = rows.length - 1;
    }
    // Drain: rows - 1 more cycles so the last GEMM's C rows fall inside the expected rows.
    for (let i = 0; i < R - 1; i++) rows.push(idleRow(rng));
    return rows;
  }

  function encodeWs(tiles: readonly WsTile[], rng?: Rng): StimulusRow[] {
    const rows: StimulusRow[] = [];
    let lastBeat = -Infinity;
    for (const tile of tiles) {
      if (tile.B.length !== R || tile.B.some((r) => r.length !== C) || tile.A.some((r) => r.length !== R)) throw new RangeError(`encodeWs: need B ${R}x${C} and A Mx${R}`);
      // No w_load within R-1 cycles starting at an activation beat.
      while (R >= 2 && rows.length <= lastBeat + R - 2) rows.push(idleRow(rng));
      for (const w of tile.B) rows.push([...Array.from({ length: R }, () => (rng ? arith.randomA(rng) : 0n)), ...w, 1n, 0n]);
      tile.A.forEach((act, m) => {
        for (let i = 0; i < (tile.gaps?.[m] ?? 0); i++) rows.push(idleRow(rng));
        rows.push([...act, ...Array.from({ length: C }, () => (rng ? arith.randomB(rng) : 0n)), 0n, 1n]);
        lastBeat = rows.length - 1;
      });
    }
    // Trailing idle cycles, so any two encoded sequences can be concatenated.
    while (R >= 2 && rows.length <= lastBeat + R - 2) rows.push(idleRow(rng));
    return rows;
  }

  function expectedOs(stimulus: readonly StimulusRow[]): bigint[][] {
    const out = stimulus.map(() => [...zeros(C), 0n]);
    let colsA: bigint[][] = [];
    let rowsB: bigint[][] = [];
    let prevLast = -Infinity;
    stimulus.forEach((row, n) => {
      if (row[R + C] !== 1n) return;
      colsA.push(row.slice(0, R) as bigint[]);
      rowsB.push(row.slice(R, R + C) as bigint[]);
      if (row[R + C + 1] !== 1n) return;
      if (n - prevLast < R) throw new RangeError(`systolic model: last beats at rows ${prevLast} and ${n} are closer than rows = ${R} cycles (protocol violation)`);
      prevLast = n;
      const A = Array.from({ length: R }, (_, i) => colsA.map((col) => col[i]!));
      const c = gemm(A, rowsB);
      for (let s = 0; s < R && n + s < out.length; s++) out[n + s] = [...c[s]!, 1n];
      colsA = [];
      rowsB = [];
    });
    return out;
  }

  function expectedWs(stimulus: readonly StimulusRow[]): bigint[][] {
    const out = stimulus.map(() => [...zeros(C), 0n]);
    const loads: number[] = [];
    stimulus.forEach((row, n) => { if (row[R + C] === 1n) loads.push(n); });
    let batch: { n: number; act: bigint[] }[] = [];
    let batchLoads = -1;
    const flush = () => {
      if (batch.length === 0) return;
      const B = loads.slice(batchLoads - R, batchLoads).map((n) => stimulus[n]!.slice(R, R + C) as bigint[]);
      const c = gemm(batch.map((x) => x.act), B);
      batch.forEach((x, m) => { out[x.n] = [...c[m]!, 1n]; });
      batch = [];
    };
    let li = 0;
    stimulus.forEach((row, n) => {
      while (li < loads.length && loads[li]! < n) li++;
      if (row[R + C + 1] !== 1n) return;
      if (li < R) throw new RangeError(`systolic model: activation at row ${n} before ${R} weight rows were loaded`);
      if (R >= 2 && li < loads.length && loads[li]! <= n + R - 2) throw new RangeError(`systolic model: w_load at row ${loads[li]} changes weights under the activation of row ${n} (protocol violation)`);
      if (li !== batchLoads) flush();
      batchLoads = li;
      batch.push({ n, act: row.slice(0, R) as bigint[] });
    });
    flush();
    return out;
  }

  const randMatrix = (rows: number, cols: number, draw: (rng: Rng) => bigint, rng: Rng): bigint[][] => Array.from({ length: rows }, () => Array.from({ length: cols }, () => draw(rng)));

  return {
    inputs,
    outputs,
    latency: os ? R + C : R + C - 1,
    encodeOs,
    encodeWs,
    gemm,
    random: (count: number, rng: Rng) => {
      const rows: StimulusRow[] = [];
      if (os) {
        const kmax = Math.max(1, Math.min(p.k > 0 ? p.k : 2 * R + 3, 2 * R + 3));
        const gemms: OsGemm[] = [];
        let budget = 0;
        do {
          const K = 1 + rng.below(kmax);
          const gaps = Array.from({ length: K }, () => (rng.below(4) === 0 ? rng.below(3) : 0));
          gemms.push({ A: randMatrix(R, K, arith.randomA, rng), B: randMatrix(K, C, arith.randomB, rng), gaps });
          budget += K + gaps.reduce((x, y) => x + y, 0) + Math.max(0, R - K);
        } while (budget < count);
        rows.push(...encodeOs(gemms, rng));
      } else {
        const tiles: WsTile[] = [];
        let budget = 0;
        do {
          const M = 1 + rng.below(2 * R + 4);
          const gaps = Array.from({ length: M }, () => (rng.below(4) === 0 ? rng.below(3) : 0));
          tiles.push({ B: randMatrix(R, C, arith.randomB, rng), A: randMatrix(M, R, arith.randomA, rng), gaps });
          budget += R + M + gaps.reduce((x, y) => x + y, 0) + Math.max(0, R - 2);
        } while (budget < count);
        rows.push(...encodeWs(tiles, rng));
      }
      return rows;
    },
    corners: () => (os ? encodeOs(arith.cornersOs()) : encodeWs(arith.cornersWs())),
    exhaustive: () => undefined,
    expected: (stimulus) => (os ? expectedOs(stimulus) : expectedWs(stimulus)),
    ...(numbers !== undefined ? {
      randomSet: (count: number, rng: Rng) => arrayRandomSet(p, inputs, numbers, count, rng),
      expectedStream: () => arrayExpectedStream(p, outputs, numbers.step),
    } : {}),
  };
}

export function describeSystolicModel(p: SystolicModelParams): string {
  return `systolic ${p.dataflow} ${p.rows}x${p.cols} ${formatName(p.a)} x ${formatName(p.b)} -> ${formatName(p.accumulator)}`;
}
