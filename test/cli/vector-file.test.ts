// User vector files (--stimulus/--expected): CSV and JSONL parsing, codes, and located errors.
import { describe, expect, test } from 'vitest';
import { parseCode, parseVectorFile, VectorFileError } from '../../cli/vector-file.ts';
import type { Port } from '../../formats/port.ts';

const MAC_IN: Port[] = [
  { name: 'a', width: 8, signed: true, format: 'int8' },
  { name: 'b', width: 8, signed: true, format: 'int8' },
  { name: 'en', width: 1, signed: false, format: 'uint1' },
];
const MAC_OUT = ['acc_out'];

function rows(file: string, text: string, ports = MAC_IN, ignored = MAC_OUT): { rows: bigint[][]; lines: readonly number[] } {
  const f = parseVectorFile(file, text, ports, ignored);
  return { rows: f.vectors.toRows(), lines: f.lines };
}

/** The error's file:line:col and message, for a file that must be rejected. */
function rejected(file: string, text: string, ports = MAC_IN): string {
  try {
    parseVectorFile(file, text, ports, MAC_OUT);
  } catch (e) {
    expect(e).toBeInstanceOf(VectorFileError);
    return (e as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('CSV', () => {
  test('comments, blank lines, spaces, any column order, decimal/hex/binary codes, ignored output column', () => {
    const text = '# a comment\n\n b , acc_out, a, en\n1, 99, -2, 1\r\n0x7f,0,0x80,0b1\n# another\n-128, 5, 1_0, 0\n';
    const r = rows('v.csv', text);
    // Port order a, b, en; 0x80 is int8 -128, 0b1 is 1, 1_0 is 10.
    expect(r.rows).toEqual([[-2n, 1n, 1n], [-128n, 127n, 1n], [10n, -128n, 0n]]);
    expect(r.lines).toEqual([4, 5, 7]);
  });

  test('errors name file:line:col', () => {
    expect(rejected('v.csv', 'a,b,ena\n')).toBe("v.csv:1:5: 'ena' is not a port of this design (did you mean 'en'?); expected columns a, b, en");
    expect(rejected('v.csv', 'a,b\n1,2\n')).toBe("v.csv:1:1: no column for 'en'; expected columns a, b, en");
    expect(rejected('v.csv', 'a,b,en,a\n')).toBe("v.csv:1:8: port 'a' appears twice");
    expect(rejected('v.csv', 'a,b,en\n1,2\n')).toBe('v.csv:2:4: 2 values, the header has 3 columns');
    expect(rejected('v.csv', 'a,b,en\n1,2,1,4\n')).toBe('v.csv:2:7: 4 values, the header has 3 columns');
    expect(rejected('v.csv', 'a,b,en\n1, 128,1\n')).toBe('v.csv:2:4: b: 128 is out of range for int8 (-128..127); a raw bit pattern is written in hex, e.g. 0xff');
    expect(rejected('v.csv', 'a,b,en\n1,2,2\n')).toBe('v.csv:2:5: en: 2 is out of range for uint1 (0..1); a raw bit pattern is written in hex, e.g. 0x1');
    expect(rejected('v.csv', 'a,b,en\n0x100,2,1\n')).toBe('v.csv:2:1: a: 0x100 has more than 8 bits (int8)');
    expect(rejected('v.csv', 'a,b,en\n1.5,2,1\n')).toBe("v.csv:2:1: a: '1.5' is not a decimal integer or a 0x/0b code");
    expect(rejected('v.csv', 'a,b,en\n1,,1\n')).toBe('v.csv:2:3: b: empty value; expected a decimal integer or a 0x hex code (int8)');
    expect(rejected('v.csv', '# only a comment\n')).toBe('v.csv:1:1: no header line; the first line (after # comments) names the columns, e.g. a, b, en');
    expect(rejected('v.csv', '1,2,3\n')).toBe("v.csv:1:1: header: '1' is not a port name; the first line (after # comments) names the columns, e.g. a, b, en");
  });
});

describe('JSONL', () => {
  test('numbers and string codes, ignored output keys; chosen by extension or by a leading {', () => {
    const text = '{"a": -2, "b": "0x7f", "en": 1}\n\n{"en": "0", "b": -128, "a": "0b10000000", "acc_out": 7}\n';
    const expected = [[-2n, 127n, 1n], [-128n, -128n, 0n]];
    expect(rows('v.jsonl', text).rows).toEqual(expected);
    expect(rows('vectors.txt', text).rows).toEqual(expected);
    expect(rows('v.jsonl', text).lines).toEqual([1, 3]);
  });

  test('errors name file:line:col', () => {
    expect(rejected('v.jsonl', '{"a":1,"b":2,"en":1}\n{"a":1,"b":2 "en":1}\n')).toMatch(/^v\.jsonl:2:14: not valid JSON: /);
    expect(rejected('v.jsonl', '[1,2,1]\n')).toBe('v.jsonl:1:1: expected a JSON object of port names to values, e.g. {"a": 3, "b": "0x7f"}');
    expect(rejected('v.jsonl', '{"a":1,"b":2,"en":1,"carry":0}\n')).toBe("v.jsonl:1:21: 'carry' is not a port of this design; expected columns a, b, en");
    expect(rejected('v.jsonl', '{"a":1,"b":true,"en":1}\n')).toBe('v.jsonl:1:8: b: expected an integer or a string code, got true');
    expect(rejected('v.jsonl', '{"a":1.5,"b":1,"en":1}\n')).toBe('v.jsonl:1:2: a: 1.5 is not an exact integer (JSON numbers are exact only below 2^53); write it as a string, e.g. "0x..."');
    expect(rejected('v.jsonl', '{"a":1,"b":"0x1ff","en":1}\n')).toBe('v.jsonl:1:8: b: 0x1ff has more than 8 bits (int8)');
  });
});

describe('codes by port format', () => {
  const bf16: Port = { name: 'x', width: 16, signed: false, format: 'bf16' };
  const fixed: Port = { name: 'q', width: 16, signed: true, format: 'fixed<16,4>' };
  const wide: Port = { name: 'w', width: 64, signed: true, format: 'int64' };

  test('float ports take bit patterns; decimal is the unsigned code; a real number is refused with a hint', () => {
    expect(parseCode('0x3fc0', bf16)).toBe(0x3fc0n);
    expect(parseCode('65535', bf16)).toBe(65535n);
    expect(parseCode('-1', bf16)).toBe('-1 is out of range for bf16 (0..65535); a raw bit pattern is written in hex, e.g. 0xffff');
    expect(parseCode('1.5', bf16)).toBe("'1.5' is not a decimal integer or a 0x/0b code (a bf16 port takes its bit pattern, e.g. 0x0000, not a real number)");
  });

  test('fixed-point ports take signed integer codes; 64-bit values stay exact', () => {
    expect(parseCode('-32768', fixed)).toBe(-32768n);
    expect(parseCode('32768', fixed)).toMatch(/out of range for fixed<16,4> \(-32768\.\.32767\)/);
    expect(parseCode('-9223372036854775808', wide)).toBe(-(2n ** 63n));
    expect(parseCode('0xffffffffffffffff', wide)).toBe(2n ** 64n - 1n);
  });
});
