/**
 * Column-major vectors: one column per port, `length` vectors. This is how stimulus and expected
 * values travel from the transaction models to the vector files, so 10^6-vector runs never build
 * a bigint per value: a port of at most 32 bits is an `Int32Array`, a wider one a `bigint[]`.
 *
 * Contract of an `Int32Array` column of a `w`-bit port:
 * - `w < 32`: each entry is the value in the port's signedness (int8: -128..127, uint8: 0..255);
 *   writers reject anything else, so a model's stray value is never truncated silently.
 * - `w = 32`: each entry is the value's 32-bit two's-complement pattern (`v | 0`); read a uint32
 *   entry with `>>> 0` (or `narrowValue`).
 * A `bigint[]` column holds values with `-2^(w-1) <= v < 2^w` (either spelling, as rows do);
 * writers check the range and `get` returns the port's signedness.
 * `set` and `fromRows` accept either spelling and store the port's signedness.
 */
import type { TbPort } from '../generators/testbench/model.ts';

/** What a column needs to know about its port. */
export type PortShape = Pick<TbPort, 'name' | 'width' | 'signed'>;

export type Column = Int32Array | bigint[];

/** Whether a port's column is an `Int32Array` (at most 32 bits) rather than a `bigint[]`. */
export function isNarrow(port: Pick<PortShape, 'width'>): boolean {
  return port.width <= 32;
}

export class VectorSet {
  private constructor(
    readonly ports: readonly PortShape[],
    readonly columns: readonly Column[],
    readonly length: number,
  ) {}

  /** Zero-filled columns for `length` vectors. */
  static alloc(ports: readonly PortShape[], length: number): VectorSet {
    return new VectorSet(ports, ports.map((p) => (isNarrow(p) ? new Int32Array(length) : new Array<bigint>(length).fill(0n))), length);
  }

  /** Wraps existing columns (one per port, each `length` long). */
  static of(ports: readonly PortShape[], columns: readonly Column[]): VectorSet {
    if (columns.length !== ports.length) throw new RangeError(`${columns.length} columns for ${ports.length} ports`);
    const length = columns[0]?.length ?? 0;
    columns.forEach((c, p) => {
      const port = ports[p]!;
      if (c.length !== length) throw new RangeError(`column ${port.name} has ${c.length} values, column ${ports[0]!.name} ${length}`);
      if (isNarrow(port) !== c instanceof Int32Array) throw new TypeError(`column ${port.name} (${port.width} bits) must be ${isNarrow(port) ? 'an Int32Array' : 'a bigint[]'}`);
    });
    return new VectorSet(ports, columns, length);
  }

  /** Rows (one value per port, port order) to columns; throws on a value that does not fit its port. */
  static fromRows(ports: readonly PortShape[], rows: readonly (readonly bigint[])[]): VectorSet {
    const set = VectorSet.alloc(ports, rows.length);
    rows.forEach((row, r) => {
      if (row.length !== ports.length) throw new RangeError(`vector ${r}: ${row.length} values for ${ports.length} ports`);
      row.forEach((v, p) => set.set(p, r, v));
    });
    return set;
  }

  /** The concatenation of sets over the same ports, in order. */
  static concat(ports: readonly PortShape[], sets: readonly VectorSet[]): VectorSet {
    const length = sets.reduce((s, x) => s + x.length, 0);
    const out = VectorSet.alloc(ports, length);
    ports.forEach((port, p) => {
      const dst = out.columns[p]!;
      let at = 0;
      for (const s of sets) {
        const src = s.columns[p]!;
        if (dst instanceof Int32Array) dst.set(src as Int32Array, at);
        else for (let i = 0; i < src.length; i++) dst[at + i] = (src as bigint[])[i]!;
        at += s.length;
      }
    });
    return out;
  }

  /** Port `p`'s value in vector `i`, in the port's signedness. */
  get(p: number, i: number): bigint {
    const port = this.ports[p]!;
    const col = this.columns[p]!;
    if (col instanceof Int32Array) return BigInt(narrowValue(port, col[i]!));
    const v = col[i]!;
    return port.signed ? BigInt.asIntN(port.width, v) : BigInt.asUintN(port.width, v);
  }

  /** Stores `v` (which must fit the port: `-2^(w-1) <= v < 2^w`). */
  set(p: number, i: number, v: bigint): void {
    const port = this.ports[p]!;
    if (v < -(1n << BigInt(port.width - 1)) || v >= 1n << BigInt(port.width)) throw new RangeError(`vector ${i}, port ${port.name}: ${v} does not fit ${port.width} bits`);
    const col = this.columns[p]!;
    if (col instanceof Int32Array) col[i] = Number(port.signed || port.width === 32 ? BigInt.asIntN(port.width, v) : BigInt.asUintN(port.width, v));
    else col[i] = v;
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
}

/** An `Int32Array` entry of a port of at most 32 bits, read in the port's signedness (exact). */
export function narrowValue(port: Pick<PortShape, 'width' | 'signed'>, v: number): number {
  return port.width === 32 && !port.signed ? v >>> 0 : v;
}

/** Inclusive range of the entries of an `Int32Array` column of `port` (see the contract above). */
export function narrowRange(port: Pick<PortShape, 'width' | 'signed'>): readonly [number, number] {
  const w = port.width;
  if (w === 32) return [-(2 ** 31), 2 ** 31 - 1];
  return port.signed ? [-(2 ** (w - 1)), 2 ** (w - 1) - 1] : [0, 2 ** w - 1];
}

/** Rows or a set, as a set. */
export function asVectorSet(ports: readonly PortShape[], v: VectorSet | readonly (readonly bigint[])[]): VectorSet {
  return v instanceof VectorSet ? v : VectorSet.fromRows(ports, v);
}
