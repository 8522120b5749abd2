/**
 * Vector-set plumbing of the float models' fast paths (`randomSet`, `expectedStream`): rows drawn
 * from bulk rng words straight into a vector set, and the float helpers of `golden/float/fast-number.ts`
 * bundled per model. The arithmetic itself is in the golden library.
 */
import { addToOdd, fitsNumber, numberDecoder, numberRounder, productIsExact, type FloatArithOptions, type FloatFormat } from '../golden/index.ts';
import type { Port } from '../../formats/port.ts';
import { VectorSet } from '../vector-set.ts';
import type { Rng } from '../random.ts';
import type { FloatCodeSampler } from './float-common.ts';

/**
 * A port's values drawn from rng words, a column at a time: `fill` writes the values of `count`
 * rows, row i's from `words[i·W + at ..]`, as `bytes`-byte little-endian bit patterns (two's
 * complement for a signed port) at `b[o + i·stride]`. Implementations are classes with the loop
 * inside (`FloatCodeSampler`, `ThresholdBit`, ...): a loop calling a closure per value cost more
 * than drawing it.
 */
export interface ColumnDraw {
  /** Bits of the values (the port's width). */
  readonly width: number;
  fill(words: Uint32Array, W: number, at: number, count: number, b: Uint8Array, o: number, stride: number, bytes: number): void;
}

/** One bit per row from a row word w: `below` when ((w >>> shift) & mask) < threshold, else 1 - below. */
export class ThresholdBit implements ColumnDraw {
  readonly width = 1;
  constructor(private readonly shift: number, private readonly mask: number, private readonly threshold: number, private readonly below: 0 | 1) {}

  fill(words: Uint32Array, W: number, at: number, count: number, b: Uint8Array, o: number, stride: number): void {
    const { shift, mask, threshold, below } = this;
    const above = 1 - below;
    for (let r = at, end = at + count * W; r < end; r += W, o += stride) b[o] = ((words[r]! >>> shift) & mask) < threshold ? below : above;
  }
}

/** Scratch words of the draws by length (draws are synchronous: one user at a time). */
const scratch = new Map<number, Uint32Array>();

/** `n` scratch words (contents undefined): the same array for the same n, not a fresh subarray. */
export function scratchWords(n: number): Uint32Array {
  let s = scratch.get(n);
  if (s === undefined) {
    if (scratch.size > 64) scratch.clear();
    scratch.set(n, (s = new Uint32Array(n)));
  }
  return s;
}

/**
 * Rows per block: the columns are filled a block of rows at a time, about 16 KiB of words, so a
 * column pass reads cached words (a whole chunk's words, one port after another, missed the cache
 * on every row).
 */
export function rowsPerBlock(wordsPerRow: number): number {
  return Math.max(1, Math.floor(4096 / Math.max(1, wordsPerRow)));
}

/**
 * `count` vectors over `ports` (at most 32 bits each) from `count · wordsPerRow` words of `rng`
 * (`fillU32`, in order): row i's words start at word `i · wordsPerRow` of that sequence, and port
 * p's values are `columns[p].draw`'s from the row's words at `columns[p].at` on (several columns
 * may read one word). Rows consume a fixed number of words, so drawing a run in chunks gives the
 * same vectors as drawing it at once. Values are written straight into the set's bytes.
 */
export function drawSet(ports: readonly Port[], count: number, rng: Rng, wordsPerRow: number, columns: readonly { readonly draw: ColumnDraw; readonly at: number }[]): VectorSet {
  ports.forEach((port, p) => {
    const c = columns[p];
    if (port.width > 32 || c === undefined || c.draw.width !== port.width) throw new RangeError(`drawSet: port ${port.name} (${port.width} bits) does not take the drawn ${c?.draw.width ?? 'no'}-bit values`);
  });
  const set = VectorSet.alloc(ports, count);
  // All the chunk's words in one call (many short calls made V8 deoptimize `Rng`'s generator
  // over and over), then the columns a block of rows at a time.
  const words = scratchWords(count * wordsPerRow);
  rng.fillU32(words);
  const B = rowsPerBlock(wordsPerRow);
  for (let i0 = 0; i0 < count; i0 += B) {
    const n = Math.min(B, count - i0);
    for (let p = 0; p < ports.length; p++) {
      const c = columns[p]!;
      c.draw.fill(words, wordsPerRow, i0 * wordsPerRow + c.at, n, set.buffer, set.byteAt(p, i0), set.rowBytes, Math.ceil(ports[p]!.width / 8));
    }
  }
  return set;
}

/**
 * A 2^16-entry table for drawing values with given weights from 16 random bits (`table[u]`): value
 * v gets about 2^16 · weight(v) / total entries (largest remainders), at least one when its weight
 * is positive. Values 0..255.
 */
export function weightedTable(weights: readonly number[]): Uint8Array {
  const total = weights.reduce((s, w) => s + w, 0);
  const share = weights.map((w) => (w > 0 ? Math.max(1, Math.floor((65536 * w) / total)) : 0));
  let left = 65536 - share.reduce((s, c) => s + c, 0);
  const byRemainder = weights.map((w, v) => ({ v, r: (65536 * w) / total - Math.floor((65536 * w) / total) })).sort((x, y) => y.r - x.r || x.v - y.v);
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length) if (weights[byRemainder[k]!.v]! > 0) { share[byRemainder[k]!.v]!++; left--; }
  for (let v = share.length - 1; left < 0; v = (v + share.length - 1) % share.length) if (share[v]! > 1) { share[v]!--; left++; }
  const table = new Uint8Array(65536);
  let at = 0;
  share.forEach((c, v) => { table.fill(v, at, at + c); at += c; });
  return table;
}

/**
 * Random vectors whose ports are float codes of the given samplers, one after another in each
 * row's words (port order): what the row-independent float models draw.
 */
export function drawCodes(ports: readonly Port[], samplers: readonly FloatCodeSampler[], count: number, rng: Rng): VectorSet {
  let at = 0;
  const columns = samplers.map((draw) => { const c = { draw, at }; at += draw.words; return c; });
  ports.forEach((port) => { if (port.signed) throw new RangeError(`drawCodes: port ${port.name} is signed; float codes are unsigned`); });
  return drawSet(ports, count, rng, at, columns);
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

/** Whether typed-array views are little-endian (as the vector files are). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Column scratch by slot: a model's expectation uses a few columns at a time, synchronously. */
const codeSlots: Uint32Array[] = [];
const valueSlots: Float64Array[] = [];

/** Scratch column `slot` of at least `n` codes (contents undefined). */
export function codeColumn(slot: number, n: number): Uint32Array {
  let c = codeSlots[slot];
  if (c === undefined || c.length < n) codeSlots[slot] = c = new Uint32Array(Math.max(n, 8192));
  return c;
}

/** Scratch column `slot` of at least `n` binary64 values (contents undefined). */
export function valueColumn(slot: number, n: number): Float64Array {
  let c = valueSlots[slot];
  if (c === undefined || c.length < n) valueSlots[slot] = c = new Float64Array(Math.max(n, 8192));
  return c;
}

/** Port `p`'s bit patterns (at most 32 bits, unsigned: two's complement for a signed port) of every vector into `out`; returns `out`. */
export function readCodes(set: VectorSet, p: number, out: Uint32Array): Uint32Array {
  const w = set.ports[p]!.width;
  if (w > 32) throw new RangeError(`readCodes: port ${set.ports[p]!.name} has ${w} bits`);
  const b = set.buffer;
  const n = set.length;
  const stride = set.rowBytes;
  let o = set.byteAt(p, 0);
  // One loop per byte count: no inner loop per value.
  if (w <= 8) for (let i = 0; i < n; i++, o += stride) out[i] = b[o]!;
  else if (w <= 16 && o % 2 === 0 && stride % 2 === 0 && LITTLE_ENDIAN) {
    // Aligned 16-bit ports (bf16, fp16 pairs): one 16-bit load per value.
    const h = new Uint16Array(b.buffer, b.byteOffset, b.length >> 1);
    for (let i = 0, k = o >> 1, s = stride >> 1; i < n; i++, k += s) out[i] = h[k]!;
  } else if (w <= 16) for (let i = 0; i < n; i++, o += stride) out[i] = b[o]! | (b[o + 1]! << 8);
  else if (w <= 24) for (let i = 0; i < n; i++, o += stride) out[i] = b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
  else if (o % 4 === 0 && stride % 4 === 0 && LITTLE_ENDIAN) {
    // Aligned 32-bit ports (fp32): one 32-bit load per value.
    const q = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
    for (let i = 0, k = o >> 2, s = stride >> 2; i < n; i++, k += s) out[i] = q[k]!;
  }
  else for (let i = 0; i < n; i++, o += stride) out[i] = (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
  return out;
}

/**
 * Stores `codes[i]` (bit patterns in [0, 2^w), or as int32 in [-2^(w-1), 2^(w-1)) for a signed
 * port) in port `p` (at most 32 bits) of vector i, for every vector of `set`. A value outside is a
 * RangeError (checked once for the column).
 */
export function writeCodes(set: VectorSet, p: number, codes: Uint32Array | Int32Array): void {
  const port = set.ports[p]!;
  const w = port.width;
  if (w > 32) throw new RangeError(`writeCodes: port ${port.name} has ${w} bits`);
  const b = set.buffer;
  const n = set.length;
  const stride = set.rowBytes;
  const nb = Math.ceil(w / 8);
  let o = set.byteAt(p, 0);
  let high = 0; // OR of the bits above the port (sign-extension bits for a signed port)
  const up = 32 - w;
  if (nb === 1) {
    for (let i = 0; i < n; i++, o += stride) { const v = codes[i]!; b[o] = v; high |= port.signed ? v ^ ((v << up) >> up) : v >>> w; }
  } else if (nb === 2 && !port.signed && o % 2 === 0 && stride % 2 === 0 && LITTLE_ENDIAN) {
    // Aligned unsigned 16-bit ports: one 16-bit store per value.
    const h = new Uint16Array(b.buffer, b.byteOffset, b.length >> 1);
    for (let i = 0, k = o >> 1, s = stride >> 1; i < n; i++, k += s) { const v = codes[i]!; h[k] = v; high |= v >>> w; }
  } else if (nb === 2) {
    for (let i = 0; i < n; i++, o += stride) { const v = codes[i]!; b[o] = v; b[o + 1] = v >>> 8; high |= port.signed ? v ^ ((v << up) >> up) : v >>> w; }
  } else {
    for (let i = 0; i < n; i++, o += stride) {
      const v = codes[i]!;
      b[o] = v; b[o + 1] = v >>> 8; b[o + 2] = v >>> 16;
      if (nb === 4) b[o + 3] = v >>> 24;
      if (w < 32) high |= port.signed ? v ^ ((v << up) >> up) : v >>> w;
    }
  }
  if (high !== 0) throw new RangeError(`writeCodes: port ${port.name}: a value does not fit ${w} bits`);
  // Padding bits above a signed value's width are zero in the file.
  if (port.signed && w % 8 !== 0) set.clearPadding(p);
}

/** Expected vectors of a row-independent two-input model: output code f(in0, in1) per vector. */
export function mapCodes2(chunk: VectorSet, outputs: readonly Port[], f: (a: number, b: number) => number): VectorSet {
  const n = chunk.length;
  const out = VectorSet.alloc(outputs, n);
  const [a, b, y] = [readCodes(chunk, 0, codeColumn(0, n)), readCodes(chunk, 1, codeColumn(1, n)), codeColumn(2, n)];
  for (let i = 0; i < n; i++) y[i] = f(a[i]!, b[i]!);
  writeCodes(out, 0, y.length === n ? y : y.subarray(0, n));
  return out;
}

/** Expected vectors of a row-independent one-input model: output code f(in0) per vector (the input as the port's signed or unsigned value). */
export function mapCodes1(chunk: VectorSet, outputs: readonly Port[], f: (a: number) => number): VectorSet {
  const n = chunk.length;
  const out = VectorSet.alloc(outputs, n);
  const a = readCodes(chunk, 0, codeColumn(0, n));
  const y = codeColumn(2, n);
  const port = chunk.ports[0]!;
  if (port.signed) {
    const up = 32 - port.width;
    for (let i = 0; i < n; i++) y[i] = f((a[i]! << up) >> up);
  } else for (let i = 0; i < n; i++) y[i] = f(a[i]!);
  writeCodes(out, 0, y.length === n ? y : y.subarray(0, n));
  return out;
}
