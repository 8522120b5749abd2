/**
 * Stimulus / expected vector files, written from columns (`VectorSet`, the fast path) or rows
 * (one `bigint` per port, in port order). A row value must fit its port as two's complement or
 * unsigned (`-2^(w-1) <= v < 2^w`), a column entry the column contract of `sim/vector-set.ts`;
 * each is stored as its low `w` bits. Out-of-range values throw: truncation is never silent.
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
import { narrowRange, VectorSet } from './vector-set.ts';

/** One vector: one value per port, in port order. */
export type VectorRow = readonly bigint[];

export const BINARY_MAGIC = 'NPUVEC01';
export const BINARY_HEADER_BYTES = 16;

const HEX_DIGITS = Buffer.from('0123456789abcdef');

/** Vectors to encode: rows (one value per port, port order) or columns. */
export type Vectors = VectorSet | readonly VectorRow[];

/** Encodes vectors in the hex (`$readmemh`) format. */
export function encodeHexVectors(ports: readonly TbPort[], vectors: Vectors): Buffer {
  const set = columnsFor(ports, vectors);
  const layout = hexLayout(ports);
  const digits = Math.ceil(layout.bits / 4);
  const out = Buffer.allocUnsafe(set.length * (digits + 1));
  const words = new Uint32Array(wordsFor(layout.bits) + 1);
  const slots = planSlots(layout);
  checkColumns(slots, set);
  let pos = 0;
  for (let r = 0; r < set.length; r++) {
    packRow(slots, set, r, words);
    for (let n = digits - 1; n >= 0; n--) {
      out[pos++] = HEX_DIGITS[((words[n >>> 3] as number) >>> ((n & 7) * 4)) & 15] as number;
    }
    out[pos++] = 10;
  }
  return out;
}

/** Encodes vectors in the binary format (header + byte-aligned little-endian rows). */
export function encodeBinaryVectors(ports: readonly TbPort[], vectors: Vectors): Buffer {
  const set = columnsFor(ports, vectors);
  const layout = binaryLayout(ports);
  const rowBytes = layout.bits / 8;
  const out = Buffer.alloc(BINARY_HEADER_BYTES + set.length * rowBytes);
  out.write(BINARY_MAGIC, 0, 'latin1');
  out.writeUInt32LE(rowBytes, 8);
  out.writeUInt32LE(set.length, 12);
  const slots = planSlots(layout);
  checkColumns(slots, set);
  // Column by column: each port's bytes go to the same offset of every row.
  slots.forEach((slot, p) => {
    const col = set.columns[p]!;
    const at = BINARY_HEADER_BYTES + slot.lsb / 8;
    if (col instanceof Int32Array) writeNarrowColumn(out, at, rowBytes, slot, col);
    else for (let r = 0; r < col.length; r++) writeWideValue(out, at + r * rowBytes, slot, col[r]!, r);
  });
  return out;
}

/**
 * Writes an `Int32Array` column: `ceil(w/8)` little-endian bytes per row, padding bits zero, after
 * checking each entry against the column contract (`sim/vector-set.ts`). The hot loop of 10^6-vector
 * runs, hence the byte-count specialisations.
 */
function writeNarrowColumn(out: Buffer, at: number, rowBytes: number, slot: SlotPlan, col: Int32Array): void {
  const [lo, hi] = slot.narrowRange;
  const nb = Math.ceil(slot.width / 8);
  const top = slot.width % 8 === 0 ? 255 : (1 << slot.width % 8) - 1;
  for (let r = 0, o = at; r < col.length; r++, o += rowBytes) {
    const v = col[r]!;
    if (v < lo || v > hi) throw outOfRange(slot, BigInt(v), r);
    if (nb === 1) { out[o] = v & top; continue; }
    for (let k = 0; k < nb - 1; k++) out[o + k] = v >>> (8 * k);
    out[o + nb - 1] = (v >>> (8 * (nb - 1))) & top;
  }
}

/** Writes one value of a port wider than 32 bits as `ceil(width/8)` little-endian bytes, after its range check. */
function writeWideValue(out: Buffer, at: number, slot: SlotPlan, value: bigint, r: number): void {
  if (value < slot.min || value > slot.max) throw outOfRange(slot, value, r);
  const bytes = Math.ceil(slot.width / 8);
  let rest = BigInt.asUintN(slot.width, value);
  for (let k = 0; k < bytes; k += 4, rest >>= 32n) {
    const word = Number(rest & 0xffffffffn);
    for (let j = 0; j < 4 && k + j < bytes; j++) out[at + k + j] = (word >>> (8 * j)) & 255;
  }
}

/** The vectors as columns over `ports` (rows are converted and range-checked). */
function columnsFor(ports: readonly TbPort[], vectors: Vectors): VectorSet {
  return vectors instanceof VectorSet ? vectors : VectorSet.fromRows(ports, vectors);
}

/** The set's columns must be the ports' (same count, widths and signedness). */
function checkColumns(slots: readonly SlotPlan[], set: VectorSet): void {
  if (set.ports.length !== slots.length) throw new RangeError(`${set.ports.length} columns for ${slots.length} ports`);
  set.ports.forEach((p, i) => {
    const s = slots[i]!;
    if (p.width !== s.width || p.signed !== s.signed) throw new RangeError(`column ${i} (${p.name}) is ${p.width} bits ${p.signed ? 'signed' : 'unsigned'}, port ${s.name} is ${s.width} bits ${s.signed ? 'signed' : 'unsigned'}`);
  });
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
  vectors: Vectors,
): Promise<void> {
  const set = columnsFor(ports, vectors);
  const jobs: Promise<void>[] = [];
  if (paths.hex !== undefined) jobs.push(writeFile(paths.hex, encodeHexVectors(ports, set)));
  if (paths.binary !== undefined) jobs.push(writeFile(paths.binary, encodeBinaryVectors(ports, set)));
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
  readonly signed: boolean;
  readonly min: bigint;
  readonly max: bigint;
  /** Entries an `Int32Array` column of this port may hold. */
  readonly narrowRange: readonly [number, number];
}

function planSlots(layout: RowLayout): SlotPlan[] {
  return layout.slots.map(({ port, lsb }) => ({
    name: port.name,
    lsb,
    width: port.width,
    signed: port.signed,
    min: -(1n << BigInt(port.width - 1)),
    max: (1n << BigInt(port.width)) - 1n,
    narrowRange: narrowRange(port),
  }));
}

/** Packs vector `r` into `words` (zeroed first), after range checks. */
function packRow(slots: readonly SlotPlan[], set: VectorSet, r: number, words: Uint32Array): void {
  words.fill(0);
  for (let p = 0; p < slots.length; p++) {
    const slot = slots[p]!;
    const col = set.columns[p]!;
    if (col instanceof Int32Array) {
      const n = col[r]!;
      if (n < slot.narrowRange[0] || n > slot.narrowRange[1]) throw outOfRange(slot, BigInt(n), r);
      // The mask (or `>>> 0` at 32 bits) gives the low `width` bits of the two's complement.
      insertBits(words, slot.lsb, slot.width === 32 ? n >>> 0 : n & ((1 << slot.width) - 1), slot.width);
      continue;
    }
    const value = col[r]!;
    if (value < slot.min || value > slot.max) throw outOfRange(slot, value, r);
    let rest = BigInt.asUintN(slot.width, value);
    for (let done = 0; done < slot.width; done += 32, rest >>= 32n) {
      insertBits(words, slot.lsb + done, Number(rest & 0xffffffffn), Math.min(32, slot.width - done));
    }
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
