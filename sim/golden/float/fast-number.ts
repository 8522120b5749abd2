import { decodeTable, fp32ToNumber, numberToFp32 } from './fast.ts';
import { FLOAT_ROUNDINGS, overflowsToMax } from './rounding.ts';
import type { FloatFormat } from './format.ts';
import type { FloatRoundOptions } from './round.ts';

/**
 * Float arithmetic on binary64 `number`s for the transaction models' bulk paths, bit-identical to
 * the exact (bigint) golden path:
 * - values are decoded to binary64 exactly (`numberDecoder`: only formats whose every value is a
 *   binary64);
 * - a product of two decoded values is exact in binary64 when the significands together have at
 *   most 53 bits and the exponents stay in range (`productIsExact`);
 * - a sum is made exact in one binary64 *rounded to odd* (`addToOdd`, `sumToOdd`): the nearest
 *   binary64 toward zero or away from it whose last significand bit is 1 unless the sum is exact.
 *   Rounding a round-to-odd value of p >= q + 2 bits to q bits gives the correctly rounded result
 *   in every rounding mode (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums:
 *   proved algorithms using rounding to odd", IEEE TC 2008); 53 >= 24 + 2 covers every format of
 *   at most 32 bits;
 * - `numberRounder` rounds such a value to a code (`roundNumberToFormat`, plus flushing before
 *   rounding: a round-to-odd value is below the smallest normal exactly when the exact sum is,
 *   because the smallest normal has an even significand and rounding to odd is monotonic); where
 *   the result is a normal in range it reads the binary64's bits instead (`bitRounder`: exponent
 *   rebiased, significand cut, round and sticky bits), tested against `roundToFormat` on every
 *   value, tie and neighbour of the small formats and samples of fp16/bf16/fp32.
 * The models' tests compare every path with the bigint rows on exhaustive small formats and
 * random fp16/bf16/fp32 cases.
 */

/** Whether every value of `fmt` is a binary64 (significand of at most 53 bits, exponents in range). */
export function fitsNumber(fmt: FloatFormat): boolean {
  return fmt.manBits + 1 <= 53 && fmt.emax <= 1000 && fmt.emin - fmt.manBits >= -1000;
}

function isBinary32(fmt: FloatFormat): boolean {
  return fmt.encoding === 'ieee' && fmt.expBits === 8 && fmt.manBits === 23 && fmt.bias === 127;
}

/** Whether `fmt` is bfloat16: the top 16 bits of a binary32. */
function isBfloat16(fmt: FloatFormat): boolean {
  return fmt.encoding === 'ieee' && fmt.expBits === 8 && fmt.manBits === 7 && fmt.bias === 127;
}

/** `decodeTable` with subnormals read as zeros (the unflushed table is `decodeTable` itself). */
const flushedTables = new WeakMap<FloatFormat, Float64Array>();

/**
 * Code → exact binary64 value (-0, ±Infinity, NaN included), subnormals read as the zero of their
 * sign when `flush` (as `decodeFlushed`). Undefined when the format does not fit (`fitsNumber`).
 */
export function numberDecoder(fmt: FloatFormat, flush: boolean): ((code: number) => number) | undefined {
  if (!fitsNumber(fmt)) return undefined;
  const tiny = 2 ** fmt.emin;
  const flushed = (v: number): number => (flush && v !== 0 && Math.abs(v) < tiny ? (v < 0 ? -0 : 0) : v);
  if (isBfloat16(fmt)) {
    // The top half of a binary32: no table (a 512 KiB table read at random codes missed the cache).
    return flush ? (code) => flushed(fp32ToNumber(code << 16)) : (code) => fp32ToNumber(code << 16);
  }
  if (fmt.width <= 16) {
    let table = flush ? flushedTables.get(fmt) : decodeTable(fmt);
    if (table === undefined) flushedTables.set(fmt, (table = Float64Array.from(decodeTable(fmt), flushed)));
    return (code) => table[code]!;
  }
  if (isBinary32(fmt)) return flush ? (code) => flushed(fp32ToNumber(code)) : fp32ToNumber;
  return undefined;
}

/** Whether the product of any two decoded values of `a` and `b` is exactly a binary64. */
export function productIsExact(a: FloatFormat, b: FloatFormat): boolean {
  return a.manBits + b.manBits + 2 <= 53 && a.emax + b.emax + 2 < 1023 && a.emin - a.manBits + b.emin - b.manBits >= -1074;
}

/**
 * Binary64 value (exact, or rounded to odd with at least `fmt.manBits + 3` bits: every binary64
 * for formats of at most 32 bits) → code of `fmt`, as `roundToFormat` of the exact value with
 * `opts` (any rounding mode, saturation). Flushing only `off` or `before-rounding`.
 */
export function numberRounder(fmt: FloatFormat, opts: FloatRoundOptions): (x: number) => number {
  const general = generalRounder(fmt, opts);
  const bitsOf = bitRounder(fmt, opts);
  // binary32 rne without saturation: the general rounder's Math.fround is quicker still.
  if (bitsOf === undefined || (isBinary32(fmt) && (opts.rounding ?? 'rne') === 'rne' && !(opts.saturate ?? false))) return general;
  // The bit path where it applies (normal results in range), else the general one.
  return (x) => {
    f64[0] = x;
    const c = bitsOf(hiWord[HI]!, hiWord[1 - HI]!);
    return c >= 0 ? c : general(x);
  };
}

/** `numberRounder` without the bit path: scaling by a power of two, floor and remainder. */
function generalRounder(fmt: FloatFormat, opts: FloatRoundOptions): (x: number) => number {
  const flush = opts.flushOutput ?? 'off';
  if (flush === 'after-rounding') throw new RangeError('numberRounder: after-rounding flushing is not supported');
  if (!fitsNumber(fmt)) throw new RangeError(`numberRounder: ${fmt.name} values are not all binary64 values`);
  const mode = FLOAT_ROUNDINGS.indexOf(opts.rounding ?? 'rne'); // rne, rna, rtz, rup, rdn
  const saturate = opts.saturate ?? false;
  const tiny = flush === 'off' ? 0 : 2 ** fmt.emin;
  const { manBits: m, emin, emax, signMask, encoding, bias } = fmt;
  const hidden = 2 ** m;
  const maxSig = hidden + (fmt.maxCode % hidden);
  const negZero = encoding === 'fnuz' ? 0 : signMask;
  const nan = fmt.nanCode;
  // Finite overflow follows the mode (toward zero gives max); ±Inf stays ±Inf unless saturating.
  const overflow = (neg: boolean, finite: boolean): number => {
    const sign = neg ? signMask : 0;
    if (saturate || encoding === 'none' || (finite && overflowsToMax(FLOAT_ROUNDINGS[mode]!, neg))) return sign + fmt.maxCode;
    return fmt.infCode !== undefined ? sign + fmt.infCode : (nan as number); // fn and fnuz formats have a NaN
  };
  const [posOverflow, negOverflow, posInf, negInf] = [overflow(false, true), overflow(true, true), overflow(false, false), overflow(true, false)];
  if (isBinary32(fmt) && mode === 0 && !saturate) {
    // Math.fround is binary32 rne with IEEE overflow to ±Inf, the same rounding.
    return tiny === 0
      ? (x) => numberToFp32(Math.fround(x))
      : (x) => (x !== 0 && x > -tiny && x < tiny ? (x < 0 ? negZero : 0) : numberToFp32(Math.fround(x)));
  }
  return (x) => {
    if (x !== x) {
      if (nan === undefined) throw new RangeError(`${fmt.name} has no NaN encoding`);
      return nan;
    }
    const neg = x < 0 || (x === 0 && 1 / x < 0);
    const a = neg ? -x : x;
    if (a === 0 || a < tiny) return neg ? negZero : 0;
    if (a === Infinity) return neg ? negInf : posInf;
    const e = exponentOf(a);
    const q = (e > emin ? e : emin) - m;
    const scaled = a * POW2[POW2_BIAS - q]!; // exact: a power-of-two scaling to below 2^(m+2)
    let t = Math.floor(scaled);
    const r = scaled - t;
    if (r !== 0) {
      const up = mode === 0 ? r > 0.5 || (r === 0.5 && t % 2 === 1) : mode === 1 ? r >= 0.5 : mode === 2 ? false : mode === 3 ? !neg : neg;
      if (up) t += 1;
    }
    if (t === 0) return neg ? negZero : 0;
    if (e > emax || (q === emax - m && t > maxSig)) return neg ? negOverflow : posOverflow;
    const sign = neg ? signMask : 0;
    if (t < hidden) return sign + t;
    return t >= 2 * hidden ? sign + (q + m + bias + 1) * hidden : sign + (q + m + bias) * hidden + (t - hidden);
  };
}


/**
 * The bit path of `numberRounder`: `round(hi, lo)` of the binary64 whose high and low 32-bit words
 * are hi and lo gives the code `numberRounder` gives, or -1 where the path does not apply. It
 * applies to
 *   - values whose exponent is that of a normal of `fmt` (no flushing, no subnormal result) and
 *     whose rounded magnitude is at most max finite: the code is the sign, the exponent field
 *     (binary64 exponent rebiased) and the top `manBits` of the binary64 significand, plus one
 *     when the mode rounds up on the dropped bits (round bit and sticky bits; a carry out of the
 *     mantissa steps the exponent field, as the value does);
 *   - finite values beyond max finite (from the top binade up): the overflow code of the sign;
 *   - zeros, and in rne, rna and rtz values below half the smallest subnormal (rtz: below the
 *     smallest subnormal): the zero of the sign.
 * Formats with at most 19 or 21..30 mantissa bits (the round bit in the high or the low word);
 * else undefined. NaN, infinities, subnormal results and the rest go to the general path.
 */
export function bitRounder(fmt: FloatFormat, opts: FloatRoundOptions): ((hi: number, lo: number) => number) | undefined {
  const m = fmt.manBits;
  if (!fitsNumber(fmt) || m === 20 || m > 30) return undefined;
  const mode = FLOAT_ROUNDINGS.indexOf(opts.rounding ?? 'rne');
  const delta = 1023 - fmt.bias; // binary64 exponent field - fmt's exponent field
  const eTop = Math.floor(fmt.maxCode / 2 ** m); // exponent field of max finite
  const maxCode = fmt.maxCode;
  const signPos = fmt.width - 1;
  const overflow = overflowCodes(fmt, opts);
  const negZero = fmt.encoding === 'fnuz' ? 0 : fmt.signMask;
  // Binary64 exponent fields below which the result is the zero of the sign: values below half
  // the smallest subnormal 2^(emin - m) (rtz: below it); 0 (zeros only) for rup and rdn.
  const zeroBelow = mode === 2 ? fmt.emin - m + 1023 : mode <= 1 ? fmt.emin - m - 1 + 1023 : 0;
  const [posOverflow, negOverflow] = [overflow.pos, overflow.neg];
  if (m < 20) {
    const shift = 20 - m;
    const restMask = (1 << shift) - 1;
    const half = 1 << (shift - 1);
    return (hi, lo) => {
      const field = (hi >>> 20) & 0x7ff;
      const e = field - delta;
      if (e < 1 || e > eTop) {
        // Written out, not a helper call: the call site is shared by every rounder, so V8 would
        // not inline it (the out-of-range values are half of some models' stimulus).
        if (field === 0x7ff) return -1; // NaN, Inf
        if (e > eTop) return hi >>> 31 === 1 ? negOverflow : posOverflow;
        if (field < zeroBelow || (field === 0 && (hi & 0xfffff) === 0 && lo === 0)) return hi >>> 31 === 1 ? negZero : 0;
        return -1;
      }
      const mant = hi & 0xfffff;
      const keep = mant >>> shift;
      const rest = mant & restMask;
      const up = mode === 0 ? (rest > half || (rest === half && (lo !== 0 || (keep & 1) === 1)))
        : mode === 1 ? rest >= half
        : mode === 2 ? false
        : (rest !== 0 || lo !== 0) && (hi >>> 31 === 0) === (mode === 3);
      const mag = (e << m) + keep + (up ? 1 : 0);
      if (mag > maxCode) return hi >>> 31 === 1 ? negOverflow : posOverflow;
      return ((hi >>> 31) << signPos | mag) >>> 0;
    };
  }
  const sh = 52 - m; // dropped bits, all in the low word (22..31)
  const restMask = 2 ** sh - 1;
  const half = 2 ** (sh - 1);
  return (hi, lo) => {
    const field = (hi >>> 20) & 0x7ff;
    const e = field - delta;
    if (e < 1 || e > eTop) {
      // Written out, not a helper call: the call site is shared by every rounder, so V8 would
      // not inline it (the out-of-range values are half of some models' stimulus).
      if (field === 0x7ff) return -1; // NaN, Inf
      if (e > eTop) return hi >>> 31 === 1 ? negOverflow : posOverflow;
      if (field < zeroBelow || (field === 0 && (hi & 0xfffff) === 0 && lo === 0)) return hi >>> 31 === 1 ? negZero : 0;
      return -1;
    }
    const keep = ((hi & 0xfffff) << (m - 20)) | (lo >>> sh);
    const rest = (lo & restMask) >>> 0;
    const up = mode === 0 ? (rest > half || (rest === half && (keep & 1) === 1))
      : mode === 1 ? rest >= half
      : mode === 2 ? false
      : rest !== 0 && (hi >>> 31 === 0) === (mode === 3);
    const mag = e * 2 ** m + keep + (up ? 1 : 0);
    if (mag > maxCode) return hi >>> 31 === 1 ? negOverflow : posOverflow;
    return (((hi >>> 31) << signPos) | mag) >>> 0;
  };
}

/**
 * Codes of a finite value beyond max finite, by sign: the mode decides (toward zero gives max),
 * saturation and formats without Inf give max, fn/fnuz formats without Inf their NaN.
 */
function overflowCodes(fmt: FloatFormat, opts: FloatRoundOptions): { pos: number; neg: number } {
  const mode = opts.rounding ?? 'rne';
  const code = (neg: boolean): number => {
    const sign = neg ? fmt.signMask : 0;
    if ((opts.saturate ?? false) || fmt.encoding === 'none' || overflowsToMax(mode, neg)) return sign + fmt.maxCode;
    return fmt.infCode !== undefined ? sign + fmt.infCode : (fmt.nanCode as number);
  };
  return { pos: code(false), neg: code(true) };
}

/** 2^k for k in [-1074, 1023] at index k + POW2_BIAS. */
const POW2_BIAS = 1074;
const POW2 = Float64Array.from({ length: 1074 + 1024 }, (_, i) => 2 ** (i - POW2_BIAS));

const f64 = new Float64Array(1);
const hiWord = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // index of the sign/exponent word

/** floor(log2 x) of a finite positive binary64, exactly. */
function exponentOf(x: number): number {
  f64[0] = x;
  const field = (hiWord[HI]! >>> 20) & 0x7ff;
  if (field !== 0) return field - 1023;
  f64[0] = x * 2 ** 64; // binary64 subnormal
  return ((hiWord[HI]! >>> 20) & 0x7ff) - 1023 - 64;
}

/**
 * `s` moved one unit in the last place toward the sign of `err` when its last significand bit is
 * 0 (s non-zero, finite, and the exact value is s + err with 0 < |err| < ulp(s)): the exact value
 * rounded to odd.
 */
function toOdd(s: number, err: number): number {
  f64[0] = s;
  const lo = hiWord[1 - HI]!;
  if ((lo & 1) === 1) return s;
  if ((s > 0) === (err > 0)) hiWord[1 - HI] = lo | 1; // away from zero: +1 in the magnitude, no carry (lo even)
  else if (lo !== 0) hiWord[1 - HI] = lo - 1; // toward zero: -1 in the magnitude
  else {
    hiWord[HI] = hiWord[HI]! - 1;
    hiWord[1 - HI] = 0xffffffff;
  }
  return f64[0]!;
}

/**
 * x + y rounded to odd (see the file comment) for finite binary64 operands whose exact sum does not
 * overflow; Infinity and NaN operands give the IEEE sum. Zero sums follow IEEE rne (x + (-x) = +0,
 * (-0) + (-0) = -0), as the golden `exactAdd` in rne.
 */
export function addToOdd(x: number, y: number): number {
  const s = x + y;
  const v = s - x;
  const err = (x - (s - v)) + (y - v); // Knuth's TwoSum: the exact rounding error of s
  if (err === 0 || err !== err) return s; // exact, or a NaN error from Inf/NaN operands
  return toOdd(s, err);
}

/**
 * The exact sum of finite binary64 values rounded to odd, through Shewchuk's non-overlapping
 * expansion (the partials of Python's `math.fsum`). `partials` is scratch space. A sum of only
 * zeros keeps IEEE's sign rule (-0 only when every term is -0); a zero sum of non-zero terms is +0.
 */
export function sumToOdd(values: ArrayLike<number>, n: number, partials: number[]): number {
  let count = 0;
  let allZero = true;
  let zeroSum = -0; // -0 + z = z for every zero z
  for (let k = 0; k < n; k++) {
    let x = values[k]!;
    if (x === 0) { zeroSum += x; continue; }
    allZero = false;
    let i = 0;
    for (let j = 0; j < count; j++) {
      let y = partials[j]!;
      if (Math.abs(x) < Math.abs(y)) { const t = x; x = y; y = t; }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials[i++] = x;
    count = i;
  }
  if (allZero) return zeroSum;
  // From the top: the first inexact partial sum decides; the partials below it are smaller than
  // its error's last bit (non-overlapping), so the error's sign is the remainder's.
  let hi = 0;
  for (let j = count - 1; j >= 0; j--) {
    const x = hi;
    const y = partials[j]!;
    hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) return toOdd(hi, lo);
  }
  return hi;
}
