/**
 * Which corner classes an `fp_mac` stimulus actually exercises, measured on the rows rather than
 * read off the generator: operand classes (NaN, ±Inf, ±0, subnormal, ±max finite), accumulator
 * classes, and per operation Inf·0 and Inf − Inf, overflow of finite operands to ±Inf, exact
 * cancellation, subnormal and max-finite results, and rounding ties (the exact value exactly
 * halfway between two neighbours of the result format, split by the direction round-to-nearest-
 * even took). Each step is recomputed with the golden library's exact arithmetic (same rules as
 * sim/models/float-mac.ts: exact product, or rounded to the accumulator when unfused; exact add;
 * one rounding) and its code is checked against the model's expectation (`disagreements`).
 */
import {
  classifyFloat, decodeFloat, decodeFlushed, dyadic, exactAdd, exactMul, negate, roundToFormat,
  type FloatFormat, type FloatRoundOptions, type FloatValue,
} from '../../sim/golden/index.ts';
import type { StimulusRow } from '../../sim/models/types.ts';

export interface MacShape {
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly accumulator: FloatFormat;
  readonly fused: boolean;
  readonly flush: boolean;
}

export type Coverage = Record<string, number>;

/** The classes issue #6 asks for (and their neighbours), in report order; others may appear too. */
export const COVERAGE_CLASSES: readonly string[] = [
  'operand NaN', 'operand +Inf', 'operand -Inf', 'operand +0', 'operand -0', 'operand subnormal', 'operand max finite',
  'acc in NaN', 'acc in ±Inf', 'acc in subnormal', 'acc in -0',
  'Inf·0 → NaN', 'Inf − Inf → NaN', 'overflow to ±Inf', 'exact cancellation → +0', 'subnormal result', 'underflow to ±0', 'max finite result',
  'tie to-even-down', 'tie to-even-up', 'tie to-even-down (subnormal range)', 'tie to-even-up (subnormal range)', 'tie to-even-up (to Inf)',
];

type Tie = 'none' | 'to-even-down' | 'to-even-up';

const isZero = (v: FloatValue): boolean => v.kind === 'zero';

/** Whether finite `v` lies exactly halfway between two neighbours in `f` (the one above max is 2^(emax+1)), and which way RNE went. */
export function tieOf(f: FloatFormat, v: FloatValue): Tie {
  if (v.kind !== 'finite') return 'none';
  const mag = dyadic(false, v.sig, v.exp);
  const lo = roundToFormat(f, mag, { rounding: 'rtz', saturate: true });
  const loV = decodeFloat(f, lo);
  if (isZero(exactAdd(mag, negate(loV)))) return 'none';
  const hiV = lo === f.maxCode ? dyadic(false, 1n << BigInt(f.manBits + 1), f.emax - f.manBits) : decodeFloat(f, lo + 1);
  const twice = dyadic(false, v.sig * 2n, v.exp);
  if (!isZero(exactAdd(exactAdd(loV, hiV), negate(twice)))) return 'none';
  return roundToFormat(f, mag, { rounding: 'rne', saturate: false }) === lo ? 'to-even-down' : 'to-even-up';
}

function operandClasses(f: FloatFormat, code: number): string[] {
  const cls = classifyFloat(f, code);
  const neg = code >= f.signMask;
  const sign = neg ? '-' : '+';
  if (cls === 'nan') return ['operand NaN'];
  if (cls === 'inf' || cls === 'zero') return [`operand ${sign}${cls === 'inf' ? 'Inf' : '0'}`];
  if (cls === 'subnormal') return ['operand subnormal'];
  return (neg ? code - f.signMask : code) === f.maxCode ? ['operand max finite'] : [];
}

function accClasses(f: FloatFormat, code: number): string[] {
  const cls = classifyFloat(f, code);
  if (cls === 'nan') return ['acc in NaN'];
  if (cls === 'inf') return ['acc in ±Inf'];
  if (cls === 'subnormal') return ['acc in subnormal'];
  if (cls === 'zero' && code >= f.signMask) return ['acc in -0'];
  return [];
}

/** The classes of one enabled step `acc' = round(base + a·b)`, and the code it gives. */
function stepClasses(s: MacShape, opts: FloatRoundOptions, a: number, b: number, base: number): { code: number; classes: string[] } {
  const acc = s.accumulator;
  const av = decodeFlushed(s.a, a, s.flush);
  const bv = decodeFlushed(s.b, b, s.flush);
  const exact = exactMul(av, bv);
  const classes = [...operandClasses(s.a, a), ...operandClasses(s.b, b), ...accClasses(acc, base)];
  if (!s.fused) {
    const t = tieOf(acc, exact);
    if (t !== 'none') classes.push(`product tie ${t} (unfused)`);
  }
  const prod = s.fused ? exact : decodeFloat(acc, roundToFormat(acc, exact, opts));
  const baseV = decodeFlushed(acc, base, s.flush);
  const sum = exactAdd(prod, baseV, 'rne');
  const code = roundToFormat(acc, sum, opts);
  const out = classifyFloat(acc, code);
  if (exact.kind === 'nan' && (av.kind === 'inf' || bv.kind === 'inf')) classes.push('Inf·0 → NaN');
  if (prod.kind === 'inf' && baseV.kind === 'inf' && prod.neg !== baseV.neg) classes.push('Inf − Inf → NaN');
  if (out === 'inf' && av.kind !== 'inf' && bv.kind !== 'inf' && baseV.kind !== 'inf') classes.push('overflow to ±Inf');
  if (sum.kind === 'zero' && prod.kind !== 'zero' && baseV.kind !== 'zero') classes.push('exact cancellation → +0');
  if (out === 'subnormal') classes.push('subnormal result');
  if (out === 'zero' && sum.kind === 'finite') classes.push('underflow to ±0');
  if (out === 'normal' && code % acc.signMask === acc.maxCode) classes.push('max finite result');
  const t = tieOf(acc, sum);
  if (t !== 'none') classes.push(`tie ${t}${classifyFloat(acc, roundToFormat(acc, sum, { rounding: 'rtz', saturate: true })) === 'subnormal' ? ' (subnormal range)' : ''}${out === 'inf' ? ' (to Inf)' : ''}`);
  return { code, classes };
}

/**
 * Counts of each class over `rows` (a, b, en, clear), starting from a cleared accumulator;
 * `disagreements` counts rows whose recomputed accumulator differs from `expected` (must be 0).
 */
export function macCoverage(s: MacShape, rows: readonly StimulusRow[], expected?: readonly (readonly bigint[])[]): { counts: Coverage; disagreements: number } {
  const opts: FloatRoundOptions = s.flush ? { saturate: false, flushOutput: 'before-rounding' } : { saturate: false };
  const counts: Coverage = {};
  const add = (k: string): void => { counts[k] = (counts[k] ?? 0) + 1; };
  let accCode = 0;
  let disagreements = 0;
  rows.forEach(([a, b, en, clear], i) => {
    const base = clear === 1n ? 0 : accCode;
    if (clear === 1n) add('clear');
    if (en === 1n) {
      const step = stepClasses(s, opts, Number(a!), Number(b!), base);
      step.classes.forEach(add);
      accCode = step.code;
    } else {
      add('en = 0 (hold)');
      accCode = base;
    }
    if (expected !== undefined && expected[i]![0] !== BigInt(accCode)) disagreements++;
  });
  return { counts, disagreements };
}
