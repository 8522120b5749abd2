/**
 * Where each port's bits sit inside one vector row, for the two vector file formats.
 * The testbench generator slices rows with these offsets and `sim/vectors.ts` packs rows
 * with them, so the two can never disagree.
 */
import type { TbPort } from './model.ts';

/** One port's slot inside a row: bits `[lsb + width - 1 : lsb]` of the row. */
export interface PortSlot {
  readonly port: TbPort;
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
export function hexLayout(ports: readonly TbPort[]): RowLayout {
  let lsb = 0;
  const slots = ports.map((port) => {
    const slot = { port, lsb };
    lsb += port.width;
    return slot;
  });
  return { slots, bits: Math.max(lsb, 1) };
}

/**
 * Word-aligned layout of the binary format: each port starts on a 32-bit word boundary and
 * occupies `ceil(width / 32)` words (padding bits are zero). The row is a whole number of
 * little-endian 32-bit words, which is exactly the memory layout of Verilator's VlWide and
 * of a DPI `svBitVecVal[]`, so a harness can copy rows without bit shuffling.
 */
export function binaryLayout(ports: readonly TbPort[]): RowLayout {
  let lsb = 0;
  const slots = ports.map((port) => {
    const slot = { port, lsb };
    lsb += wordsFor(port.width) * 32;
    return slot;
  });
  return { slots, bits: Math.max(lsb, 32) };
}

/** Number of 32-bit words holding `bits` bits. */
export function wordsFor(bits: number): number {
  return Math.ceil(bits / 32);
}
