/**
 * Vectors stored as the binary vector file itself (see `sim/vectors.ts`): a 16-byte header, then
 * one row per vector with each port in `ceil(w/8)` little-endian bytes, padding bits zero. Models
 * with a fast path fill and read these bytes directly (typed-array views of one-byte and 32-bit
 * ports, specialised readers and writers for the rest), so a 10^6-vector run builds no BigInt per
 * value, never transposes, and the file is written without encoding. Rows of bigints remain the general, slower interface.
 *
 * Values: a port of `w` bits accepts `-2^(w-1) <= v < 2^w` (two's complement or unsigned
 * spelling) and keeps its low `w` bits; reads return the port's signedness.
 */
import { binaryLayout } from '../generators/testbench/layout.ts';
import type { Port } from '../formats/port.ts';
import type { Rng } from './random.ts';

export const BINARY_MAGIC = 'NPUVEC01';
export const BINARY_HEADER_BYTES = 16;

export class VectorSet {
  /** Bytes per row: the sum of the ports' `ceil(w/8)` (`binaryLayout`, at least 1). */
  readonly rowBytes: number;
  /** Byte offset of each port inside a row. */
  readonly offsets: readonly number[];

  private constructor(
    readonly ports: readonly Port[],
    readonly length: number,
    /** The whole binary vector file: header and rows, at offset 0 of `words`. */
    readonly buffer: Buffer,
    /** The buffer's storage, padded to whole 32-bit words (padding zero). */
    private readonly words: ArrayBuffer,
  ) {
    const layout = binaryLayout(ports);
    this.offsets = layout.slots.map((s) => s.lsb / 8);
    this.rowBytes = layout.bits / 8;
  }

  /** All-zero vectors. */
  static alloc(ports: readonly Port[], length: number): VectorSet {
    const rowBytes = binaryLayout(ports).bits / 8;
    const size = BINARY_HEADER_BYTES + rowBytes * length;
    // Own ArrayBuffer (never Node's shared pool), padded to whole words for Uint32Array views.
    const words = takeStorage(Math.ceil(size / 4) * 4);
    const buffer = Buffer.from(words, 0, size);
    VectorSet.header(ports, length).copy(buffer);
    return new VectorSet(ports, length, buffer, words);
  }

  /** The 16-byte header of a binary vector file of `length` rows over `ports`. */
  static header(ports: readonly Port[], length: number): Buffer {
    const header = Buffer.alloc(BINARY_HEADER_BYTES);
    header.write(BINARY_MAGIC, 0, 'latin1');
    header.writeUInt32LE(binaryLayout(ports).bits / 8, 8);
    header.writeUInt32LE(length, 12);
    return header;
  }

  /** A copy of a binary vector file's contents (as written by `buffer`); checks magic, row size and length. */
  static fromFile(ports: readonly Port[], data: Uint8Array, what = 'vector file'): VectorSet {
    const file = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const rowBytes = binaryLayout(ports).bits / 8;
    if (file.length < BINARY_HEADER_BYTES || file.toString('latin1', 0, 8) !== BINARY_MAGIC) throw new Error(`${what}: not an npugen vector file`);
    if (file.readUInt32LE(8) !== rowBytes) throw new Error(`${what}: rows of ${file.readUInt32LE(8)} bytes, the ports need ${rowBytes}`);
    const length = file.readUInt32LE(12);
    if (file.length < BINARY_HEADER_BYTES + length * rowBytes) throw new Error(`${what}: truncated (${length} rows announced)`);
    const set = VectorSet.alloc(ports, length);
    set.buffer.set(file.subarray(BINARY_HEADER_BYTES, BINARY_HEADER_BYTES + length * rowBytes), BINARY_HEADER_BYTES);
    return set;
  }

  /** Rows (one value per port, port order); throws on a value that does not fit its port. */
  static fromRows(ports: readonly Port[], rows: readonly (readonly bigint[])[]): VectorSet {
    const set = VectorSet.alloc(ports, rows.length);
    rows.forEach((row, r) => {
      if (row.length !== ports.length) throw new RangeError(`vector ${r}: ${row.length} values for ${ports.length} ports`);
      row.forEach((v, p) => set.set(p, r, v));
    });
    return set;
  }

  /** The concatenation of sets over the same ports, in order. */
  static concat(ports: readonly Port[], sets: readonly VectorSet[]): VectorSet {
    const out = VectorSet.alloc(ports, sets.reduce((s, x) => s + x.length, 0));
    let at = BINARY_HEADER_BYTES;
    for (const s of sets) {
      if (s.rowBytes !== out.rowBytes) throw new RangeError(`concat: rows of ${s.rowBytes} and ${out.rowBytes} bytes`);
      out.buffer.set(s.rows(), at);
      at += s.length * s.rowBytes;
    }
    return out;
  }

  /**
   * Rows of random bytes (the draws' bytes in order), padding bits included: the caller must
   * rewrite every port whose width is not a multiple of 8 before the set is used (`random` clears
   * them; a model may derive its own values from those bytes first).
   */
  static randomBytes(ports: readonly Port[], length: number, rng: Rng): VectorSet {
    const set = VectorSet.alloc(ports, length);
    rng.fillU32(new Uint32Array(set.words, BINARY_HEADER_BYTES, (set.words.byteLength - BINARY_HEADER_BYTES) / 4));
    new Uint8Array(set.words).fill(0, BINARY_HEADER_BYTES + length * set.rowBytes); // the word padding after the last row
    return set;
  }

  /** Uniform random codes on every port (the draws' bytes in order, padding bits cleared). */
  static random(ports: readonly Port[], length: number, rng: Rng): VectorSet {
    const set = VectorSet.randomBytes(ports, length, rng);
    set.ports.forEach((_, k) => set.clearPadding(k));
    return set;
  }

  /** Zeroes the padding bits of port `p` in every row (its top byte above bit `w % 8`). */
  clearPadding(p: number): void {
    const w = this.ports[p]!.width;
    if (w % 8 === 0) return;
    const mask = (1 << w % 8) - 1;
    for (let i = 0, o = this.byteAt(p, 0) + Math.ceil(w / 8) - 1; i < this.length; i++, o += this.rowBytes) this.buffer[o]! &= mask;
  }

  /**
   * Hands the storage back for reuse by a later `alloc` of the same size. The caller must own the
   * set and never touch it (or views of it) again. Streams of chunks use it: fresh pages cost more
   * than computing the vectors on these VMs, so a chunk's storage is reused instead.
   */
  release(): void {
    const free = POOL.get(this.words.byteLength) ?? [];
    if (free.length < POOL_DEPTH) free.push(this.words);
    POOL.set(this.words.byteLength, free);
  }

  /** The rows' bytes (the file without its header). */
  rows(): Buffer {
    return this.buffer.subarray(BINARY_HEADER_BYTES, BINARY_HEADER_BYTES + this.length * this.rowBytes);
  }

  /** Index in `buffer` of port `p`'s first byte in vector `i`. */
  byteAt(p: number, i: number): number {
    return BINARY_HEADER_BYTES + i * this.rowBytes + this.offsets[p]!;
  }

  /** Port `p` (at most 32 bits) in vector `i`, in the port's signedness. */
  getNumber(p: number, i: number): number {
    const port = this.ports[p]!;
    const w = port.width;
    if (w > 32) throw new RangeError(`getNumber: port ${port.name} has ${w} bits; use get`);
    const o = this.byteAt(p, i);
    const b = this.buffer;
    let v = b[o]!;
    if (w > 8) v |= b[o + 1]! << 8;
    if (w > 16) v |= b[o + 2]! << 16;
    if (w > 24) v |= b[o + 3]! << 24;
    if (w === 32) return port.signed ? v | 0 : v >>> 0;
    return port.signed ? (v << (32 - w)) >> (32 - w) : v;
  }

  /** Stores `v` (an integer with `-2^(w-1) <= v < 2^w`) in port `p` (at most 32 bits) of vector `i`. */
  setNumber(p: number, i: number, v: number): void {
    const port = this.ports[p]!;
    const w = port.width;
    if (w > 32) throw new RangeError(`setNumber: port ${port.name} has ${w} bits; use set`);
    if (!(v >= -(2 ** (w - 1)) && v < 2 ** w) || !Number.isInteger(v)) throw outOfRange(port, String(v), i);
    const o = this.byteAt(p, i);
    const b = this.buffer;
    const nb = Math.ceil(w / 8);
    for (let k = 0; k < nb; k++) b[o + k] = v >>> (8 * k);
    if (w % 8 !== 0) b[o + nb - 1]! &= (1 << w % 8) - 1;
  }

  /** Port `p` in vector `i`, in the port's signedness. */
  get(p: number, i: number): bigint {
    const port = this.ports[p]!;
    if (port.width <= 32) return BigInt(this.getNumber(p, i));
    const o = this.byteAt(p, i);
    const nb = Math.ceil(port.width / 8);
    let raw = 0n;
    for (let k = nb - 1; k >= 0; k--) raw = (raw << 8n) | BigInt(this.buffer[o + k]!);
    return port.signed ? BigInt.asIntN(port.width, raw) : raw;
  }

  /** Stores `v` (with `-2^(w-1) <= v < 2^w`) in port `p` of vector `i`. */
  set(p: number, i: number, v: bigint): void {
    const port = this.ports[p]!;
    if (v < -(1n << BigInt(port.width - 1)) || v >= 1n << BigInt(port.width)) throw outOfRange(port, String(v), i);
    if (port.width <= 32) return this.setNumber(p, i, Number(v));
    const o = this.byteAt(p, i);
    let rest = BigInt.asUintN(port.width, v);
    for (let k = 0; k < Math.ceil(port.width / 8); k++, rest >>= 8n) this.buffer[o + k] = Number(rest & 255n);
  }

  /** Vector `i` as a row (port order). */
  row(i: number): bigint[] {
    return this.ports.map((_, p) => this.get(p, i));
  }

  toRows(): bigint[][] {
    const rows = new Array<bigint[]>(this.length);
    for (let i = 0; i < this.length; i++) rows[i] = this.row(i);
    return rows;
  }

  /**
   * A reader of port `p` (at most 32 bits): `read(i)` is `getNumber(p, i)`, specialised once for the
   * port's byte count and signedness, for models' inner loops.
   */
  reader(p: number): (i: number) => number {
    const port = this.ports[p]!;
    const w = port.width;
    if (w > 32) throw new RangeError(`reader: port ${port.name} has ${w} bits`);
    const b = this.buffer;
    const base = this.byteAt(p, 0);
    const stride = this.rowBytes;
    const up = 32 - w;
    if (w <= 8) return port.signed ? (i) => (b[base + i * stride]! << up) >> up : (i) => b[base + i * stride]!;
    if (w <= 16) {
      return port.signed
        ? (i) => { const o = base + i * stride; return ((b[o]! | (b[o + 1]! << 8)) << up) >> up; }
        : (i) => { const o = base + i * stride; return b[o]! | (b[o + 1]! << 8); };
    }
    return (i) => this.getNumber(p, i);
  }

  /**
   * A writer of port `p` (at most 32 bits): `write(i, v)` is `setNumber(p, i, v)` (same range
   * check), specialised once for the port, for models' inner loops.
   */
  writer(p: number): (i: number, v: number) => void {
    const port = this.ports[p]!;
    const w = port.width;
    if (w > 32) throw new RangeError(`writer: port ${port.name} has ${w} bits`);
    const b = this.buffer;
    const base = this.byteAt(p, 0);
    const stride = this.rowBytes;
    const lo = -(2 ** (w - 1));
    const hi = 2 ** w - 1;
    const nb = Math.ceil(w / 8);
    const top = w % 8 === 0 ? 255 : (1 << w % 8) - 1;
    const check = (i: number, v: number): void => {
      if (!(v >= lo && v <= hi) || Math.floor(v) !== v) throw outOfRange(port, String(v), i);
    };
    // One closure per byte count: the hot loops then run without an inner loop.
    if (nb === 4) return (i, v) => { check(i, v); const o = base + i * stride; b[o] = v; b[o + 1] = v >>> 8; b[o + 2] = v >>> 16; b[o + 3] = (v >>> 24) & top; };
    if (nb === 3) return (i, v) => { check(i, v); const o = base + i * stride; b[o] = v; b[o + 1] = v >>> 8; b[o + 2] = (v >>> 16) & top; };
    if (nb === 2) return (i, v) => { check(i, v); const o = base + i * stride; b[o] = v; b[o + 1] = (v >>> 8) & top; };
    return (i, v) => { check(i, v); b[base + i * stride] = v & top; };
  }

  /**
   * A typed view of port `p` when it is 32 bits wide and every row's copy is 4-byte aligned (e.g.
   * a lone int32 output): vector `i` at index `start + i * stride`. Writes store the value's
   * 32-bit pattern and are not checked (an out-of-range value would wrap silently): for models'
   * inner loops that compute exact 32-bit results. Undefined when the layout is not aligned.
   */
  int32s(p: number): { readonly view: Int32Array; readonly start: number; readonly stride: number } | undefined {
    if (this.ports[p]!.width !== 32 || this.byteAt(p, 0) % 4 !== 0 || this.rowBytes % 4 !== 0) return undefined;
    return { view: new Int32Array(this.words, 0, this.words.byteLength / 4), start: this.byteAt(p, 0) / 4, stride: this.rowBytes / 4 };
  }

  /**
   * A typed view of port `p` when it is one byte: int8, or unsigned of at most 8 bits (vector `i`
   * at index `start + i * stride`), for models' inner loops. Writes through it must keep the
   * value in range (a uint1 port takes 0 or 1): nothing checks them.
   */
  bytes(p: number): { readonly view: Int8Array | Uint8Array; readonly start: number; readonly stride: number } {
    const port = this.ports[p]!;
    if (port.signed ? port.width !== 8 : port.width > 8) throw new RangeError(`bytes: port ${port.name} is ${port.signed ? 'int' : 'uint'}${port.width}, not int8 or uint1..uint8`);
    const View = port.signed ? Int8Array : Uint8Array;
    return { view: new View(this.words, 0, this.buffer.length), start: this.byteAt(p, 0), stride: this.rowBytes };
  }
}

/** Released storage by byte size (a few of each: a stream holds one stimulus and one expected chunk). */
const POOL = new Map<number, ArrayBuffer[]>();
const POOL_DEPTH = 4;

/** Zeroed storage of `bytes` bytes: a released one when there is one, else new. */
function takeStorage(bytes: number): ArrayBuffer {
  const reused = POOL.get(bytes)?.pop();
  if (reused === undefined) return new ArrayBuffer(bytes);
  new Uint8Array(reused).fill(0);
  return reused;
}

function outOfRange(port: Port, v: string, i: number): RangeError {
  return new RangeError(`vector ${i}, port ${port.name}: ${v} does not fit ${port.width} bits`);
}
