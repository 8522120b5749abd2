/**
 * Exact rational numbers over bigint, always kept reduced with a positive denominator, so two equal
 * values have equal fields and equal `toString()`.
 *
 * `toString()` is the canonical "real" encoding of `test/data/SCHEMA.md`: a plain decimal (no exponent,
 * no `+`, no trailing zeros, `0` for zero) when the value has a finite decimal expansion (denominator
 * of the form 2^a·5^b), otherwise the reduced `p/q`. A rational has no negative zero; callers that need
 * `"-0"` (float values) track the sign of zero themselves.
 */
export class Rational {
  readonly num: bigint;
  /** Always > 0. */
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  /** num/den reduced; throws RangeError when den = 0. */
  static of(num: bigint, den: bigint = 1n): Rational {
    if (den === 0n) throw new RangeError('Rational: zero denominator');
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    const g = gcd(num < 0n ? -num : num, den);
    return g === 1n ? new Rational(num, den) : new Rational(num / g, den / g);
  }

  static fromInt(n: bigint | number): Rational {
    if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`Rational.fromInt: not a safe integer: ${n}`);
    return new Rational(BigInt(n), 1n);
  }

  /** 2^k exactly, for any integer k. */
  static pow2(k: number): Rational {
    if (!Number.isInteger(k)) throw new RangeError(`Rational.pow2: non-integer exponent ${k}`);
    return k >= 0 ? new Rational(1n << BigInt(k), 1n) : new Rational(1n, 1n << BigInt(-k));
  }

  /**
   * Parses `-?digits[.digits]` (optionally with an `e±N` exponent), `-?p/q`, or an integer. `"-0"` parses
   * to zero (a rational has no signed zero). Throws SyntaxError on anything else.
   */
  static parse(text: string): Rational {
    const frac = /^(-?\d+)\/(\d+)$/.exec(text);
    if (frac) {
      const den = BigInt(frac[2] as string);
      if (den === 0n) throw new SyntaxError(`Rational.parse: zero denominator in "${text}"`);
      return Rational.of(BigInt(frac[1] as string), den);
    }
    const dec = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
    if (!dec) throw new SyntaxError(`Rational.parse: not a decimal or p/q: "${text}"`);
    const neg = dec[1] === '-';
    const fracDigits = dec[3] ?? '';
    const exp10 = Number(dec[4] ?? '0') - fracDigits.length;
    let num = BigInt((dec[2] as string) + fracDigits);
    let den = 1n;
    if (exp10 >= 0) num *= 10n ** BigInt(exp10);
    else den = 10n ** BigInt(-exp10);
    return Rational.of(neg ? -num : num, den);
  }

  /** Exact value of a finite JS number (every binary64 is a dyadic rational). */
  static fromNumber(x: number): Rational {
    if (!Number.isFinite(x)) throw new RangeError(`Rational.fromNumber: not finite: ${x}`);
    if (Number.isInteger(x)) return Rational.of(BigInt(x));
    let den = 1n;
    while (!Number.isInteger(x)) {
      x *= 2; // exact: doubling a binary64 never rounds while it stays finite
      den *= 2n;
    }
    return Rational.of(BigInt(x), den);
  }

  sign(): -1 | 0 | 1 {
    return this.num === 0n ? 0 : this.num < 0n ? -1 : 1;
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  isInteger(): boolean {
    return this.den === 1n;
  }

  neg(): Rational {
    return new Rational(-this.num, this.den);
  }
  abs(): Rational {
    return this.num < 0n ? new Rational(-this.num, this.den) : this;
  }
  add(o: Rational): Rational {
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rational): Rational {
    return Rational.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Rational): Rational {
    return Rational.of(this.num * o.num, this.den * o.den);
  }
  /** Throws RangeError on division by zero. */
  div(o: Rational): Rational {
    if (o.num === 0n) throw new RangeError('Rational.div: division by zero');
    return Rational.of(this.num * o.den, this.den * o.num);
  }
  /** this · 2^k, exact. */
  mulPow2(k: number): Rational {
    return k >= 0 ? Rational.of(this.num << BigInt(k), this.den) : Rational.of(this.num, this.den << BigInt(-k));
  }

  /** -1, 0 or 1 as this <, =, > o. */
  cmp(o: Rational): -1 | 0 | 1 {
    const d = this.num * o.den - o.num * this.den;
    return d === 0n ? 0 : d < 0n ? -1 : 1;
  }
  eq(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }
  lt(o: Rational): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Rational): boolean {
    return this.cmp(o) <= 0;
  }

  /** Largest integer <= this. */
  floor(): bigint {
    const q = this.num / this.den; // truncates toward zero
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }
  /** Smallest integer >= this. */
  ceil(): bigint {
    return -this.neg().floor();
  }

  /**
   * floor(log2(|this|)) for a non-zero value: the k with 2^k <= |this| < 2^(k+1). Throws on zero.
   */
  floorLog2(): number {
    if (this.num === 0n) throw new RangeError('Rational.floorLog2: zero');
    const n = this.num < 0n ? -this.num : this.num;
    let k = bitLength(n) - bitLength(this.den);
    // Now 2^(k-1) < |x| < 2^(k+1); one comparison settles it.
    const twoK = k >= 0 ? [1n << BigInt(k), 1n] : [1n, 1n << BigInt(-k)];
    if (n * (twoK[1] as bigint) < (twoK[0] as bigint) * this.den) k -= 1;
    return k;
  }

  /** Nearest binary64 (correct rounding, via the decimal string; exact whenever the value is a binary64). */
  toNumber(): number {
    if (this.den === 1n) return Number(this.num);
    const s = this.toString();
    return s.includes('/') ? Number(this.num) / Number(this.den) : Number(s);
  }

  /** Canonical SCHEMA "real" string: plain decimal if finite, else reduced `p/q`. */
  toString(): string {
    if (this.den === 1n) return this.num.toString();
    let d = this.den;
    let twos = 0;
    let fives = 0;
    while (d % 2n === 0n) {
      d /= 2n;
      twos++;
    }
    while (d % 5n === 0n) {
      d /= 5n;
      fives++;
    }
    if (d !== 1n) return `${this.num}/${this.den}`;
    // num/den = num·2^(k-twos)·5^(k-fives) / 10^k with k = max(twos, fives).
    const k = Math.max(twos, fives);
    const neg = this.num < 0n;
    const scaled = (neg ? -this.num : this.num) * 2n ** BigInt(k - twos) * 5n ** BigInt(k - fives);
    const digits = scaled.toString().padStart(k + 1, '0');
    const intPart = digits.slice(0, digits.length - k);
    const fracPart = digits.slice(digits.length - k).replace(/0+$/, '');
    return `${neg ? '-' : ''}${intPart}${fracPart ? `.${fracPart}` : ''}`;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

/** Number of bits of a non-negative bigint (0 for 0). */
export function bitLength(n: bigint): number {
  if (n < 0n) throw new RangeError('bitLength: negative');
  if (n === 0n) return 0;
  // Hex conversion is several times faster than binary for the wide values of fp32 FMA alignment.
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0] as string, 16)));
}
