/**
 * Stimulus / expected vector files. One row per vector, one `bigint` per port (in port
 * order); a value must fit its port as two's complement or unsigned
 * (`-2^(w-1) <= v < 2^w`) and is stored as its low `w` bits. Out-of-range values throw:
 * truncation is never silent.
 *
 * Formats (layouts in `generators/testbench/layout.ts`):
 * - hex: `$readmemh`-compatible text, one line per row, the dense row
 *   `{port[n-1], ..., port[0]}` as `ceil(bits/4)` hex digits, no address markers.
 * - binary: a 16-byte header — ASCII `NPUVEC01`, u32 LE row bytes, u32 LE row count —
 *   followed by rows of little-endian 32-bit words, each port word-aligned, padding zero.
 */
import { writeFile } from 'node:fs/promises';
import { binaryLayout, hexLayout, wordsFor, type RowLayout } from '../generators/testbench/layout.ts';
import type { TbPort } from '../generators/testbench/model.ts';

/** One vector: one value per port, in port order. */
export type VectorRow = readonly bigint[];

export const BINARY_MAGIC = 'NPUVEC01';
export const BINARY_HEADER_BYTES = 16;

const HEX_DIGITS = Buffer.from('0123456789abcdef');

/** Encodes rows in the hex (`$readmemh`) format. */
export function encodeHexVectors(ports: readonly TbPort[], rows: readonly VectorRow[]): Buffer {
  const layout = hexLayout(ports);
  const digits = Math.ceil(layout.bits / 4);
  const out = Buffer.allocUnsafe(rows.length * (digits + 1));
  const words = new Uint32Array(wordsFor(layout.bits) + 1);
  let pos = 0;
  rows.forEach((row, r) => {
    packRow(layout, row, r, words);
    for (let n = digits - 1; n >= 0; n--) {
      const word = words[n >>> 3] ?? 0;
      out[pos++] = HEX_DIGITS[(word >>> ((n & 7) * 4)) & 15] ?? 0;
    }
    out[pos++] = 10;
  });
  return out;
}

/** Encodes rows in the binary format (header + word-aligned little-endian rows). */
export function encodeBinaryVectors(ports: readonly TbPort[], rows: readonly VectorRow[]): Buffer {
  const layout = binaryLayout(ports);
  const rowWords = layout.bits / 32;
  const out = Buffer.alloc(BINARY_HEADER_BYTES + rows.length * rowWords * 4);
  out.write(BINARY_MAGIC, 0, 'latin1');
  out.writeUInt32LE(rowWords * 4, 8);
  out.writeUInt32LE(rows.length, 12);
  const words = new Uint32Array(rowWords + 1);
  let pos = BINARY_HEADER_BYTES;
  rows.forEach((row, r) => {
    packRow(layout, row, r, words);
    for (let w = 0; w < rowWords; w++, pos += 4) out.writeUInt32LE(words[w] ?? 0, pos);
  });
  return out;
}

/** Which files to write; each is written only when its path is given. */
export interface VectorFilePaths {
  readonly hex?: string;
  readonly binary?: string;
}

/** Writes one vector set (stimulus or expected) in the requested formats. */
export async function writeVectorFiles(
  paths: VectorFilePaths,
  ports: readonly TbPort[],
  rows: readonly VectorRow[],
): Promise<void> {
  const jobs: Promise<void>[] = [];
  if (paths.hex !== undefined) jobs.push(writeFile(paths.hex, encodeHexVectors(ports, rows)));
  if (paths.binary !== undefined) jobs.push(writeFile(paths.binary, encodeBinaryVectors(ports, rows)));
  await Promise.all(jobs);
}

/** Decodes the hex format back to rows (values signed per port). For tests and debugging. */
export function decodeHexVectors(ports: readonly TbPort[], text: string): bigint[][] {
  const layout = hexLayout(ports);
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => unpackRow(layout, BigInt(`0x${line.trim()}`)));
}

/** Decodes the binary format back to rows (values signed per port). For tests and debugging. */
export function decodeBinaryVectors(ports: readonly TbPort[], data: Buffer): bigint[][] {
  const layout = binaryLayout(ports);
  const rowBytes = layout.bits / 8;
  if (data.toString('latin1', 0, 8) !== BINARY_MAGIC) throw new Error('not an npugen vector file');
  if (data.readUInt32LE(8) !== rowBytes) throw new Error(`row size ${data.readUInt32LE(8)} != ${rowBytes}`);
  const count = data.readUInt32LE(12);
  const rows: bigint[][] = [];
  for (let r = 0; r < count; r++) {
    const at = BINARY_HEADER_BYTES + r * rowBytes;
    const hex = Buffer.from(data.subarray(at, at + rowBytes)).reverse().toString('hex');
    rows.push(unpackRow(layout, BigInt(`0x${hex}`)));
  }
  return rows;
}

/** Interprets the low `width` bits of `raw` as the port's value (two's complement if signed). */
export function fromBits(port: TbPort, raw: bigint): bigint {
  return port.signed ? BigInt.asIntN(port.width, raw) : BigInt.asUintN(port.width, raw);
}

/** Packs one row into `words` (zeroed first) at the layout's bit offsets. */
function packRow(layout: RowLayout, row: VectorRow, r: number, words: Uint32Array): void {
  if (row.length !== layout.slots.length) {
    throw new RangeError(`vector ${r}: ${row.length} values for ${layout.slots.length} ports`);
  }
  words.fill(0);
  layout.slots.forEach(({ port, lsb }, p) => {
    const value = row[p] ?? 0n;
    checkRange(port, value, r);
    if (port.width <= 32) {
      insertBits(words, lsb, Number(BigInt.asUintN(port.width, value)), port.width);
      return;
    }
    let rest = BigInt.asUintN(port.width, value);
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

function checkRange(port: TbPort, value: bigint, r: number): void {
  const w = BigInt(port.width);
  if (value >= 1n << w || value < -(1n << (w - 1n))) {
    throw new RangeError(`vector ${r}, port ${port.name}: ${value} does not fit ${port.width} bits`);
  }
}

function unpackRow(layout: RowLayout, raw: bigint): bigint[] {
  return layout.slots.map(({ port, lsb }) => fromBits(port, raw >> BigInt(lsb)));
}
