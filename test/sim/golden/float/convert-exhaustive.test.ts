/**
 * fp16 → narrower formats for all 65,536 fp16 codes, checked against an independent reference written
 * here: the fp16 value and every finite target value as binary64 (differences of these are exact),
 * a nearest/directed search over the sorted target values, and the SCHEMA overflow rule (a virtual
 * value one top-binade ulp above max finite decides overflow as if the exponent were unbounded).
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

interface Candidate {
  readonly v: number;
  readonly code: number;
}

/** Sorted positive finite values of `to`, plus the virtual value above max (code maxCode + 1 for parity). */
function candidates(to: FloatFormat): Candidate[] {
  const out: Candidate[] = [];
  for (let c = 0; c < 2 ** (to.width - 1); c++) {
    const v = refDecode(to, c);
    if (Number.isFinite(v)) out.push({ v, code: c });
  }
  const max = out[out.length - 1] as Candidate;
  out.push({ v: max.v + 2 ** (to.emax - to.manBits), code: max.code + 1 });
  return out;
}

type Ref = number | 'nan';

function refConvert(x: number, to: FloatFormat, cands: Candidate[], mode: FloatRounding, saturate: boolean): Ref {
  const half = 2 ** (to.width - 1);
  const neg = x < 0 || Object.is(x, -0);
  const signed = (code: number): number => (code === 0 ? (neg && to.encoding !== 'fnuz' ? half : 0) : code + (neg ? half : 0));
  const overflow = (): Ref => {
    const towardZero = mode === 'rtz' || (mode === 'rup' && neg) || (mode === 'rdn' && !neg);
    if (saturate || towardZero || to.encoding === 'none') return signed(to.maxCode);
    return to.encoding === 'ieee' ? signed(to.infCode as number) : 'nan';
  };
  if (Number.isNaN(x)) return 'nan';
  const a = Math.abs(x);
  if (a === Infinity) {
    if (saturate || to.encoding === 'none') return signed(to.maxCode);
    return to.encoding === 'ieee' ? signed(to.infCode as number) : 'nan';
  }
  const beyond = cands[cands.length - 1] as Candidate;
  if (a >= beyond.v) return overflow();
  // Binary search: lo = largest candidate <= a.
  let lo = 0;
  let hi = cands.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((cands[mid] as Candidate).v <= a) lo = mid;
    else hi = mid;
  }
  const L = cands[lo] as Candidate;
  const H = cands[lo + 1] as Candidate;
  let pick: Candidate;
  if (L.v === a) pick = L;
  else {
    const dl = a - L.v;
    const dh = H.v - a;
    switch (mode) {
      case 'rne':
        pick = dl < dh ? L : dh < dl ? H : L.code % 2 === 0 ? L : H;
        break;
      case 'rna':
        pick = dl < dh ? L : H;
        break;
      case 'rtz':
        pick = L;
        break;
      case 'rup':
        pick = neg ? L : H;
        break;
      case 'rdn':
        pick = neg ? H : L;
        break;
    }
  }
  return pick === beyond ? overflow() : signed(pick.code);
}

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
