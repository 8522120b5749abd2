/**
 * Helpers of the float transaction models (golden library only): ports of a float format, the
 * golden options of a subnormal mode, interesting codes (zeros, subnormal and normal edges, max,
 * Inf, NaN, ones, rounding-tie operands) and random codes biased toward useful exponents.
 */
import { classifyFloat, decodeFloat, roundToFormat, valueFromNumber, valueToNumber, type FloatFormat, type FloatArithOptions } from '../golden/index.ts';
import type { Rng } from '../random.ts';
import type { Port } from '../../formats/port.ts';
import type { ColumnDraw } from './float-fast.ts';

export type SubnormalMode = 'ieee' | 'flush';

export function floatPort(name: string, f: FloatFormat): Port {
  return { name, width: f.width, signed: false, format: f.name };
}

/**
 * `c` with its sign bit flipped. Arithmetic, not `c ^ f.signMask`: JavaScript's `^` works on
 * int32, so for a 32-bit format it gave a negative "code" (a fuzz-found crash of fp_mac with
 * `a: fp32`).
 */
export function flipSign(f: FloatFormat, c: number): number {
  return c >= f.signMask ? c - f.signMask : c + f.signMask;
}

/** Golden options of a generator's subnormal mode (DAZ inputs, FTZ before rounding). */
export function goldenOptions(subnormals: SubnormalMode, saturate = false): FloatArithOptions {
  return subnormals === 'flush' ? { saturate, flushInput: true, flushOutput: 'before-rounding' } : { saturate };
}

/** Nearest code of `f` to a binary64 value (any value; NaN gives the canonical NaN or +0). */
export function codeNear(f: FloatFormat, x: number): number {
  if (Number.isNaN(x)) return f.nanCode ?? 0;
  return roundToFormat(f, valueFromNumber(x), { saturate: f.encoding !== 'ieee' });
}

/**
 * Interesting codes of `f`, both signs: zeros, smallest/largest subnormal, smallest normal, one,
 * 1 + ulp, 1.5, max and its predecessor, Inf, every NaN flavour the encoding has (canonical and
 * non-canonical payloads), and values a half-ulp of one away (tie operands).
 */
export function interestingCodes(f: FloatFormat): number[] {
  const pos = new Set<number>([0, 1, f.minNormalCode - 1, f.minNormalCode, f.minNormalCode + 1, f.maxCode, f.maxCode - 1]);
  for (const x of [1, 1.5, 2, 0.5, 3, 2 ** -(f.manBits + 1), 3 * 2 ** -(f.manBits + 2), 1 + 2 ** -f.manBits]) pos.add(codeNear(f, x));
  if (f.infCode !== undefined) pos.add(f.infCode);
  const specials: number[] = [];
  if (f.nanCode !== undefined) specials.push(f.nanCode);
  if (f.encoding === 'ieee') specials.push(f.infCode! + 1, f.signMask + f.infCode! + 1, f.signMask + f.nanCode!);
  if (f.encoding === 'fn') specials.push(f.signMask + f.nanCode!);
  const out = new Set<number>();
  for (const c of pos) {
    if (c < 0 || c >= f.signMask) continue;
    out.add(c);
    out.add(c + f.signMask);
  }
  for (const s of specials) out.add(s);
  return [...out].filter((c) => f.encoding !== 'fnuz' || c !== f.signMask || f.nanCode === c).sort((a, b) => a - b);
}

/**
 * A random code of `f` (`floatCodeSampler`'s distribution), drawn from one or two `rng.u32()`
 * words (`sampler.words`) in order.
 */
export function randomFloatCode(f: FloatFormat, rng: Rng, spread = 4, uniformOneIn = 2): number {
  return floatCodeSampler(f, spread, uniformOneIn).draw(rng);
}

/** `randomFloatCode` as a function of the rng: the same draws, for loops. */
export function floatCodeDrawer(f: FloatFormat, spread = 4, uniformOneIn = 2): (rng: Rng) => number {
  const s = floatCodeSampler(f, spread, uniformOneIn);
  return (rng) => s.draw(rng);
}

/**
 * Random codes of `f` from uniform 32-bit words: one in `uniformOneIn` (a power of two, 2^k with
 * 1 <= k <= 8) uniform over all codes; the rest with an exponent field within ±`spread` of the
 * bias (values near one, where sums interact; clamped to the field's range), a uniform mantissa
 * and either sign. A code takes `words` words: one (w0 = w) when k + 12 + width <= 32 (formats of
 * at most 8 bits; 16 bits when k <= 4), else two (w0, w = w1). Bit fields:
 *   - the top k bits of w0 all zero select a uniform code: the low `width` bits of w;
 *   - else the sign bit and the mantissa are w's bits at their places in the code (the low
 *     `width` bits of w with the exponent field replaced), and the exponent field is
 *     bias - spread + floor(u·span / 2^12) with u the 12 bits of w0 below its top k bits and
 *     span = 2·spread + 1 (each offset with probability within span/2^12 of 1/span).
 * (The draws before this sampler took 2 to 4 `Rng` calls per code; see docs/cosim.md.)
 */
export class FloatCodeSampler implements ColumnDraw {
  readonly words: 1 | 2;
  /** Code width (of `f`). */
  readonly width: number;
  private readonly choiceShift: number;
  private readonly uShift: number;
  private readonly manBits: number;
  private readonly nearMask: number;
  private readonly codeMask: number;
  /** Exponent field by u. */
  private readonly exponents: Uint16Array;

  constructor(f: FloatFormat, spread = 4, uniformOneIn = 2) {
    const k = Math.log2(uniformOneIn);
    if (!Number.isInteger(k) || k < 1 || k > 8) throw new RangeError(`floatCodeSampler: uniformOneIn must be 2^k with 1 <= k <= 8, got ${uniformOneIn}`);
    const span = 2 * spread + 1;
    if (!Number.isInteger(spread) || spread < 0 || span > 4096) throw new RangeError(`floatCodeSampler: spread must be an integer in 0..2047, got ${spread}`);
    this.words = k + 12 + f.width <= 32 ? 1 : 2;
    this.width = f.width;
    // Every field an int32 (`| 0`; `2 ** n` is a double): double-typed fields slowed the bulk loop.
    this.choiceShift = (32 - k) | 0;
    this.uShift = (20 - k) | 0;
    this.manBits = f.manBits | 0;
    this.codeMask = f.width === 32 ? -1 : (2 ** f.width - 1) | 0;
    this.nearMask = (this.codeMask & ~((2 ** f.expBits - 1) * 2 ** f.manBits)) | 0;
    const expMax = 2 ** f.expBits - 1;
    this.exponents = Uint16Array.from({ length: 4096 }, (_, u) => Math.min(expMax, Math.max(0, f.bias - spread + Math.floor((u * span) / 4096))));
  }

  /** The code of first word `w0` and last word `w` (= w0 when `words` is 1). */
  code(w0: number, w: number): number {
    if (w0 >>> this.choiceShift === 0) return (w & this.codeMask) >>> 0;
    return ((w & this.nearMask) | (this.exponents[(w0 >>> this.uShift) & 0xfff]! << this.manBits)) >>> 0;
  }

  /** One code from the next `words` draws of `rng`. */
  draw(rng: Rng): number {
    const w0 = rng.u32();
    return this.code(w0, this.words === 1 ? w0 : rng.u32());
  }

  /**
   * Codes into a column of bytes: row i's code (`code`) from `words[i·W + at ..]`, stored in
   * `bytes` bytes (little-endian) at `b[o + i·stride]`.
   */
  fill(words: Uint32Array, W: number, at: number, count: number, b: Uint8Array, o: number, stride: number, bytes: number): void {
    if (bytes === 2 && o % 2 === 0 && stride % 2 === 0 && b.byteOffset % 2 === 0 && LITTLE_ENDIAN) {
      // Aligned 16-bit ports: one 16-bit store per code.
      const h = new Uint16Array(b.buffer, b.byteOffset, b.length >> 1);
      return fillCodes16(words, W, at, this.words - 1, count, h, o >> 1, stride >> 1, this.choiceShift, this.uShift, this.manBits, this.nearMask, this.codeMask, this.exponents);
    }
    if (bytes === 4 && o % 4 === 0 && stride % 4 === 0 && b.byteOffset % 4 === 0 && LITTLE_ENDIAN) {
      // Aligned 32-bit ports (fp32): one 32-bit store per code.
      const q = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
      return fillCodes32(words, W, at, this.words - 1, count, q, o >> 2, stride >> 2, this.choiceShift, this.uShift, this.manBits, this.nearMask, this.codeMask, this.exponents);
    }
    fillCodes(words, W, at, this.words - 1, count, b, o, stride, bytes, this.choiceShift, this.uShift, this.manBits, this.nearMask, this.codeMask, this.exponents);
  }
}

/**
 * `FloatCodeSampler.fill` with `code` inlined by hand, branch-free (the uniform/near choice is a
 * coin flip: a mispredicted branch per code cost several times the arithmetic), and the fields as
 * arguments: few enough live values for the loop to run on registers.
 */
function fillCodes(
  words: Uint32Array, W: number, at: number, last: number, count: number, b: Uint8Array, o: number, stride: number, bytes: number,
  choiceShift: number, uShift: number, manBits: number, nearMask: number, codeMask: number, exponents: Uint16Array,
): void {
  for (let r = at, end = at + count * W; r < end; r += W, o += stride) {
    const w0 = words[r]!;
    const w = words[r + last]!;
    const uniform = ((w0 >>> choiceShift) - 1) >> 31; // all ones when the choice bits are 0, else 0
    const near = (w & nearMask) | (exponents[(w0 >>> uShift) & 0xfff]! << manBits);
    const v = (w & codeMask & uniform) | (near & ~uniform);
    b[o] = v;
    if (bytes > 1) {
      b[o + 1] = v >>> 8;
      if (bytes > 2) { b[o + 2] = v >>> 16; if (bytes > 3) b[o + 3] = v >>> 24; }
    }
  }
}

/** `fillCodes` into a Uint16Array (16-bit codes, aligned). */
function fillCodes16(
  words: Uint32Array, W: number, at: number, last: number, count: number, h: Uint16Array, k: number, stride: number,
  choiceShift: number, uShift: number, manBits: number, nearMask: number, codeMask: number, exponents: Uint16Array,
): void {
  for (let r = at, end = at + count * W; r < end; r += W, k += stride) {
    const w0 = words[r]!;
    const w = words[r + last]!;
    const uniform = ((w0 >>> choiceShift) - 1) >> 31;
    const near = (w & nearMask) | (exponents[(w0 >>> uShift) & 0xfff]! << manBits);
    h[k] = (w & codeMask & uniform) | (near & ~uniform);
  }
}

/** `fillCodes` into a Uint32Array (32-bit codes, aligned). */
function fillCodes32(
  words: Uint32Array, W: number, at: number, last: number, count: number, q: Uint32Array, k: number, stride: number,
  choiceShift: number, uShift: number, manBits: number, nearMask: number, codeMask: number, exponents: Uint16Array,
): void {
  for (let r = at, end = at + count * W; r < end; r += W, k += stride) {
    const w0 = words[r]!;
    const w = words[r + last]!;
    const uniform = ((w0 >>> choiceShift) - 1) >> 31;
    const near = (w & nearMask) | (exponents[(w0 >>> uShift) & 0xfff]! << manBits);
    q[k] = (w & codeMask & uniform) | (near & ~uniform);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// A sampler is immutable and its 4096-entry exponent table costs far more than a draw: one per
// format object and parameters serves every caller (models, and tests drawing code by code).
const samplers = new WeakMap<FloatFormat, Map<string, FloatCodeSampler>>();

/** The `FloatCodeSampler` of `f`, `spread` and `uniformOneIn` (built once, then shared). */
export function floatCodeSampler(f: FloatFormat, spread = 4, uniformOneIn = 2): FloatCodeSampler {
  let byParams = samplers.get(f);
  if (byParams === undefined) samplers.set(f, (byParams = new Map()));
  const key = `${spread}/${uniformOneIn}`;
  let s = byParams.get(key);
  if (s === undefined) byParams.set(key, (s = new FloatCodeSampler(f, spread, uniformOneIn)));
  return s;
}

/**
 * Source codes that exercise rounding into `to`: for target codes (all, or a sample for wide
 * targets), the target value itself, the midpoint to the next code (a tie) and the source codes
 * one ulp either side of both; plus the overflow threshold. Both signs.
 */
export function tieCodes(from: FloatFormat, to: FloatFormat, maxTargets = 512): number[] {
  const out = new Set<number>();
  const step = Math.max(1, Math.floor(to.signMask / maxTargets));
  const targets: number[] = [];
  for (let c = 0; c <= to.maxCode; c += step) targets.push(c);
  for (const c of [to.maxCode - 1, to.maxCode, to.minNormalCode - 1, to.minNormalCode, 1]) if (c >= 0) targets.push(c);
  const next = (c: number): number => {
    if (c < to.maxCode) return valueToNumber(decodeFloat(to, c + 1));
    // One ulp above max (the first value that does not fit): the overflow threshold is its midpoint.
    return valueToNumber(decodeFloat(to, c)) + 2 ** (to.emax - to.manBits);
  };
  for (const c of targets) {
    if (classifyFloat(to, c) === 'nan' || classifyFloat(to, c) === 'inf') continue;
    const v = valueToNumber(decodeFloat(to, c));
    const mid = (v + next(c)) / 2;
    for (const x of [v, mid]) {
      const s = roundToFormat(from, valueFromNumber(x), { saturate: true });
      for (const d of [-1, 0, 1]) {
        const k = s + d;
        if (k < 0 || k >= from.signMask) continue;
        out.add(k);
        out.add(k + from.signMask);
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}
