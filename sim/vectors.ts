/**
 * Stimulus / expected vector files, written from a `VectorSet` (the fast path: it is the binary file) or rows
 * (one `bigint` per port, in port order). A value must fit its port as two's complement or
 * unsigned (`-2^(w-1) <= v < 2^w`) and is stored as its low `w` bits. Out-of-range values
 * throw: truncation is never silent.
 *
 * Formats (layouts in `generators/testbench/layout.ts`):
 * - hex: `$readmemh`-compatible text, one line per row, the dense row
 *   `{port[n-1], ..., port[0]}` as `ceil(bits/4)` hex digits, no address markers.
 * - binary: a 16-byte header — ASCII `NPUVEC01`, u32 LE row bytes, u32 LE row count —
 *   followed by rows; in a row each port takes `ceil(w/8)` little-endian bytes, in port
 *   order, padding bits zero (no alignment beyond bytes).
 */
import { writeFile } from 'node:fs/promises';
import { binaryLayout, hexLayout, wordsFor, type RowLayout } from '../generators/testbench/layout.ts';
import { BINARY_HEADER_BYTES, BINARY_MAGIC, VectorSet } from './vector-set.ts';
import type { Port } from '../formats/port.ts';

/** One vector: one value per port, in port order. */
export type VectorRow = readonly bigint[];

export { BINARY_HEADER_BYTES, BINARY_MAGIC } from './vector-set.ts';

const HEX_DIGITS = Buffer.from('0123456789abcdef');

/** Vectors to encode: rows (one value per port, port order) or a set. */
export type Vectors = VectorSet | readonly VectorRow[];

/** Encodes vectors in the hex (`$readmemh`) format. */
export function encodeHexVectors(ports: readonly Port[], vectors: Vectors): Buffer {
  const set = setFor(ports, vectors);
  const layout = hexLayout(ports);
  const digits = Math.ceil(layout.bits / 4);
  const out = Buffer.allocUnsafe(set.length * (digits + 1));
  const words = new Uint32Array(wordsFor(layout.bits) + 1);
  let pos = 0;
  for (let r = 0; r < set.length; r++) {
    packRow(layout, set, r, words);
    for (let n = digits - 1; n >= 0; n--) {
      out[pos++] = HEX_DIGITS[((words[n >>> 3] as number) >>> ((n & 7) * 4)) & 15] as number;
    }
    out[pos++] = 10;
  }
  return out;
}

/**
 * Encodes vectors in the binary format (header + byte-aligned little-endian rows). A `VectorSet`
 * already is this file: it is returned as is, without a copy.
 */
export function encodeBinaryVectors(ports: readonly Port[], vectors: Vectors): Buffer {
  return setFor(ports, vectors).buffer;
}

/** The vectors as a set over `ports` (rows are converted and range-checked; a set's ports must match). */
function setFor(ports: readonly Port[], vectors: Vectors): VectorSet {
  if (!(vectors instanceof VectorSet)) return VectorSet.fromRows(ports, vectors);
  if (vectors.ports.length !== ports.length) throw new RangeError(`${vectors.ports.length} columns for ${ports.length} ports`);
  vectors.ports.forEach((p, i) => {
    const q = ports[i]!;
    if (p.width !== q.width || p.signed !== q.signed) throw new RangeError(`column ${i} (${p.name}) is ${p.width} bits ${p.signed ? 'signed' : 'unsigned'}, port ${q.name} is ${q.width} bits ${q.signed ? 'signed' : 'unsigned'}`);
  });
  return vectors;
}

/** Which files to write; each is written only when its path is given. */
export interface VectorFilePaths {
  readonly hex?: string;
  readonly binary?: string;
}

/** Writes one vector set (stimulus or expected) in the requested formats. */
export async function writeVectorFiles(
  paths: VectorFilePaths,
  ports: readonly Port[],
  vectors: Vectors,
): Promise<void> {
  const set = setFor(ports, vectors);
  const jobs: Promise<void>[] = [];
  if (paths.hex !== undefined) jobs.push(writeFile(paths.hex, encodeHexVectors(ports, set)));
  if (paths.binary !== undefined) jobs.push(writeFile(paths.binary, encodeBinaryVectors(ports, set)));
  await Promise.all(jobs);
}

/** Decodes the hex format back to rows (values signed per port). For tests and debugging. */
export function decodeHexVectors(ports: readonly Port[], text: string): bigint[][] {
  const layout = hexLayout(ports);
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => unpackRow(layout, BigInt(`0x${line.trim()}`)));
}

/** Decodes the binary format back to rows (values signed per port). For tests and debugging. */
export function decodeBinaryVectors(ports: readonly Port[], data: Buffer): bigint[][] {
  const layout = binaryLayout(ports);
  const rowBytes = layout.bits / 8;
  if (data.toString('latin1', 0, 8) !== BINARY_MAGIC) throw new Error('not an npugen vector file');
  if (data.readUInt32LE(8) !== rowBytes) throw new Error(`row size ${data.readUInt32LE(8)} != ${rowBytes}`);
  const count = data.readUInt32LE(12);
  const rows: bigint[][] = [];
  for (let r = 0; r < count; r++) {
    const at = BINARY_HEADER_BYTES + r * rowBytes;
    const hex = Buffer.from(data.subarray(at, at + rowBytes)).reverse().toString('hex');
    rows.push(unpackRow(layout, BigInt(`0x${hex || '0'}`)));
  }
  return rows;
}

/** Interprets the low `width` bits of `raw` as the port's value (two's complement if signed). */
export function fromBits(port: Port, raw: bigint): bigint {
  return port.signed ? BigInt.asIntN(port.width, raw) : BigInt.asUintN(port.width, raw);
}

/** Packs vector `r` into `words` (zeroed first) in the hex layout. */
function packRow(layout: RowLayout, set: VectorSet, r: number, words: Uint32Array): void {
  words.fill(0);
  layout.slots.forEach(({ port, lsb }, p) => {
    if (port.width <= 32) {
      const n = set.getNumber(p, r);
      // The mask (or `>>> 0` at 32 bits) gives the low `width` bits of the two's complement.
      insertBits(words, lsb, port.width === 32 ? n >>> 0 : n & ((1 << port.width) - 1), port.width);
      return;
    }
    let rest = BigInt.asUintN(port.width, set.get(p, r));
    for (let done = 0; done < port.width; done += 32, rest >>= 32n) {
      insertBits(words, lsb + done, Number(rest & 0xffffffffn), Math.min(32, port.width - done));
    }
  });
}

/** ORs the `nbits`-bit unsigned `chunk` into `words` at bit offset `at`. */
function insertBits(words: Uint32Array, at: number, chunk: number, nbits: number): void {
  const wi = at >>> 5;
  const sh = at & 31;
  words[wi] = (words[wi] ?? 0) | (chunk << sh);
  if (sh + nbits > 32) words[wi + 1] = (words[wi + 1] ?? 0) | (chunk >>> (32 - sh));
}

function unpackRow(layout: RowLayout, raw: bigint): bigint[] {
  return layout.slots.map(({ port, lsb }) => fromBits(port, raw >> BigInt(lsb)));
}
