/**
 * RTN group quantizers against an exact rational recomputation of AWQ's formulas (including crafted
 * ties), and the AWQ-style scale search against its definition: α = 0 is RTN, the chosen α has the
 * smallest recomputed loss, and a layer with an outlier input channel is quantized better than by RTN.
 */
import { describe, expect, it } from 'vitest';
import { decodeFloat, fp16, roundToFormat, valueFromRational, valueToRational } from '../../../../sim/golden/float/index.ts';
import { roundQuotient } from '../../../../sim/golden/int/rounding.ts';
import { Rational } from '../../../../sim/golden/rational.ts';
import { awqScales, awqSearch, effectiveWeights, meanAbsPerChannel, outputMse } from '../../../../sim/golden/llm/awq-search.ts';
import { dequantAwq } from '../../../../sim/golden/llm/group-weights.ts';
import { quantizeRtn, type Int4Scheme } from '../../../../sim/golden/llm/rtn.ts';
import { Rng } from '../../../../sim/random.ts';

const R = (x: number) => Rational.fromNumber(x);
const fp16Rat = (c: number) => valueToRational(decodeFloat(fp16, c));
const rne = (r: Rational) => roundQuotient(r.num, r.den, 'rne');
const clamp = (v: bigint) => Number(v < 0n ? 0n : v > 15n ? 15n : v);

/** AWQ's pseudo_quantize_tensor for one group, in exact arithmetic: scale code, zero, codes. */
function refGroup(vals: number[], scheme: Int4Scheme): { scale: number; zero: number; codes: number[] } {
  const rs = vals.map(R);
  const max = rs.reduce((a, b) => (a.lt(b) ? b : a));
  const min = rs.reduce((a, b) => (b.lt(a) ? b : a));
  const amax = rs.reduce((a, b) => (a.lt(b.abs()) ? b.abs() : a), Rational.ZERO);
  let scale: number;
  let zero: number;
  if (scheme === 'sym') {
    scale = amax.isZero() ? 0x3c00 : roundToFormat(fp16, valueFromRational(amax.div(Rational.fromInt(7))));
    zero = 8;
  } else {
    const lo = Rational.parse('0.00001');
    const range = max.sub(min).lt(lo) ? lo : max.sub(min);
    scale = roundToFormat(fp16, valueFromRational(range.div(Rational.fromInt(15)))) || 1;
    zero = clamp(-rne(min.div(fp16Rat(scale))));
  }
  const s = fp16Rat(scale);
  return { scale, zero, codes: rs.map((v) => clamp(rne(v.div(s)) + BigInt(zero))) };
}

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log((rng.u32() + 1) / 4294967297)) * Math.cos((2 * Math.PI * rng.u32()) / 4294967296);
}

describe('RTN group quantization', () => {
  for (const scheme of ['asym', 'sym'] as const) {
    it(`${scheme}: equals the exact recomputation on random groups, constant groups and crafted ties`, () => {
      const rng = new Rng(scheme === 'sym' ? 21 : 22);
      const k = 96;
      const n = 6;
      const w = Float32Array.from({ length: k * n }, () => gaussian(rng) * 0.05);
      for (let r = 0; r < 32; r++) w[r * n + 1] = 0.25; // a constant group (column 1, group 0)
      for (let r = 0; r < 32; r++) w[r * n + 2] = 0; // an all-zero group
      // Ties: in column 3, group 1 holds ±7·2^-6 (so the sym scale is 2^-6 exactly) and half-integer
      // multiples of it, which must round to even.
      for (let r = 32; r < 64; r++) w[r * n + 3] = r === 32 ? -7 / 64 : r === 33 ? 7 / 64 : ((r % 13) - 6 + 0.5) / 64;
      const q = quantizeRtn(w, k, n, { groupSize: 32, scheme });
      for (let g = 0; g < 3; g++) {
        for (let c = 0; c < n; c++) {
          const vals = Array.from({ length: 32 }, (_, i) => w[(g * 32 + i) * n + c]!);
          const ref = refGroup(vals, scheme);
          expect(q.scales[g * n + c], `group ${g} column ${c}`).toBe(ref.scale);
          expect(q.zeros[g * n + c]).toBe(ref.zero);
          expect(Array.from({ length: 32 }, (_, i) => q.codes[(g * 32 + i) * n + c])).toEqual(ref.codes);
        }
      }
      if (scheme === 'sym') expect(q.scales[1 * n + 3]).toBe(0x2400); // 2^-6
    });
  }
  it('a short last group and the per-group reconstruction error bound |w − ŵ| <= s/2 (inside the range)', () => {
    const rng = new Rng(23);
    const w = Float32Array.from({ length: 40 * 3 }, () => gaussian(rng));
    const q = quantizeRtn(w, 40, 3, { groupSize: 32, scheme: 'asym' });
    expect(q.scales.length).toBe(2 * 3);
    const d = dequantAwq(q);
    for (let i = 0; i < w.length; i++) {
      const s = fp16Rat(q.scales[Math.floor(i / 3 / 32) * 3 + (i % 3)]!);
      // Rounding to the grid costs s/2, the fp16 rounding of the dequantized value a little more.
      expect(fp16Rat(d[i]!).sub(R(w[i]!)).abs().le(s.mul(Rational.of(51n, 100n)).add(R(Math.abs(w[i]!) / 1024)))).toBe(true);
    }
  });
  it('names the problem for bad input', () => {
    expect(() => quantizeRtn(new Float32Array(10), 4, 3, { groupSize: 2, scheme: 'sym' })).toThrow(/expected K·N = 12/);
    expect(() => quantizeRtn(Float32Array.of(1e9, 0), 2, 1, { groupSize: 2, scheme: 'sym' })).toThrow(/overflows fp16/);
  });
});

describe('AWQ-style activation-aware scale search', () => {
  // A layer whose input channel 3 carries large activations: AWQ protects its weights.
  const rng = new Rng(31);
  const k = 64;
  const n = 8;
  const m = 200;
  const x = Float64Array.from({ length: m * k }, (_, i) => gaussian(rng) * (i % k === 3 ? 20 : i % k < 8 ? 3 : 0.3));
  const w = Float32Array.from({ length: k * n }, () => gaussian(rng) * 0.1);

  it('scales: x̄^α clamped at 1e-4, normalised so that max · min = 1', () => {
    const s = awqScales(Float64Array.of(4, 1, 0.25, 0), 0.5);
    expect(Array.from(s).map((v) => +v.toPrecision(12))).toEqual([2, 1, 0.5, 1e-4].map((v) => +(v / Math.sqrt(2 * 1e-4)).toPrecision(12)));
    expect(meanAbsPerChannel(Float64Array.of(1, -2, -3, 4), 2, 2)).toEqual(Float64Array.of(2, 3));
  });
  for (const scheme of ['asym', 'sym'] as const) {
    it(`${scheme}: α = 0 is RTN; the chosen α has the smallest recomputed loss; it beats RTN here`, () => {
      const res = awqSearch(w, k, n, x, m, { groupSize: 32, scheme, grid: 10 });
      const rtn = quantizeRtn(w, k, n, { groupSize: 32, scheme });
      const ones = new Float64Array(k).fill(1);
      const rtnLoss = outputMse(x, m, k, w, effectiveWeights(rtn, ones), n);
      expect(res.losses[0]).toBe(rtnLoss);
      // Recompute every grid point's loss from the definition (independent of the search loop's bookkeeping).
      const again = res.losses.map((_, i) => {
        const s = awqScales(meanAbsPerChannel(x, m, k), i / 10);
        const sw = Float32Array.from(w, (v, j) => v * s[Math.floor(j / n)]!);
        return outputMse(x, m, k, w, effectiveWeights(quantizeRtn(sw, k, n, { groupSize: 32, scheme }), s), n);
      });
      expect(again).toEqual(res.losses);
      expect(res.losses[Math.round(res.alpha * 10)]).toBe(Math.min(...again));
      expect(res.alpha).toBeGreaterThan(0);
      expect(Math.min(...again)).toBeLessThan(rtnLoss * 0.9);
    });
  }
});
