/**
 * The `systolic_array` protocol of `arrayModel` (`systolic.ts`) on Numbers, for 10^6-vector runs:
 * `randomSet` draws exactly the rows `random` draws (the same rng calls in the same order: every
 * transaction's shape, gaps and elements first, then the idle-cycle garbage while encoding), and
 * `expectedStream` parses the stimulus chunk by chunk with the protocol's state carried across
 * chunks (OS: the running C accumulators, the previous last beat, C rows that fall past the end of
 * a chunk; WS: the last `rows` loaded weight rows, the last activation). The arithmetic is the
 * caller's PE step on codes (`ArrayNumbers.step`), applied in the order the bigint GEMM applies it:
 * OS: C[i][j] from +0 (code 0), t = 0..K-1 in beat order; WS: C[m][j] from +0, t = rows-1 down to 0.
 * The bigint rows (`random`, `expected`) stay the reference; the models' tests compare the two.
 */
import type { Port } from '../../formats/port.ts';
import type { Rng } from '../random.ts';
import { VectorSet } from '../vector-set.ts';
import { codeColumn, codeWriter, readCodes } from './float-fast.ts';
import type { ArrayShape } from './systolic.ts';

/** An array's elements and PE step on Numbers (unsigned codes of at most 32 bits: the expectation reads their bit patterns). */
export interface ArrayNumbers {
  /** One random A / B element code: the same rng calls and value as the arith's bigint draw. */
  randomA(rng: Rng): number;
  randomB(rng: Rng): number;
  /** One PE step on codes: the accumulator code after acc + a*b (every sum starts at code 0). */
  step(a: number, b: number, acc: number): number;
}

/** `random(count, rng)` of `arrayModel` as a vector set (whole transactions, about `count` rows). */
export function arrayRandomSet(p: ArrayShape, inputs: readonly Port[], num: ArrayNumbers, count: number, rng: Rng): VectorSet {
  return p.dataflow === 'output_stationary' ? randomOs(p, inputs, num, count, rng) : randomWs(p, inputs, num, count, rng);
}

/**
 * Fills a vector set's rows in order, port after port (ports of at most 32 bits; every value
 * checked against its port's range, as `drawSet` does).
 */
class RowSink {
  readonly set: VectorSet;
  private readonly buf: Uint8Array;
  private readonly offsets: number[];
  private readonly nbytes: number[];
  private readonly lows: number[];
  private readonly mods: number[];
  private q = 0;
  private base: number;
  private row = 0;
  private readonly ports: number;
  private readonly rowBytes: number;

  constructor(inputs: readonly Port[], rows: number) {
    const set = (this.set = VectorSet.alloc(inputs, rows));
    this.buf = set.buffer;
    this.base = set.byteAt(0, 0) - set.offsets[0]!;
    this.offsets = set.offsets.slice();
    this.nbytes = inputs.map((p) => Math.ceil(p.width / 8));
    this.lows = inputs.map((p) => (p.signed ? -(2 ** (p.width - 1)) : 0));
    this.mods = inputs.map((p) => 2 ** p.width);
    this.ports = inputs.length;
    this.rowBytes = set.rowBytes;
  }

  /** Whether every row is filled. */
  get full(): boolean {
    return this.row === this.set.length;
  }

  /** Stores `value` in the next port of the current row (then the next row after the last port). */
  put(value: number): void {
    const q = this.q;
    let v = value;
    const lo = this.lows[q]!;
    if (!(v >= lo && v < lo + this.mods[q]!) || Math.floor(v) !== v) throw new RangeError(`systolic model: vector ${this.row}, port ${this.set.ports[q]!.name}: ${v} does not fit`);
    if (v < 0) v += this.mods[q]!; // two's complement in the port's width (padding bits zero)
    const b = this.buf;
    const o = this.base + this.offsets[q]!;
    const nb = this.nbytes[q]!;
    b[o] = v;
    if (nb > 1) { b[o + 1] = v >>> 8; if (nb > 2) { b[o + 2] = v >>> 16; if (nb > 3) b[o + 3] = v >>> 24; } }
    if (++this.q === this.ports) {
      this.q = 0;
      this.base += this.rowBytes;
      this.row++;
    }
  }

}

/** `expected` of `arrayModel` as a stream (state at reset; chunks in order). */
export function arrayExpectedStream(p: ArrayShape, outputs: readonly Port[], step: ArrayNumbers['step']): (chunk: VectorSet) => VectorSet {
  return p.dataflow === 'output_stationary' ? osStream(p, outputs, step) : wsStream(p, outputs, step);
}

/** Pushes `n` draws of `draw` onto `out`. */
function pushDraws(out: number[], n: number, draw: (rng: Rng) => number, rng: Rng): void {
  for (let q = 0; q < n; q++) out.push(draw(rng));
}

/** Pushes `n` gap draws (idle cycles before each beat: 0, or 0..2 one time in four) onto `gaps`; returns their sum. */
function pushGaps(gaps: number[], n: number, rng: Rng): number {
  let sum = 0;
  for (let t = 0; t < n; t++) {
    const g = rng.below(4) === 0 ? rng.below(3) : 0;
    gaps.push(g);
    sum += g;
  }
  return sum;
}

/** One idle cycle: R A draws, C B draws, then 0 and, OS only, a random `last` (ignored by the array). */
function idleRow(out: RowSink, R: number, C: number, num: ArrayNumbers, rng: Rng, os: boolean): void {
  for (let i = 0; i < R; i++) out.put(num.randomA(rng));
  for (let j = 0; j < C; j++) out.put(num.randomB(rng));
  out.put(0);
  out.put(os ? rng.below(2) : 0);
}

/**
 * OS stimulus rows (a_0..a_{R-1}, b_0..b_{C-1}, in_valid, last): GEMMs drawn as `random` draws
 * them (K, gaps, A row by row, B row by row; all GEMMs before any idle garbage), then encoded.
 */
function randomOs(p: ArrayShape, inputs: readonly Port[], num: ArrayNumbers, count: number, rng: Rng): VectorSet {
  const R = p.rows;
  const C = p.cols;
  const kmax = Math.max(1, Math.min(p.k > 0 ? p.k : 2 * R + 3, 2 * R + 3));
  const Ks: number[] = [];
  const gaps: number[] = []; // per beat, all GEMMs
  const elems: number[] = []; // per GEMM: A[i * K + t], then B[t * C + j]
  let budget = 0;
  do {
    const K = 1 + rng.below(kmax);
    Ks.push(K);
    const sum = pushGaps(gaps, K, rng);
    pushDraws(elems, R * K, num.randomA, rng);
    pushDraws(elems, K * C, num.randomB, rng);
    budget += K + sum + Math.max(0, R - K);
  } while (budget < count);
  // The last beat of a GEMM comes at least R cycles after the previous GEMM's: extra idle cycles.
  let n = 0;
  let prevLast = -Infinity;
  for (let g = 0, beat = 0; g < Ks.length; g++) {
    const K = Ks[g]!;
    for (let t = 0; t < K; t++, beat++) {
      if (t === K - 1) gaps[beat]! += Math.max(0, prevLast + R - (n + gaps[beat]!));
      n += gaps[beat]! + 1;
    }
    prevLast = n - 1;
  }
  const out = new RowSink(inputs, n + R - 1); // R - 1 drain cycles at the end
  for (let g = 0, beat = 0, at = 0; g < Ks.length; g++) {
    const K = Ks[g]!;
    const bAt = at + R * K;
    for (let t = 0; t < K; t++, beat++) {
      for (let q = gaps[beat]!; q > 0; q--) idleRow(out, R, C, num, rng, true);
      for (let i = 0; i < R; i++) out.put(elems[at + i * K + t]!);
      for (let j = 0; j < C; j++) out.put(elems[bAt + t * C + j]!);
      out.put(1);
      out.put(t === K - 1 ? 1 : 0);
    }
    at = bAt + K * C;
  }
  while (!out.full) idleRow(out, R, C, num, rng, true);
  return out.set;
}

/**
 * WS stimulus rows (a_0..a_{R-1}, b_0..b_{C-1}, w_load, in_valid): tiles drawn as `random` draws
 * them (M, gaps, B row by row, then A row by row), then encoded with idle garbage.
 */
function randomWs(p: ArrayShape, inputs: readonly Port[], num: ArrayNumbers, count: number, rng: Rng): VectorSet {
  const R = p.rows;
  const C = p.cols;
  const Ms: number[] = [];
  const gaps: number[] = []; // per activation row, all tiles
  const elems: number[] = []; // per tile: B[t * C + j], then A[m * R + t]
  let budget = 0;
  do {
    const M = 1 + rng.below(2 * R + 4);
    Ms.push(M);
    const sum = pushGaps(gaps, M, rng);
    pushDraws(elems, R * C, num.randomB, rng);
    pushDraws(elems, M * R, num.randomA, rng);
    budget += R + M + sum + Math.max(0, R - 2);
  } while (budget < count);
  // Idle cycles before each tile: no w_load within R-1 cycles starting at an activation beat; the
  // same after the last tile, so encoded sequences concatenate.
  const settle = (n: number, lastBeat: number): number => (R >= 2 ? Math.max(0, lastBeat + R - 1 - n) : 0);
  const before: number[] = [];
  let n = 0;
  let lastBeat = -Infinity;
  for (let x = 0, m0 = 0; x < Ms.length; x++) {
    before.push(settle(n, lastBeat));
    n += before[x]! + R;
    for (let m = 0; m < Ms[x]!; m++) n += gaps[m0++]! + 1;
    lastBeat = n - 1;
  }
  const out = new RowSink(inputs, n + settle(n, lastBeat));
  for (let x = 0, m0 = 0, at = 0; x < Ms.length; x++) {
    const M = Ms[x]!;
    const aAt = at + R * C;
    for (let q = before[x]!; q > 0; q--) idleRow(out, R, C, num, rng, false);
    for (let t = 0; t < R; t++) {
      for (let i = 0; i < R; i++) out.put(num.randomA(rng));
      for (let j = 0; j < C; j++) out.put(elems[at + t * C + j]!);
      out.put(1);
      out.put(0);
    }
    for (let m = 0; m < M; m++, m0++) {
      for (let q = gaps[m0]!; q > 0; q--) idleRow(out, R, C, num, rng, false);
      for (let t = 0; t < R; t++) out.put(elems[aAt + m * R + t]!);
      for (let j = 0; j < C; j++) out.put(num.randomB(rng));
      out.put(0);
      out.put(1);
    }
    at = aAt + M * R;
  }
  while (!out.full) idleRow(out, R, C, num, rng, false);
  return out.set;
}

/** Readers of the element ports and views of the two control bits of a stimulus chunk; writers of an expected chunk. */
function chunkPorts(R: number, C: number, chunk: VectorSet, out: VectorSet) {
  const valid = out.bytes(C);
  return {
    // The element ports as columns of codes (typed arrays; a reader closure per value cost more).
    ra: Array.from({ length: R }, (_, i) => readCodes(chunk, i, codeColumn(8 + i, chunk.length))),
    rb: Array.from({ length: C }, (_, j) => readCodes(chunk, R + j, codeColumn(8 + R + j, chunk.length))),
    ctl0: chunk.bytes(R + C),
    ctl1: chunk.bytes(R + C + 1),
    writeC: Array.from({ length: C }, (_, j) => codeWriter(out, j)),
    setValid: (i: number): void => { valid.view[valid.start + i * valid.stride] = 1; },
  };
}

/**
 * Output-stationary expectation: each in_valid beat steps every C[i][j] with (a_i, b_j); on the
 * last beat (row n) rows n .. n+R-1 get C's rows with out_valid 1 (rows past the chunk carried to
 * the next). Last beats closer than R cycles are a protocol violation (RangeError), as in `expected`.
 */
function osStream(p: ArrayShape, outputs: readonly Port[], step: ArrayNumbers['step']): (chunk: VectorSet) => VectorSet {
  const R = p.rows;
  const C = p.cols;
  const acc = new Array<number>(R * C).fill(0);
  const a = new Array<number>(R).fill(0);
  const b = new Array<number>(C).fill(0);
  let prevLast = -Infinity;
  let base = 0; // stream index of the chunk's first row
  let pending: number[] = []; // C rows (C codes each) due at the start of the next chunk
  return (chunk) => {
    const out = VectorSet.alloc(outputs, chunk.length);
    const { ra, rb, ctl0: inValid, ctl1: last, writeC, setValid } = chunkPorts(R, C, chunk, out);
    const rowOut = (i: number, values: readonly number[], from: number): void => {
      for (let j = 0; j < C; j++) writeC[j]!(i, values[from + j]!);
      setValid(i);
    };
    let q = 0;
    for (; q * C < pending.length && q < chunk.length; q++) rowOut(q, pending, q * C);
    pending = pending.slice(q * C);
    for (let i = 0, c0 = inValid.start, c1 = last.start; i < chunk.length; i++, c0 += inValid.stride, c1 += last.stride) {
      if (inValid.view[c0] !== 1) continue;
      for (let x = 0; x < R; x++) a[x] = ra[x]![i]!;
      for (let j = 0; j < C; j++) b[j] = rb[j]![i]!;
      for (let x = 0, k = 0; x < R; x++) for (let j = 0; j < C; j++, k++) acc[k] = step(a[x]!, b[j]!, acc[k]!);
      if (last.view[c1] !== 1) continue;
      const n = base + i;
      if (n - prevLast < R) throw new RangeError(`systolic model: last beats at rows ${prevLast} and ${n} are closer than rows = ${R} cycles (protocol violation)`);
      prevLast = n;
      for (let s = 0; s < R; s++) {
        if (i + s < chunk.length) rowOut(i + s, acc, s * C);
        else for (let j = 0; j < C; j++) pending.push(acc[s * C + j]!);
      }
      acc.fill(0);
    }
    base += chunk.length;
    return out;
  };
}

/**
 * Weight-stationary expectation: w_load rows push their b values as weight rows; an in_valid row n
 * gets C[j] = the PE steps over t = R-1 down to 0 of (a_t, W[t][j]) with W the last R weight rows
 * loaded before row n, out_valid 1. An activation before R loads, or a load within R-2 rows after
 * an activation, is a protocol violation (RangeError), as in `expected`.
 */
function wsStream(p: ArrayShape, outputs: readonly Port[], step: ArrayNumbers['step']): (chunk: VectorSet) => VectorSet {
  const R = p.rows;
  const C = p.cols;
  const weights = new Array<number>(R * C).fill(0); // weight row number w at slot (w mod R) * C
  const slots = new Array<number>(R).fill(0);
  const a = new Array<number>(R).fill(0);
  let loads = 0;
  let lastAct = -Infinity;
  let base = 0;
  return (chunk) => {
    const out = VectorSet.alloc(outputs, chunk.length);
    const { ra, rb, ctl0: wLoad, ctl1: inValid, writeC, setValid } = chunkPorts(R, C, chunk, out);
    for (let i = 0, c0 = wLoad.start, c1 = inValid.start; i < chunk.length; i++, c0 += wLoad.stride, c1 += inValid.stride) {
      const n = base + i;
      if (inValid.view[c1] === 1) {
        if (loads < R) throw new RangeError(`systolic model: activation at row ${n} before ${R} weight rows were loaded`);
        lastAct = n;
        for (let t = 0; t < R; t++) { a[t] = ra[t]![i]!; slots[t] = ((loads + t) % R) * C; }
        for (let j = 0; j < C; j++) {
          let x = 0;
          for (let t = R - 1; t >= 0; t--) x = step(a[t]!, weights[slots[t]! + j]!, x);
          writeC[j]!(i, x);
        }
        setValid(i);
      }
      if (wLoad.view[c0] === 1) {
        if (R >= 2 && n <= lastAct + R - 2) throw new RangeError(`systolic model: w_load at row ${n} changes weights under the activation of row ${lastAct} (protocol violation)`);
        const slot = (loads % R) * C;
        for (let j = 0; j < C; j++) weights[slot + j] = rb[j]![i]!;
        loads++;
      }
    }
    base += chunk.length;
    return out;
  };
}
