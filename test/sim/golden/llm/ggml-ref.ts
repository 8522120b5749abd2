/**
 * An independent model of ggml's reference C for the tests, in exact rational arithmetic: every C float
 * operation is the exact result rounded once to binary32 (`roundToBinary32`), fp16 fields go through
 * the golden float library's exact `roundToFormat`, and C's integer conversions are written out
 * (truncation toward zero). It shares no code with `sim/golden/llm` (which uses binary64 fast paths)
 * and covers finite, in-range inputs only (no ±0 distinctions beyond q4_0's d = −0).
 */
import { roundToBinary32 } from '../../../../sim/golden/accel/binary32.ts';
import { decodeFloat, fp16, roundToFormat, valueFromRational, valueToRational } from '../../../../sim/golden/float/index.ts';
import { Rational } from '../../../../sim/golden/rational.ts';

export type RefType = 'q4_0' | 'q4_1' | 'q8_0' | 'q8_1';

function r32(x: Rational): Rational {
  const r = roundToBinary32(x);
  if (typeof r === 'string') throw new RangeError('reference: binary32 overflow');
  return r;
}
const R = (n: number) => Rational.fromNumber(n);
const trunc = (x: Rational) => (x.sign() < 0 ? x.ceil() : x.floor());
function roundHalfAway(x: Rational): bigint {
  const a = x.abs().add(Rational.of(1n, 2n)).floor();
  return x.sign() < 0 ? -a : a;
}
function fp16Bytes(x: Rational, negZero = false): number[] {
  const c = roundToFormat(fp16, valueFromRational(x, negZero));
  return [c & 0xff, c >> 8];
}
function fp16At(b: Uint8Array, at: number): Rational {
  return valueToRational(decodeFloat(fp16, (b[at] as number) | ((b[at + 1] as number) << 8)));
}
const recip = (d: Rational) => (d.isZero() ? Rational.ZERO : r32(Rational.ONE.div(d)));

function q4_0(x: Rational[]): number[] {
  let amax = Rational.ZERO;
  let max = Rational.ZERO;
  for (const v of x) if (amax.lt(v.abs())) [amax, max] = [v.abs(), v];
  const d = r32(max.div(R(-8)));
  const id = recip(d);
  const qs = Array.from({ length: 16 }, (_, j) => {
    const nib = (v: Rational) => Number(trunc(r32(r32(v.mul(id)).add(R(8.5))))); // in 0..16 for finite rows
    return Math.min(15, nib(x[j] as Rational)) | (Math.min(15, nib(x[j + 16] as Rational)) << 4);
  });
  return [...fp16Bytes(d, max.isZero()), ...qs];
}

function q4_1(x: Rational[]): number[] {
  const min = x.reduce((a, b) => (b.lt(a) ? b : a));
  const max = x.reduce((a, b) => (a.lt(b) ? b : a));
  const d = r32(r32(max.sub(min)).div(R(15)));
  const id = recip(d);
  const nib = (v: Rational) => Math.min(15, Number(trunc(r32(r32(r32(v.sub(min)).mul(id)).add(R(0.5))))));
  const qs = Array.from({ length: 16 }, (_, j) => nib(x[j] as Rational) | (nib(x[j + 16] as Rational) << 4));
  return [...fp16Bytes(d), ...fp16Bytes(min), ...qs];
}

function q8(x: Rational[], withSum: boolean): number[] {
  const amax = x.reduce((a, b) => (b.abs().lt(a) ? a : b.abs()), Rational.ZERO);
  const d = r32(amax.div(R(127)));
  const id = recip(d);
  const qs = x.map((v) => Number(roundHalfAway(r32(v.mul(id)))));
  const head = fp16Bytes(d);
  if (withSum) head.push(...fp16Bytes(r32(Rational.fromInt(qs.reduce((a, b) => a + b, 0)).mul(d))));
  return [...head, ...qs.map((q) => q & 0xff)];
}

/** ggml's `quantize_row_<type>_ref` on binary32 values, in exact arithmetic. */
export function refQuantizeRow(type: RefType, x: Float32Array): Uint8Array {
  const out: number[] = [];
  for (let b = 0; b < x.length; b += 32) {
    const blk = Array.from(x.subarray(b, b + 32), R);
    out.push(...(type === 'q4_0' ? q4_0(blk) : type === 'q4_1' ? q4_1(blk) : q8(blk, type === 'q8_1')));
  }
  return Uint8Array.from(out);
}

const nibble = (b: Uint8Array, qs: number, j: number) => (j < 16 ? (b[qs + j] as number) & 15 : (b[qs + j - 16] as number) >> 4);
const int8 = (b: Uint8Array, at: number) => ((b[at] as number) << 24) >> 24;

/** ggml's `dequantize_row_<type>`, exact values of the binary32 results. */
export function refDequantizeRow(type: 'q4_0' | 'q4_1' | 'q8_0', b: Uint8Array): Rational[] {
  const size = { q4_0: 18, q4_1: 20, q8_0: 34 }[type];
  const out: Rational[] = [];
  for (let o = 0; o < b.length; o += size) {
    const d = fp16At(b, o);
    for (let j = 0; j < 32; j++) {
      if (type === 'q4_0') out.push(r32(Rational.fromInt(nibble(b, o + 2, j) - 8).mul(d)));
      else if (type === 'q4_1') out.push(r32(r32(Rational.fromInt(nibble(b, o + 4, j)).mul(d)).add(fp16At(b, o + 2))));
      else out.push(r32(Rational.fromInt(int8(b, o + 2 + j)).mul(d)));
    }
  }
  return out;
}

/** ggml's generic vec dots, in the SCHEMA's operation order, exactly rounded per operation. */
export function refVecDot(types: 'q4_0_q8_0' | 'q8_0_q8_0' | 'q4_1_q8_1', x: Uint8Array, y: Uint8Array): Rational {
  const [sx, sy] = types === 'q4_0_q8_0' ? [18, 34] : types === 'q8_0_q8_0' ? [34, 34] : [20, 36];
  let sumf = Rational.ZERO;
  for (let i = 0; i * sx < x.length; i++) {
    const [xo, yo] = [i * sx, i * sy];
    const yqs = yo + (types === 'q4_1_q8_1' ? 4 : 2);
    let sumi = 0;
    for (let j = 0; j < 32; j++) {
      const w = types === 'q4_0_q8_0' ? nibble(x, xo + 2, j) - 8 : types === 'q4_1_q8_1' ? nibble(x, xo + 4, j) : int8(x, xo + 2 + j);
      sumi += w * int8(y, yqs + j);
    }
    const [dx, dy, s] = [fp16At(x, xo), fp16At(y, yo), Rational.fromInt(sumi)];
    const term =
      types === 'q4_0_q8_0' ? r32(r32(s.mul(dx)).mul(dy))
      : types === 'q8_0_q8_0' ? r32(s.mul(r32(dx.mul(dy))))
      : r32(r32(r32(dx.mul(dy)).mul(s)).add(r32(fp16At(x, xo + 2).mul(fp16At(y, yo + 2)))));
    sumf = r32(sumf.add(term));
  }
  return sumf;
}
