/**
 * fp16 → narrower formats for all 65,536 fp16 codes, checked against the independent reference of
 * `ref-convert.ts` (binary64 values, a nearest/directed search, the SCHEMA overflow rule).
 */
import { describe, expect, it } from 'vitest';
import {
  bf16,
  classifyFloat,
  fastConvert,
  floatConvert,
  fp16,
  fp4_e2m1,
  fp6_e2m3,
  fp6_e3m2,
  fp8_e4m3,
  fp8_e4m3fnuz,
  fp8_e5m2,
  fp8_e5m2fnuz,
  type FloatFormat,
  type FloatRounding,
} from '../../../../sim/golden/float/index.ts';
import { refDecode } from './ref-decode.ts';
import { candidates, refConvert } from './ref-convert.ts';

const MODES: FloatRounding[] = ['rne', 'rna', 'rtz', 'rup', 'rdn'];
const TARGETS: [FloatFormat, FloatRounding[]][] = [
  [fp8_e4m3, MODES],
  [fp8_e5m2, MODES],
  [fp8_e4m3fnuz, ['rne', 'rtz']],
  [fp8_e5m2fnuz, ['rne', 'rup']],
  [fp6_e3m2, ['rne', 'rna', 'rdn']],
  [fp6_e2m3, ['rne', 'rna']],
  [fp4_e2m1, ['rne', 'rna', 'rtz']],
  [bf16, ['rne']],
];

describe.each(TARGETS.map(([f, modes]) => [f.name, f, modes] as const))('fp16 → %s, all 65,536 codes', (_n, to, modes) => {
  const cands = candidates(to);
  for (const mode of modes) {
    for (const saturate of [false, true]) {
      it(`${mode}${saturate ? ', saturating' : ''}`, () => {
        let checked = 0;
        for (let c = 0; c < 0x10000; c++) {
          const x = refDecode(fp16, c);
          if (Number.isNaN(x) && to.nanCode === undefined) continue; // no NaN to convert into
          const want = refConvert(x, to, cands, mode, saturate);
          const got = fastConvert(fp16, to, c, { rounding: mode, saturate });
          if (want === 'nan') expect(classifyFloat(to, got), `fp16 0x${c.toString(16)}`).toBe('nan');
          else if (got !== want) expect(`0x${got.toString(16)}`, `fp16 0x${c.toString(16)} = ${x}`).toBe(`0x${want.toString(16)}`);
          checked++;
        }
        // The table is built from the exact path; spot-check that it is the exact path.
        for (let c = 0; c < 0x10000; c += 97) {
          if (Number.isNaN(refDecode(fp16, c)) && to.nanCode === undefined) continue;
          expect(fastConvert(fp16, to, c, { rounding: mode, saturate })).toBe(floatConvert(fp16, to, c, { rounding: mode, saturate }));
        }
        expect(checked).toBeGreaterThan(60000);
      });
    }
  }
});
