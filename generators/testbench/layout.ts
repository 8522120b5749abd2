/**
 * Where each port's bits sit inside one vector row, for the two vector file formats.
 * The testbench generator slices rows with these offsets and `sim/vectors.ts` packs rows
 * with them, so the two can never disagree.
 */
import type { Port } from '../../formats/port.ts';

/** One port's slot inside a row: bits `[lsb + width - 1 : lsb]` of the row. */
export interface PortSlot {
  readonly port: Port;
  readonly lsb: number;
}

/** A row layout: slots in port order, and the total row width in bits. */
export interface RowLayout {
  readonly slots: readonly PortSlot[];
  readonly bits: number;
}

/**
 * Dense layout of the hex ($readmemh) format: ports concatenated without padding, port 0
 * in the least-significant bits, i.e. the row is `{port[n-1], ..., port[1], port[0]}`.
 */
export function hexLayout(ports: readonly Port[]): RowLayout {
  let lsb = 0;
  const slots = ports.map((port) => {
    const slot = { port, lsb };
    lsb += port.width;
    return slot;
  });
  return { slots, bits: Math.max(lsb, 1) };
}

/**
 * Byte-aligned layout of the binary format: each port starts on a byte boundary and occupies
 * `ceil(width / 8)` bytes, little-endian, padding bits zero. A 16-lane int8 dot-product row
 * is 32 bytes (word alignment would make it 128, and loading 4x the bytes dominated the run).
 */
export function binaryLayout(ports: readonly Port[]): RowLayout {
  return aligned(ports, 8, 8);
}

/**
 * Word-aligned layout of the rows a DPI import hands the testbench: each port starts on a
 * 32-bit word, which is the `svBitVecVal[]` layout, so the C++ main fills a port with one
 * `memcpy` of its bytes from a binary-format row.
 */
export function dpiRowLayout(ports: readonly Port[]): RowLayout {
  return aligned(ports, 32, 32);
}

function aligned(ports: readonly Port[], unit: number, minBits: number): RowLayout {
  let lsb = 0;
  const slots = ports.map((port) => {
    const slot = { port, lsb };
    lsb += Math.ceil(port.width / unit) * unit;
    return slot;
  });
  return { slots, bits: Math.max(lsb, minBits) };
}

/** Number of 32-bit words holding `bits` bits. */
export function wordsFor(bits: number): number {
  return Math.ceil(bits / 32);
}
