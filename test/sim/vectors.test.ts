import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBinaryVectors, decodeHexVectors, encodeBinaryVectors, encodeHexVectors } from '../../sim/vectors.ts';
import type { Port } from '../../formats/port.ts';

const port = (name: string, width: number, signed = true): Port => ({ name, width, signed });
const WIDTHS = [1, 33, 64, 65, 130, 4096];

function valueFor(width: number): fc.Arbitrary<bigint> {
  return fc.bigInt(-(1n << BigInt(width - 1)), (1n << BigInt(width - 1)) - 1n);
}

describe('vector files', () => {
  const ports = WIDTHS.map((w) => port(`p${w}`, w));
  const rows = fc.array(fc.tuple(...WIDTHS.map(valueFor)), { minLength: 1, maxLength: 8 });

  it('round-trips widths 1, 33, 64, 65, 130 and 4096 through the hex format', () => {
    fc.assert(
      fc.property(rows, (rs) => {
        const text = encodeHexVectors(ports, rs).toString('latin1');
        expect(decodeHexVectors(ports, text)).toEqual(rs);
      }),
      { numRuns: 50 },
    );
  });

  it('round-trips the same widths through the binary format', () => {
    fc.assert(
      fc.property(rows, (rs) => {
        expect(decodeBinaryVectors(ports, encodeBinaryVectors(ports, rs))).toEqual(rs);
      }),
      { numRuns: 50 },
    );
  });

  it('writes the dense hex row {port[n-1], ..., port[0]} in two\'s complement', () => {
    const ps = [port('a', 4), port('b', 8), port('c', 1, false)];
    // c=1 | b=-2 (0xfe) | a=-1 (0xf) → 1_11111110_1111 = 0x1fef
    expect(encodeHexVectors(ps, [[-1n, -2n, 1n]]).toString('latin1')).toBe('1fef\n');
  });

  it('writes binary rows byte-aligned, little-endian, padding zero, after a header', () => {
    const buf = encodeBinaryVectors([port('a', 8), port('b', 33, false), port('c', 12)], [[-1n, (1n << 32n) | 5n, -2n]]);
    expect(buf.subarray(0, 8).toString('latin1')).toBe('NPUVEC01');
    expect(buf.readUInt32LE(8)).toBe(8);
    expect(buf.readUInt32LE(12)).toBe(1);
    expect([...buf.subarray(16)]).toEqual([0xff, 5, 0, 0, 0, 1, 0xfe, 0x0f]);
  });

  it('rejects values that do not fit the port and rows of the wrong length', () => {
    expect(() => encodeHexVectors([port('a', 8)], [[128n]])).not.toThrow(); // 0x80 as unsigned
    expect(() => encodeHexVectors([port('a', 8)], [[256n]])).toThrow(/does not fit 8 bits/);
    expect(() => encodeBinaryVectors([port('a', 8)], [[-129n]])).toThrow(/vector 0, port a/);
    expect(() => encodeBinaryVectors([port('a', 8)], [[1n, 2n]])).toThrow(/2 values for 1 ports/);
  });
});
