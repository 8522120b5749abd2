/**
 * Vector-set plumbing of the float models' fast paths (`randomSet`, `expectedStream`): rows drawn
 * as Numbers straight into a vector set, and the float helpers of `golden/float/fast-number.ts`
 * bundled per model. The arithmetic itself is in the golden library.
 */
import { addToOdd, fitsNumber, numberDecoder, numberRounder, productIsExact, type FloatArithOptions, type FloatFormat } from '../golden/index.ts';
import type { Port } from '../../formats/port.ts';
import { VectorSet } from '../vector-set.ts';

/**
 * `count` vectors over `ports`; `draw` fills one row of Numbers (port order, each in its port's
 * range: checked) per call, in row order, so draws from one rng give the rows `random`
 * gives when it draws in the same order.
 */
export function drawSet(ports: readonly Port[], count: number, draw: (row: number[]) => void): VectorSet {
  const set = VectorSet.alloc(ports, count);
  const b = set.buffer;
  const n = ports.length;
  const offsets = ports.map((_, p) => set.byteAt(p, 0));
  const bytes = ports.map((q) => Math.ceil(q.width / 8));
  const lows = ports.map((q) => (q.signed ? -(2 ** (q.width - 1)) : 0));
  const mods = ports.map((q) => 2 ** q.width);
  const row = new Array<number>(n).fill(0);
  for (let i = 0, base = 0; i < count; i++, base += set.rowBytes) {
    draw(row);
    for (let p = 0; p < n; p++) {
      let v = row[p]!;
      if (!(v >= lows[p]! && v < lows[p]! + mods[p]!) || Math.floor(v) !== v) throw new RangeError(`drawSet: vector ${i}, port ${ports[p]!.name}: ${v} does not fit`);
      if (v < 0) v += mods[p]!; // two's complement in the port's width (padding bits zero)
      const o = base + offsets[p]!;
      b[o] = v;
      if (bytes[p]! > 1) { b[o + 1] = v >>> 8; if (bytes[p]! > 2) { b[o + 2] = v >>> 16; if (bytes[p]! > 3) b[o + 3] = v >>> 24; } }
    }
  }
  return set;
}

/** A writer of output port `p` (at most 32 bits): a typed view for an aligned 32-bit port, else the checked writer. */
export function codeWriter(set: VectorSet, p: number): (i: number, v: number) => void {
  const words = set.int32s(p);
  if (words === undefined) return set.writer(p);
  const { view, start, stride } = words;
  return (i, v) => { view[start + i * stride] = v; };
}

/**
 * One multiply-accumulate step on codes, acc' = round(acc + a·b) as golden `dotTree([a], [b])`
 * with `acc` as the addend (fused: exact product; unfused: the product first rounded to the
 * accumulator), in Numbers; undefined when some value or product is not exactly a binary64.
 */
export function macStepNumbers(a: FloatFormat, b: FloatFormat, acc: FloatFormat, fused: boolean, opts: FloatArithOptions): ((a: number, b: number, acc: number) => number) | undefined {
  const flush = opts.flushInput ?? false;
  const da = numberDecoder(a, flush);
  const db = numberDecoder(b, flush);
  const dacc = numberDecoder(acc, flush);
  const dround = numberDecoder(acc, false);
  if (!da || !db || !dacc || !dround || !productIsExact(a, b) || !fitsNumber(acc)) return undefined;
  const round = numberRounder(acc, opts);
  if (fused) return (x, y, base) => round(addToOdd(da(x) * db(y), dacc(base)));
  return (x, y, base) => round(addToOdd(dround(round(da(x) * db(y))), dacc(base)));
}

/** Expected vectors of a row-independent two-input model: output code f(in0, in1) per vector. */
export function mapCodes2(chunk: VectorSet, outputs: readonly Port[], f: (a: number, b: number) => number): VectorSet {
  const out = VectorSet.alloc(outputs, chunk.length);
  const write = codeWriter(out, 0);
  const [ra, rb] = [chunk.reader(0), chunk.reader(1)];
  for (let i = 0; i < chunk.length; i++) write(i, f(ra(i), rb(i)));
  return out;
}

/** Expected vectors of a row-independent one-input model: output code f(in0) per vector. */
export function mapCodes1(chunk: VectorSet, outputs: readonly Port[], f: (a: number) => number): VectorSet {
  const out = VectorSet.alloc(outputs, chunk.length);
  const write = codeWriter(out, 0);
  const ra = chunk.reader(0);
  for (let i = 0; i < chunk.length; i++) write(i, f(ra(i)));
  return out;
}
