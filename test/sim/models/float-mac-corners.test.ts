// The fp_mac model's corner rows contain the classes they claim, recomputed here step by step with
// the golden library's exact arithmetic (not the model's dotTree): round-to-nearest-even ties into
// the accumulator in both directions, the overflow-threshold tie (max + ulp/2 -> Inf) and the value
// just below it (-> max), exact cancellation x + (-x) = +0, and -0 + -0 = -0.
import { describe, expect, test } from 'vitest';
import {
  classifyFloat, decodeFlushed, dyadic, exactAdd, exactMul, floatFormat, negate, roundToFormat,
  type FloatRoundOptions, type FloatValue,
} from '../../../sim/golden/index.ts';
import { fpMacModel } from '../../../sim/models/float-mac.ts';

interface Shape { a: string; b: string; accumulator: string; fused: boolean; subnormals: 'ieee' | 'flush' }
type Counts = Record<'tieDown' | 'tieUp' | 'thresholdTie' | 'belowThreshold' | 'cancellation' | 'negZeroSum', number>;

/** |v| compared with 2^-1·(lo + hi): sign of 2|v| - lo - hi. */
function vsMidpoint(mag: FloatValue, lo: FloatValue, hi: FloatValue): number {
  const d = exactAdd(exactAdd(lo, hi), negate(exactAdd(mag, mag)));
  return d.kind === 'zero' ? 0 : d.kind === 'finite' && !d.neg ? -1 : 1;
}

/** Counts of the classes over the model's corner rows; every step's code must equal the model's. */
function cornerClasses(s: Shape): Counts {
  const [fa, fb, acc] = [floatFormat(s.a), floatFormat(s.b), floatFormat(s.accumulator)];
  const flush = s.subnormals === 'flush';
  const opts: FloatRoundOptions = flush ? { saturate: false, flushOutput: 'before-rounding' } : { saturate: false };
  const model = fpMacModel({ a: fa, b: fb, accumulator: acc, fused: s.fused, subnormals: s.subnormals });
  const rows = model.corners();
  const expected = model.expected(rows);
  const counts: Counts = { tieDown: 0, tieUp: 0, thresholdTie: 0, belowThreshold: 0, cancellation: 0, negZeroSum: 0 };
  const ulpAtMax = dyadic(false, 1n, acc.emax - acc.manBits);
  let accCode = 0;
  rows.forEach(([a, b, en, clear], i) => {
    const base = clear === 1n ? 0 : accCode;
    if (en !== 1n) { accCode = base; return; }
    const exact = exactMul(decodeFlushed(fa, Number(a), flush), decodeFlushed(fb, Number(b), flush));
    const prod = s.fused ? exact : decodeFlushed(acc, roundToFormat(acc, exact, opts), false);
    const baseV = decodeFlushed(acc, base, flush);
    const sum = exactAdd(prod, baseV);
    accCode = roundToFormat(acc, sum, opts);
    if (BigInt(accCode) !== expected[i]![0]) expect(BigInt(accCode), `row ${i}`).toBe(expected[i]![0]);
    if (sum.kind === 'zero') {
      if (prod.kind === 'finite' && baseV.kind === 'finite' && accCode === 0) counts.cancellation++;
      if (prod.kind === 'zero' && prod.neg && baseV.kind === 'zero' && baseV.neg && accCode === acc.signMask) counts.negZeroSum++;
      return;
    }
    if (sum.kind !== 'finite') return;
    const mag = dyadic(false, sum.sig, sum.exp);
    const lo = roundToFormat(acc, mag, { rounding: 'rtz', saturate: true });
    const loV = decodeFlushed(acc, lo, false);
    const hiV = lo === acc.maxCode ? exactAdd(loV, ulpAtMax) : decodeFlushed(acc, lo + 1, false);
    const cmp = exactAdd(mag, negate(loV)).kind === 'zero' ? -1 : vsMidpoint(mag, loV, hiV);
    const out = accCode % acc.signMask;
    if (cmp === 0 && lo === acc.maxCode && classifyFloat(acc, accCode) === 'inf') counts.thresholdTie++;
    else if (cmp === 0) counts[out === lo ? 'tieDown' : 'tieUp']++;
    if (lo === acc.maxCode && cmp < 0 && exactAdd(mag, negate(loV)).kind !== 'zero' && out === acc.maxCode) counts.belowThreshold++;
  });
  return counts;
}

const name = (s: Shape): string => `${s.a}·${s.b} -> ${s.accumulator}${s.fused ? '' : ' unfused'}${s.subnormals === 'flush' ? ' flush' : ''}`;

describe('fp_mac model corners: ties, overflow threshold, cancellation, -0', () => {
  // The bench's configs (bench/float-volume.ts). fp16 operands cannot get near fp32's max (products
  // < 2^33) and every fp16 product is a multiple of 2^-48, so fp16 -> fp32 has no threshold and no
  // -0 accumulator; unfused IEEE MACs never hold -0 (see the model's negativeZeroRows).
  const cases: [Shape, { threshold: boolean; negZero: boolean }][] = [
    [{ a: 'fp16', b: 'fp16', accumulator: 'fp32', fused: true, subnormals: 'ieee' }, { threshold: false, negZero: false }],
    [{ a: 'bf16', b: 'bf16', accumulator: 'fp32', fused: true, subnormals: 'ieee' }, { threshold: true, negZero: true }],
    [{ a: 'bf16', b: 'bf16', accumulator: 'fp32', fused: false, subnormals: 'ieee' }, { threshold: true, negZero: false }],
    [{ a: 'bf16', b: 'bf16', accumulator: 'fp32', fused: true, subnormals: 'flush' }, { threshold: true, negZero: true }],
    [{ a: 'fp16', b: 'fp16', accumulator: 'fp16', fused: true, subnormals: 'ieee' }, { threshold: true, negZero: true }],
    [{ a: 'fp16', b: 'fp16', accumulator: 'fp16', fused: false, subnormals: 'ieee' }, { threshold: true, negZero: false }],
    [{ a: 'fp16', b: 'fp16', accumulator: 'fp16', fused: false, subnormals: 'flush' }, { threshold: true, negZero: true }],
    [{ a: 'bf16', b: 'bf16', accumulator: 'bf16', fused: true, subnormals: 'ieee' }, { threshold: true, negZero: true }],
  ];
  for (const [shape, reach] of cases) {
    test(name(shape), () => {
      const c = cornerClasses(shape);
      expect(c.tieDown).toBeGreaterThanOrEqual(4);
      expect(c.tieUp).toBeGreaterThanOrEqual(8);
      expect(c.cancellation).toBeGreaterThanOrEqual(8);
      expect(c.thresholdTie > 0 && c.belowThreshold > 0).toBe(reach.threshold);
      expect(c.negZeroSum > 0).toBe(reach.negZero);
    });
  }

  // Every operand / accumulator combination the corner programs are written for, each with one of
  // the four fused x subnormal modes: ties both ways and cancellation always; the threshold tie
  // wherever a product can reach the accumulator's max (a bf16 operand, or an fp16 accumulator).
  // One test per operand a: the worker yields to vitest's RPC between them (a long synchronous test under load loses it).
  const ops = ['fp16', 'bf16', 'fp8_e4m3', 'fp8_e5m2'];
  const accumulators = ['fp32', 'fp16', 'bf16'];
  const modes = [[true, 'ieee'], [false, 'ieee'], [true, 'flush'], [false, 'flush']] as const;
  ops.forEach((a, ia) => {
    test(`every ${a} x fp16 / bf16 / fp8 operand pair into fp32, fp16, bf16`, () => {
      ops.forEach((b, ib) => accumulators.forEach((accumulator, iacc) => {
        const [fused, subnormals] = modes[((ia * ops.length + ib) * accumulators.length + iacc) % modes.length]!;
        const shape = { a, b, accumulator, fused, subnormals };
        const c = cornerClasses(shape);
        const threshold = a === 'bf16' || b === 'bf16' || accumulator === 'fp16';
        expect([name(shape), c.tieDown >= 4, c.tieUp >= 8, c.cancellation > 0, c.thresholdTie > 0]).toEqual([name(shape), true, true, true, threshold]);
      }));
    });
  });
});
