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
 *   followed by rows; in a row each port takes `ceil(w/8)` little-endian bytes, in port
 *   order, padding bits zero (no alignment beyond bytes).
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
  const slots = planSlots(layout);
  let pos = 0;
  for (let r = 0; r < rows.length; r++) {
    packRow(slots, rows[r] as VectorRow, r, words);
    for (let n = digits - 1; n >= 0; n--) {
      out[pos++] = HEX_DIGITS[((words[n >>> 3] as number) >>> ((n & 7) * 4)) & 15] as number;
    }
    out[pos++] = 10;
  }
  return out;
}

/** Encodes rows in the binary format (header + byte-aligned little-endian rows). */
export function encodeBinaryVectors(ports: readonly TbPort[], rows: readonly VectorRow[]): Buffer {
  const layout = binaryLayout(ports);
  const rowBytes = layout.bits / 8;
  const out = Buffer.alloc(BINARY_HEADER_BYTES + rows.length * rowBytes);
  out.write(BINARY_MAGIC, 0, 'latin1');
  out.writeUInt32LE(rowBytes, 8);
  out.writeUInt32LE(rows.length, 12);
  const slots = planSlots(layout);
  // Hot loop (10^6 rows x tens of ports): per-slot constants hoisted; ports of at most 32 bits
  // are written inline from one Number conversion, wider ones by writePortBytes.
  const count = slots.length;
  const offset = slots.map((sl) => sl.lsb / 8);
  const bytes = slots.map((sl) => (sl.width <= 32 ? Math.ceil(sl.width / 8) : 0));
  const topMask = slots.map((sl) => (sl.width % 8 === 0 ? 255 : (1 << sl.width % 8) - 1));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as VectorRow;
    if (row.length !== count) throw new RangeError(`vector ${r}: ${row.length} values for ${count} ports`);
    const at = BINARY_HEADER_BYTES + r * rowBytes;
    for (let p = 0; p < count; p++) {
      const slot = slots[p] as SlotPlan;
      const nb = bytes[p] as number;
      if (nb === 0) {
        writePortBytes(out, at + (offset[p] as number), slot, row[p] as bigint, r);
        continue;
      }
      // Exact for in-range values; an out-of-range value stays out of range when rounded.
      const n = Number(row[p] as bigint);
      if (!(n >= slot.minNumber && n <= slot.maxNumber)) throw outOfRange(slot, row[p] as bigint, r);
      const o = at + (offset[p] as number);
      for (let k = 0; k < nb - 1; k++) out[o + k] = (n >>> (8 * k)) & 255;
      out[o + nb - 1] = (n >>> (8 * (nb - 1))) & (topMask[p] as number);
    }
  }
  return out;
}

/** Writes one value as `ceil(width/8)` little-endian bytes at `at`, after its range check. */
function writePortBytes(out: Buffer, at: number, slot: SlotPlan, value: bigint, r: number): void {
  const bytes = Math.ceil(slot.width / 8);
  if (slot.width <= 32) {
    // One Number conversion serves the range check and the bytes (exact for in-range values;
    // an out-of-range value stays out of range when rounded). Bytes are two's complement.
    const n = Number(value);
    if (!(n >= slot.minNumber && n <= slot.maxNumber)) throw outOfRange(slot, value, r);
    for (let k = 0; k < bytes; k++) out[at + k] = (n >>> (8 * k)) & 255;
    if (slot.width % 8 !== 0) out[at + bytes - 1] = (out[at + bytes - 1] as number) & ((1 << slot.width % 8) - 1);
    return;
  }
  if (value < slot.min || value > slot.max) throw outOfRange(slot, value, r);
  let rest = BigInt.asUintN(slot.width, value);
  for (let k = 0; k < bytes; k += 4, rest >>= 32n) {
    const word = Number(rest & 0xffffffffn);
    for (let j = 0; j < 4 && k + j < bytes; j++) out[at + k + j] = (word >>> (8 * j)) & 255;
  }
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
    rows.push(unpackRow(layout, BigInt(`0x${hex || '0'}`)));
  }
  return rows;
}

/** Interprets the low `width` bits of `raw` as the port's value (two's complement if signed). */
export function fromBits(port: TbPort, raw: bigint): bigint {
  return port.signed ? BigInt.asIntN(port.width, raw) : BigInt.asUintN(port.width, raw);
}

/** Per-slot constants hoisted out of the per-row loop. */
interface SlotPlan {
  readonly name: string;
  readonly lsb: number;
  readonly width: number;
  readonly min: bigint;
  readonly max: bigint;
  readonly minNumber: number;
  readonly maxNumber: number;
}

function planSlots(layout: RowLayout): SlotPlan[] {
  return layout.slots.map(({ port, lsb }) => ({
    name: port.name,
    lsb,
    width: port.width,
    min: -(1n << BigInt(port.width - 1)),
    max: (1n << BigInt(port.width)) - 1n,
    minNumber: Number(-(1n << BigInt(port.width - 1))),
    maxNumber: Number((1n << BigInt(port.width)) - 1n),
  }));
}

/** Packs one row into `words` (zeroed first). Hot loop: indices are in range by construction, hence the `as`. */
function packRow(slots: readonly SlotPlan[], row: VectorRow, r: number, words: Uint32Array): void {
  checkRow(slots, row, r);
  words.fill(0);
  for (let p = 0; p < slots.length; p++) {
    const slot = slots[p] as SlotPlan;
    const value = row[p] as bigint;
    if (slot.width <= 32) {
      // Number(value) is exact here (|value| < 2^32) and `>>> 0` / the mask give two's complement.
      const n = Number(value);
      insertBits(words, slot.lsb, slot.width === 32 ? n >>> 0 : n & ((1 << slot.width) - 1), slot.width);
      continue;
    }
    let rest = BigInt.asUintN(slot.width, value);
    for (let done = 0; done < slot.width; done += 32, rest >>= 32n) {
      insertBits(words, slot.lsb + done, Number(rest & 0xffffffffn), Math.min(32, slot.width - done));
    }
  }
}

/** Throws unless the row has one in-range value per port (truncation is never silent). */
function checkRow(slots: readonly SlotPlan[], row: VectorRow, r: number): void {
  if (row.length !== slots.length) throw new RangeError(`vector ${r}: ${row.length} values for ${slots.length} ports`);
  for (let p = 0; p < slots.length; p++) {
    const slot = slots[p] as SlotPlan;
    const value = row[p] as bigint;
    if (value < slot.min || value > slot.max) throw outOfRange(slot, value, r);
  }
}

function outOfRange(slot: SlotPlan, value: bigint, r: number): RangeError {
  return new RangeError(`vector ${r}, port ${slot.name}: ${value} does not fit ${slot.width} bits`);
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
