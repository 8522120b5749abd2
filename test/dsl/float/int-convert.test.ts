// The golden intToFloat / floatToInt against independent references (so the hardware tests compare
// against something right): int -> fp32 against JS Math.fround, int16 -> fp16/bf16/fp8 against a
// nearest-value search over every code decoded from the format's fields, fp32/fp16 -> int in every
// rounding mode against the value decoded by DataView / from the fields and rounded with exact
// double arithmetic. Then the DSL functions themselves where the generator does not reach
// (nanResult, integerGrid).
import { describe, expect, test } from 'vitest';
import { defineModule, SInt } from '../../../dsl/index.ts';
import { Simulator } from '../../../sim/eval/simulator.ts';
import { floatInput } from '../../../dsl/float/format.ts';
import { floatToInt as dslFloatToInt, integerGrid } from '../../../dsl/float/int-convert.ts';
import { bf16, floatToInt, fp16, fp32, fp8_e4m3, fp8_e5m2, intToFloat, type FloatFormat, type FloatRounding } from '../../../sim/golden/index.ts';
import { Rng } from '../../../sim/random.ts';

const f32 = new DataView(new ArrayBuffer(4));
const bitsOf = (x: number): number => { f32.setFloat32(0, x); return f32.getUint32(0); };
const valueOf32 = (code: number): number => { f32.setUint32(0, code); return f32.getFloat32(0); };

/** Value of a code from the format's fields alone (IEEE/OCP definitions); NaN / ±Inf per the encoding. */
function fieldValue(f: FloatFormat, code: number): number {
  const neg = code >= f.signMask;
  const mag = code % f.signMask;
  const m2 = 2 ** f.manBits;
  const e = Math.floor(mag / m2);
  const man = mag % m2;
  const eMax = 2 ** f.expBits - 1;
  if (f.encoding === 'ieee' && e === eMax) return man === 0 ? (neg ? -Infinity : Infinity) : NaN;
  if (f.encoding === 'fn' && e === eMax && man === m2 - 1) return NaN;
  if (f.encoding === 'fnuz' && code === f.signMask) return NaN;
  const v = (e === 0 ? man : m2 + man) * 2 ** (Math.max(e, 1) - f.bias - f.manBits);
  return neg ? -v : v;
}

/** Finite non-negative codes of `f` with their values, ascending (values grow with the code). */
function finiteCodes(f: FloatFormat): { code: number; v: number }[] {
  const out: { code: number; v: number }[] = [];
  for (let c = 0; c < f.signMask; c++) if (Number.isFinite(fieldValue(f, c))) out.push({ code: c, v: fieldValue(f, c) });
  return out;
}

/** Integer n to `f`: the nearest finite code by binary search (ties: the even code), overflow when the nearest is above max. */
function nearestCode(f: FloatFormat, table: readonly { code: number; v: number }[], n: number, saturate: boolean): number {
  const a = Math.abs(n);
  const sign = n < 0 ? f.signMask : 0;
  const top = table[table.length - 1]!;
  const ulpAtMax = top.v - table[table.length - 2]!.v;
  // Above the midpoint between max and max + ulp: overflow. At it, a tie: the even one of max and
  // max + ulp (which does not exist: overflow) wins; max is odd in ieee formats, even in fn ones (448).
  const threshold = top.v + ulpAtMax / 2;
  if (a > threshold || (a === threshold && top.code % 2 === 1)) {
    if (saturate || f.encoding === 'none') return sign + f.maxCode;
    return f.encoding === 'ieee' ? sign + (2 ** f.expBits - 1) * 2 ** f.manBits : f.nanCode!;
  }
  let lo = 0;
  let hi = table.length - 1; // invariant: table[lo].v <= a < table[hi].v, or a is at an end
  if (a >= top.v) return sign + top.code;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (table[mid]!.v <= a) lo = mid; else hi = mid;
  }
  const [below, above] = [table[lo]!, table[hi]!];
  const d = (a - below.v) - (above.v - a);
  const best = d < 0 || (d === 0 && below.code % 2 === 0) ? below : above;
  return n === 0 ? 0 : sign + best.code;
}

/** An exactly known double x rounded to an integer in `mode`, saturated to [lo, hi]; NaN gives 0. */
function refToInt(x: number, mode: FloatRounding, lo: bigint, hi: bigint): bigint {
  if (Number.isNaN(x)) return 0n;
  if (!Number.isFinite(x)) return x < 0 ? lo : hi;
  const t = Math.trunc(x);
  const f = Math.abs(x - t); // exact: the low bits of a <= 24-bit significand
  const away = mode === 'rne' ? f > 0.5 || (f === 0.5 && t % 2 !== 0)
    : mode === 'rna' ? f >= 0.5
      : mode === 'rtz' ? false
        : mode === 'rup' ? f > 0 && x > 0 : f > 0 && x < 0;
  const n = BigInt(t) + (away ? (x < 0 ? -1n : 1n) : 0n);
  return n < lo ? lo : n > hi ? hi : n;
}

const MODES: readonly FloatRounding[] = ['rne', 'rna', 'rtz', 'rup', 'rdn'];

describe('golden intToFloat / floatToInt vs independent references', () => {
  test('intToFloat(fp32, n) = Math.fround(n) for int32 corners (2^k ± d, ties) and 10^5 random n, |n| < 2^53', () => {
    const ns: bigint[] = [0n, 1n, -1n, 2n ** 31n - 1n, -(2n ** 31n), 2n ** 53n - 1n, -(2n ** 53n - 1n)];
    for (let k = 0; k < 53; k++) for (const d of [-3n, -2n, -1n, 0n, 1n, 2n, 3n]) for (const s of [1n, -1n]) ns.push(s * ((1n << BigInt(k)) + d));
    for (let k = 24; k < 53; k++) for (const d of [1n, 3n, 5n]) ns.push((1n << BigInt(k)) + d * (1n << BigInt(k - 24))); // ties at 2^k
    const rng = new Rng(3);
    for (let i = 0; i < 100000; i++) ns.push(BigInt.asIntN(i % 2 === 0 ? 32 : 53, rng.bigBits(53)));
    let checked = 0;
    for (const n of ns) {
      expect(intToFloat(fp32, n), `n = ${n}`).toBe(bitsOf(Math.fround(Number(n))));
      checked++;
    }
    expect(checked).toBeGreaterThan(100000);
  });

  test('intToFloat of every int16 to fp16, bf16, fp8_e4m3, fp8_e5m2 (saturating or not) = the nearest code by search', () => {
    for (const f of [fp16, bf16, fp8_e4m3, fp8_e5m2]) {
      const table = finiteCodes(f);
      for (const saturate of [false, true]) {
        for (let n = -32768; n < 32768; n++) {
          const want = nearestCode(f, table, n, saturate);
          if (intToFloat(f, BigInt(n), { saturate }) !== want) expect(`${f.name} ${n} sat=${saturate}: ${intToFloat(f, BigInt(n), { saturate })}`).toBe(`${want}`);
        }
      }
    }
  }, 120_000);

  test('floatToInt of fp32 corners + 10^5 random codes, every rounding mode, int32/int8/uint8/uint32 = exact double reference', () => {
    const codes: number[] = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffffffff, 1, 0x80000001, 0x007fffff, 0x00800000];
    for (let k = -3; k <= 34; k++) for (const d of [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1.5]) for (const s of [1, -1]) {
      const c = bitsOf(s * (2 ** k + d));
      codes.push(c, c + 1, c - 1);
    }
    for (const x of [2 ** 31, 2 ** 31 - 128, 2 ** 32, 2 ** 32 - 256, 127.5, 128, 255.5, 256, -128.5, -129]) for (const s of [1, -1]) { const c = bitsOf(s * x); codes.push(c - 1, c, c + 1); }
    const rng = new Rng(4);
    for (let i = 0; i < 100000; i++) {
      const e = 100 + rng.below(60); // exponents 2^-27 .. 2^32: the fraction and saturation region
      codes.push(i % 4 === 0 ? Number(rng.bigBits(32)) : (rng.below(2) * 0x80000000 + e * 2 ** 23 + Number(rng.bigBits(23))) >>> 0);
    }
    for (const [width, signed] of [[32, true], [8, true], [8, false], [32, false]] as const) {
      const lo = signed ? -(1n << BigInt(width - 1)) : 0n;
      const hi = signed ? (1n << BigInt(width - 1)) - 1n : (1n << BigInt(width)) - 1n;
      for (const rounding of MODES) {
        for (const c of codes) {
          const got = floatToInt(fp32, c >>> 0, { width, signed, rounding });
          const want = refToInt(valueOf32(c >>> 0), rounding, lo, hi);
          if (got !== want) expect(`${rounding} int${width}${signed ? '' : 'u'} 0x${(c >>> 0).toString(16)}: ${got}`).toBe(`${want}`);
        }
      }
    }
  }, 120_000);

  test('floatToInt of every fp16 code to int16 and uint8, every rounding mode = exact double reference', () => {
    for (const rounding of MODES) for (let c = 0; c < 65536; c++) {
      const x = fieldValue(fp16, c);
      // Compare first: vitest's expect costs microseconds, and this loop runs 655,360 times.
      const i16 = floatToInt(fp16, c, { width: 16, signed: true, rounding });
      const u8 = floatToInt(fp16, c, { width: 8, signed: false, rounding });
      const want16 = refToInt(x, rounding, -32768n, 32767n);
      const want8 = refToInt(x, rounding, 0n, 255n);
      if (i16 !== want16 || u8 !== want8) expect(`${rounding} 0x${c.toString(16)}: ${i16} ${u8}`).toBe(`${rounding} 0x${c.toString(16)}: ${want16} ${want8}`);
    }
  });
});

describe('DSL floatToInt beyond the generator', () => {
  test('nanResult: every fp16 code to int16 with NaN -> -32768 (x86 "integer indefinite") matches golden with the same nanResult', () => {
    const d = defineModule('f2i_nan', (m) => {
      const a = floatInput(m, 'a', fp16);
      m.output('y', SInt(16)).drive(dslFloatToInt(a, SInt(16), { nanResult: -32768n, rounding: 'rtz' }));
    });
    const sim = new Simulator(d);
    let nans = 0;
    for (let c = 0; c < 65536; c++) {
      const want = floatToInt(fp16, c, { width: 16, signed: true, rounding: 'rtz', nanResult: -32768n });
      if (Number.isNaN(fieldValue(fp16, c))) nans++;
      const got = sim.step({ a: BigInt(c) })['y'];
      if (got !== want) expect(`0x${c.toString(16)}: ${got}`).toBe(`0x${c.toString(16)}: ${want}`);
    }
    expect(nans).toBe(2 * 1023);
  });

  test('integerGrid(M): every magnitude code is its own value; rejects widths above 52', () => {
    for (const M of [0, 3, 8]) {
      const g = integerGrid(M);
      for (let c = 0; c <= g.maxCode; c++) expect(fieldValue(g, c)).toBe(c);
    }
    const d = () => defineModule('f2i_wide', (m) => { m.output('y', SInt(53)).drive(dslFloatToInt(floatInput(m, 'a', fp32), SInt(53))); });
    expect(d).toThrow(/integer width must be 1\.\.52, got 53/);
  });
});
