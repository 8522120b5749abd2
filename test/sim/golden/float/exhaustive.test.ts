/**
 * Exhaustive checks over every code of every format of at most 16 bits: decoding against an
 * independent binary64 formula, the decode/round round trip, sign-magnitude monotonicity, NaN and
 * signed-zero handling, derived constants, and the fast tables against the exact path.
 */
import { describe, expect, it } from 'vitest';
import {
  bf16,
  classifyFloat,
  decodeFloat,
  decodeTable,
  e8m0,
  FLOAT_FORMATS,
  fp16,
  mxint8,
  roundToFormat,
  valueToNumber,
  valueToString,
  type FloatFormat,
} from '../../../../sim/golden/float/index.ts';
import { refDecode } from './ref-decode.ts';

const small: FloatFormat[] = Object.values(FLOAT_FORMATS).filter((f) => f.width <= 16);

describe.each(small.map((f) => [f.name, f] as const))('%s: every code', (_name, fmt) => {
  const n = 2 ** fmt.width;
  const half = n / 2;

  it('decodes as the SCHEMA formula, and the table agrees', () => {
    const table = decodeTable(fmt);
    for (let c = 0; c < n; c++) {
      const exact = valueToNumber(decodeFloat(fmt, c));
      // Compare first, expect on a mismatch only: vitest's expect costs microseconds per call.
      if (!Object.is(exact, refDecode(fmt, c))) expect(exact, `code ${c}`).toBe(refDecode(fmt, c));
      if (!Object.is(table[c], exact)) expect(table[c], `table code ${c}`).toBe(exact);
    }
  });

  it('round(decode(c)) = c for every non-NaN code; NaN codes go to the canonical NaN', () => {
    for (let c = 0; c < n; c++) {
      const v = decodeFloat(fmt, c);
      for (const saturate of [false, true]) {
        const back = roundToFormat(fmt, v, { saturate });
        const want = v.kind === 'nan' ? fmt.nanCode : v.kind === 'inf' && saturate ? (c < half ? fmt.maxCode : fmt.maxCode + half) : c;
        if (back !== want) expect(back, `code ${c} saturate ${saturate}`).toBe(want);
      }
    }
  });

  it('is monotonic in sign-magnitude order and symmetric in sign', () => {
    let prev = -Infinity;
    for (let c = 0; c < half; c++) {
      const x = refDecode(fmt, c);
      if (Number.isNaN(x)) continue;
      if (!(x > prev)) expect(x, `code ${c}`).toBeGreaterThan(prev);
      prev = x;
      const negCode = c + half;
      if (fmt.encoding === 'fnuz' && c === 0) continue;
      const neg = valueToNumber(decodeFloat(fmt, negCode));
      if (!Object.is(neg, -x)) expect(neg, `code ${negCode}`).toBe(-x);
    }
  });

  it('has the documented NaN codes, zeros and constants', () => {
    const nans = [...Array(n).keys()].filter((c) => classifyFloat(fmt, c) === 'nan').length;
    const expectedNans = { ieee: 2 * (2 ** fmt.manBits - 1), fn: 2, fnuz: 1, none: 0 }[fmt.encoding];
    expect(nans).toBe(expectedNans);
    expect(valueToString(decodeFloat(fmt, 0))).toBe('0');
    expect(valueToString(decodeFloat(fmt, half))).toBe(fmt.encoding === 'fnuz' ? 'NaN' : '-0');
    expect(roundToFormat(fmt, { kind: 'zero', neg: true })).toBe(fmt.encoding === 'fnuz' ? 0 : half);
    expect(fmt.nanCode === undefined || classifyFloat(fmt, fmt.nanCode) === 'nan').toBe(true);
    // max finite is the largest finite code value; the next code up is not finite.
    const max = refDecode(fmt, fmt.maxCode);
    expect(Number.isFinite(max)).toBe(true);
    if (fmt.maxCode + 1 < half) expect(Number.isFinite(refDecode(fmt, fmt.maxCode + 1))).toBe(false);
    expect(refDecode(fmt, fmt.minNormalCode)).toBe(2 ** fmt.emin);
  });
});

describe('derived constants', () => {
  it('max finite of the presets', () => {
    const max = (f: FloatFormat) => valueToString(decodeFloat(f, f.maxCode));
    expect(Object.fromEntries(Object.values(FLOAT_FORMATS).map((f) => [f.name, max(f)]))).toEqual({
      fp32: ((2n ** 24n - 1n) << 104n).toString(), // FLT_MAX
      fp16: '65504',
      bf16: (255n << 120n).toString(), // (2 - 2^-7)·2^127
      fp8_e4m3: '448',
      fp8_e5m2: '57344',
      fp8_e4m3fnuz: '240',
      fp8_e5m2fnuz: '57344',
      fp6_e3m2: '28',
      fp6_e2m3: '7.5',
      fp4_e2m1: '6',
    });
    expect(bf16.maxCode).toBe(0x7f7f);
    expect(fp16.nanCode).toBe(0x7e00);
  });
});

describe('e8m0 and mxint8: every code', () => {
  it('e8m0 decodes to 2^(c-127), 0xff NaN, strictly increasing', () => {
    for (let c = 0; c < 255; c++) expect(valueToNumber(decodeFloat(e8m0, c))).toBe(2 ** (c - 127));
    expect(classifyFloat(e8m0, 0xff)).toBe('nan');
    expect(valueToNumber(decodeFloat(e8m0, 0))).toBe(2 ** -127);
  });
  it('mxint8 decodes to int8(c)·2^-6', () => {
    for (let c = 0; c < 256; c++) expect(valueToNumber(decodeFloat(mxint8, c))).toBe((c >= 128 ? c - 256 : c) / 64);
    expect(valueToString(decodeFloat(mxint8, 0x80))).toBe('-2');
    expect(decodeTable(mxint8)[0x7f]).toBe(127 / 64);
  });
});
