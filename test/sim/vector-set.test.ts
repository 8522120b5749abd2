import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { VectorSet } from '../../sim/vector-set.ts';
import { decodeBinaryVectors } from '../../sim/vectors.ts';
import { Rng } from '../../sim/random.ts';
import type { Port } from '../../formats/port.ts';

const port = (name: string, width: number, signed: boolean): Port => ({ name, width, signed });
const PORTS = [port('a', 1, false), port('b', 7, true), port('c', 8, false), port('d', 31, true), port('e', 32, false), port('f', 32, true), port('g', 33, true), port('h', 64, false)];

/** A value of the port in either spelling, as rows may carry it. */
const anyValue = (p: Port) => fc.bigInt({ min: -(1n << BigInt(p.width - 1)), max: (1n << BigInt(p.width)) - 1n });
const canonical = (p: Port, v: bigint) => (p.signed ? BigInt.asIntN(p.width, v) : BigInt.asUintN(p.width, v));
/** A 32-bit-or-narrower entry of an Int32Array read in the format's signedness. */

describe('VectorSet', () => {
  test('rows -> columns -> rows gives each value in its port signedness', () => {
    fc.assert(fc.property(fc.array(fc.tuple(...PORTS.map(anyValue)), { maxLength: 20 }), (rows) => {
      const set = VectorSet.fromRows(PORTS, rows);
      expect(set.toRows()).toEqual(rows.map((r) => r.map((v, i) => canonical(PORTS[i]!, v))));
    }));
  });

  test('the set is the binary vector file: the independent decoder reads the same rows back', () => {
    fc.assert(fc.property(fc.array(fc.tuple(...PORTS.map(anyValue)), { maxLength: 20 }), (rows) => {
      const set = VectorSet.fromRows(PORTS, rows);
      expect(decodeBinaryVectors(PORTS, set.buffer)).toEqual(rows.map((r) => r.map((v, i) => canonical(PORTS[i]!, v))));
    }));
  });

  test('random: uniform codes on every port with padding bits zero', () => {
    const ps = [port('a', 1, false), port('b', 4, true), port('c', 8, true), port('d', 12, false), port('e', 33, true)];
    const set = VectorSet.random(ps, 3000, new Rng(1));
    const rows = decodeBinaryVectors(ps, set.buffer); // the independent decoder; it masks padding, so that is checked byte by byte below
    expect(rows).toEqual(set.toRows());
    for (const [p, k] of [[ps[1]!, 1], [ps[2]!, 2]] as const) {
      const seen = new Set(rows.map((r) => r[k]));
      expect(seen.size).toBe(2 ** p.width);
    }
    for (let i = 0; i < set.length; i++) {
      expect(set.buffer[set.byteAt(0, i)]! >> 1).toBe(0);
      expect(set.buffer[set.byteAt(1, i)]! >> 4).toBe(0);
      expect(set.buffer[set.byteAt(3, i) + 1]! >> 4).toBe(0);
      expect(set.buffer[set.byteAt(4, i) + 4]! >> 1).toBe(0);
    }
  });

  test('getNumber/setNumber agree with get/set at 32 bits and below', () => {
    const ps = [port('u', 32, false), port('s', 32, true), port('t', 20, true)];
    const set = VectorSet.alloc(ps, 1);
    set.setNumber(0, 0, 2 ** 32 - 1); set.setNumber(1, 0, -(2 ** 31)); set.setNumber(2, 0, 2 ** 20 - 1);
    expect(set.row(0)).toEqual([2n ** 32n - 1n, -(2n ** 31n), -1n]);
    expect([set.getNumber(0, 0), set.getNumber(1, 0), set.getNumber(2, 0)]).toEqual([2 ** 32 - 1, -(2 ** 31), -1]);
    expect(() => set.setNumber(2, 0, 2 ** 20)).toThrow(/vector 0, port t: 1048576 does not fit 20 bits/);
    expect(() => set.setNumber(2, 0, 0.5)).toThrow(/does not fit/);
  });

  test('values that do not fit are rejected with the vector and port', () => {
    expect(() => VectorSet.fromRows([port('x', 8, true)], [[0n], [256n]])).toThrow(/vector 1, port x: 256 does not fit 8 bits/);
    expect(() => VectorSet.fromRows([port('x', 8, true)], [[0n, 1n]])).toThrow(/2 values for 1 ports/);
  });

  test('concat keeps order across narrow and wide columns', () => {
    const ps = [port('a', 8, true), port('w', 40, false)];
    const x = VectorSet.fromRows(ps, [[1n, 2n], [3n, 4n]]);
    const y = VectorSet.fromRows(ps, [[-5n, 6n]]);
    expect(VectorSet.concat(ps, [x, y]).toRows()).toEqual([[1n, 2n], [3n, 4n], [-5n, 6n]]);
  });
});

describe('Rng bulk draws', () => {
  test('fillU32 gives the same sequence as u32()', () => {
    const a = new Rng(99);
    const b = new Rng(99);
    const bulk = new Uint32Array(1000);
    a.fillU32(bulk);
    expect(Array.from(bulk)).toEqual(Array.from({ length: 1000 }, () => b.u32()));
    expect(a.u32()).toBe(b.u32()); // the state advanced by exactly 1000 draws
  });
});
