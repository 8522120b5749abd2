import { describe, expect, it } from 'vitest';
import { parseResults, ResultFileError } from '../../../sim/results.ts';

const acc = { name: 'acc', width: 8, signed: true };
const other = { name: 'other', width: 9, signed: false };

describe('parseResults', () => {
  it('parses mismatch records (signed per port) and the summary', () => {
    const text = 'M 3 5 0 fe 7f 0\nM 4 6 0 xz 01 1\nM 5 7 1 00ff 0100 0\nS vectors=9 checked=9 failing=3 mismatches=3 xz=1 records=3 cycles=11\n';
    const r = parseResults(text, [acc, other]);
    expect(r.passed).toBe(false);
    expect(r.mismatches).toEqual([
      { vectorIndex: 3, cycle: 5, port: 'acc', got: -2n, expected: 127n, hasXZ: false },
      { vectorIndex: 4, cycle: 6, port: 'acc', got: null, expected: 1n, hasXZ: true },
      { vectorIndex: 5, cycle: 7, port: 'other', got: 255n, expected: 256n, hasXZ: false },
    ]);
    expect(r.counts).toEqual({ vectors: 9, checked: 9, failingVectors: 3, mismatches: 3, xz: 1, records: 3, cycles: 11 });
  });

  it('passes only when every vector was checked without mismatch', () => {
    expect(parseResults('S vectors=2 checked=2 failing=0 mismatches=0 xz=0 records=0 cycles=4', [acc]).passed).toBe(true);
    expect(parseResults('S vectors=2 checked=1 failing=0 mismatches=0 xz=0 records=0 cycles=4', [acc]).passed).toBe(false);
  });

  it('rejects incomplete files and testbench errors', () => {
    expect(() => parseResults('M 0 1 0 00 01 0\n', [acc])).toThrow(ResultFileError);
    expect(() => parseResults('M 0 1 7 00 01 0\nS vectors=1 checked=1 failing=1 mismatches=1 xz=0 records=1 cycles=2', [acc])).toThrow(/#7/);
    expect(() => parseResults('E cannot open a vector file\n', [acc])).toThrow(/cannot open/);
    expect(() => parseResults('S vectors=x', [acc])).toThrow(/vectors/);
  });
});
