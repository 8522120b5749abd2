/**
 * An independent float conversion reference for the golden tests: every finite value of the target
 * as a binary64 (exact for formats of at most 16 bits, via refDecode), a nearest/directed search over
 * them, and the SCHEMA overflow rule (a virtual value one top-binade ulp above max finite decides
 * overflow as if the exponent were unbounded). Exact for inputs whose differences with the target's
 * values are exact in binary64 (inputs of at most 16 bits). Shares nothing with `sim/golden/float`.
 */
import type { FloatFormat, FloatRounding } from '../../../../sim/golden/float/index.ts';
import { refDecode } from './ref-decode.ts';

export interface Candidate {
  readonly v: number;
  readonly code: number;
}

/** Sorted positive finite values of `to`, plus the virtual value above max (code maxCode + 1 for parity). */
export function candidates(to: FloatFormat): Candidate[] {
  const out: Candidate[] = [];
  for (let c = 0; c < 2 ** (to.width - 1); c++) {
    const v = refDecode(to, c);
    if (Number.isFinite(v)) out.push({ v, code: c });
  }
  const max = out[out.length - 1] as Candidate;
  out.push({ v: max.v + 2 ** (to.emax - to.manBits), code: max.code + 1 });
  return out;
}

export type Ref = number | 'nan';

export function refConvert(x: number, to: FloatFormat, cands: Candidate[], mode: FloatRounding, saturate: boolean): Ref {
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
