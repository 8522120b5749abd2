import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { narrowValue, VectorSet, type PortShape } from '../../sim/vector-set.ts';
import { Rng } from '../../sim/random.ts';

const port = (name: string, width: number, signed: boolean): PortShape => ({ name, width, signed });
const PORTS = [port('a', 1, false), port('b', 7, true), port('c', 8, false), port('d', 31, true), port('e', 32, false), port('f', 32, true), port('g', 33, true), port('h', 64, false)];

/** A value of the port in either spelling, as rows may carry it. */
const anyValue = (p: PortShape) => fc.bigInt({ min: -(1n << BigInt(p.width - 1)), max: (1n << BigInt(p.width)) - 1n });
const canonical = (p: PortShape, v: bigint) => (p.signed ? BigInt.asIntN(p.width, v) : BigInt.asUintN(p.width, v));

describe('VectorSet', () => {
  test('rows -> columns -> rows gives each value in its port signedness', () => {
    fc.assert(fc.property(fc.array(fc.tuple(...PORTS.map(anyValue)), { maxLength: 20 }), (rows) => {
      const set = VectorSet.fromRows(PORTS, rows);
      expect(set.toRows()).toEqual(rows.map((r) => r.map((v, i) => canonical(PORTS[i]!, v))));
    }));
  });

  test('narrow columns follow the contract: value in the port signedness, 32-bit pattern at 32 bits', () => {
    const set = VectorSet.fromRows(PORTS, [[1n, -1n, 255n, -(2n ** 30n), 2n ** 32n - 1n, -1n, -1n, 2n ** 64n - 1n]]);
    expect(Array.from(set.columns.slice(0, 6), (c) => (c as Int32Array)[0])).toEqual([1, -1, 255, -(2 ** 30), -1, -1]);
    expect(narrowValue(PORTS[4]!, -1)).toBe(2 ** 32 - 1);
    expect(set.columns[6]).toEqual([-1n]);
  });

  test('values that do not fit are rejected with the vector and port', () => {
    expect(() => VectorSet.fromRows([port('x', 8, true)], [[0n], [256n]])).toThrow(/vector 1, port x: 256 does not fit 8 bits/);
    expect(() => VectorSet.fromRows([port('x', 8, true)], [[0n, 1n]])).toThrow(/2 values for 1 ports/);
    expect(() => VectorSet.of([port('x', 40, false)], [new Int32Array(2)])).toThrow(/must be a bigint\[\]/);
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

  test('fillCodes: in range, the first code of each draw is what bigBits gives, every code occurs', () => {
    for (const [width, signed] of [[1, false], [3, false], [4, true], [8, true], [11, false], [16, true], [17, true], [32, false], [32, true]] as const) {
      const per = Math.floor(32 / width);
      const out = new Int32Array(per * 4000);
      new Rng(5).fillCodes(out, width, signed);
      const ref = new Rng(5);
      for (let k = 0; k < 4000; k++) {
        const bits = ref.bigBits(width);
        const want = signed && bits >> BigInt(width - 1) === 1n ? bits - (1n << BigInt(width)) : bits;
        expect(BigInt(narrowValue({ width, signed }, out[k * per]!))).toBe(want);
      }
      const lo = signed ? -(2 ** (width - 1)) : 0;
      const hi = signed ? 2 ** (width - 1) - 1 : 2 ** width - 1;
      const values = Array.from(out, (v) => narrowValue({ width, signed }, v));
      expect(values.every((v) => v >= lo && v <= hi)).toBe(true);
      if (width <= 8) expect(new Set(values).size).toBe(2 ** width);
    }
  });
});
