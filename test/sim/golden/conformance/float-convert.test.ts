/**
 * float_convert in every direction the SCHEMA allows (from/to any of fp32 fp16 bf16 fp8 fp6 fp4),
 * through the conformance handler (JSON in, JSON out), against the independent reference of
 * `test/sim/golden/float/ref-convert.ts`: every code of every 4-, 6- and 8-bit source into every
 * target, and every fp16/bf16 code into fp32 (widening, so the result must be the exact value).
 */
import { describe, expect, it } from 'vitest';
import { floatOps } from '../../../../sim/golden/conformance/float-ops.ts';
import { ConformanceInputError } from '../../../../sim/golden/conformance/types.ts';
import { bf16, classifyFloat, FLOAT_FORMATS, formatBits, fp16, fp32, fp4_e2m1, fp6_e2m3, fp6_e3m2, fp8_e4m3, fp8_e5m2, parseBits, type FloatFormat } from '../../../../sim/golden/float/index.ts';
import { refDecode } from '../float/ref-decode.ts';
import { candidates, refConvert } from '../float/ref-convert.ts';

const SMALL = [fp8_e4m3, fp8_e5m2, fp6_e3m2, fp6_e2m3, fp4_e2m1];
const ALL: FloatFormat[] = [fp32, fp16, bf16, ...SMALL];

function convert(from: FloatFormat, to: FloatFormat, code: number, saturate: boolean): string {
  const out = floatOps.float_convert.run({ from: from.name, to: to.name, saturate, rounding: 'rne' }, { bits: formatBits(from, code) });
  if (typeof out !== 'string') throw new Error(`not bits: ${JSON.stringify(out)}`);
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function fp32Of(bits: string): number {
  u32[0] = parseInt(bits, 16);
  return f32[0] as number;
}

describe('float_convert: every 4/6/8-bit source code into every target', () => {
  for (const from of SMALL) {
    for (const to of ALL) {
      it(`${from.name} -> ${to.name}`, () => {
        const cands = to.width <= 16 ? candidates(to) : [];
        for (const saturate of [false, true]) {
          for (let c = 0; c < 2 ** from.width; c++) {
            const x = refDecode(from, c);
            if (Number.isNaN(x) && to.nanCode === undefined) {
              expect(() => convert(from, to, c, saturate)).toThrow(ConformanceInputError);
              continue;
            }
            const got = convert(from, to, c, saturate);
            if (to === fp32) {
              // Widening: the exact value; NaN stays NaN; ±Inf stays ±Inf unless saturating (then ±max, per the SCHEMA).
              const want = Number.isFinite(x) || Number.isNaN(x) || !saturate ? x : Math.sign(x) * 3.4028234663852886e38;
              if (Number.isNaN(want)) expect(Number.isNaN(fp32Of(got))).toBe(true);
              else expect(Object.is(fp32Of(got), want), `${from.name} ${c} -> ${got}`).toBe(true);
              continue;
            }
            const want = refConvert(x, to, cands, 'rne', saturate);
            if (want === 'nan') expect(classifyFloat(to, parseBits(to, got))).toBe('nan');
            else expect(got, `${from.name} 0x${c.toString(16)} = ${x}, saturate ${saturate}`).toBe(formatBits(to, want));
          }
        }
      });
    }
  }
});

describe('float_convert: widening to fp32 and identities', () => {
  for (const from of [fp16, bf16]) {
    it(`${from.name} -> fp32, all 65,536 codes`, () => {
      for (let c = 0; c < 0x10000; c += 1) {
        const x = refDecode(from, c);
        const got = fp32Of(convert(from, fp32, c, false));
        if (Number.isNaN(x)) expect(Number.isNaN(got)).toBe(true);
        else if (!Object.is(got, x)) expect(got, `${from.name} 0x${c.toString(16)}`).toBe(x);
      }
    });
  }
  it('fp32 -> fp32 and fp16 -> fp16 keep every non-NaN code', () => {
    for (let i = 0; i < 4000; i++) {
      const c = (Math.imul(i, 2654435761) >>> 0) ^ (i << 3);
      if (classifyFloat(fp32, c >>> 0) !== 'nan') expect(convert(fp32, fp32, c >>> 0, false)).toBe(formatBits(fp32, c >>> 0));
      const h = c & 0xffff;
      if (classifyFloat(fp16, h) !== 'nan') expect(convert(fp16, fp16, h, false)).toBe(formatBits(fp16, h));
    }
  });
  it('lists exactly the SCHEMA formats', () => {
    expect(ALL.map((f) => f.name).sort()).toEqual(Object.keys(FLOAT_FORMATS).filter((n) => !n.includes('fnuz')).sort());
  });
});
