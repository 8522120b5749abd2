/**
 * A small seeded PRNG (xoshiro128**) for reproducible stimulus: the same seed gives the same
 * vectors on every machine. `bigBits` draws uniformly over any width.
 */

/** Words generated per refill of `Rng`'s buffer. */
const BLOCK = 256;

export class Rng {
  // The 128-bit state as four int32 fields: cheaper to read and write than a typed array.
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  // Words are generated BLOCK at a time (one tight loop, state in locals) and served in order:
  // the same sequence as one step per draw, at a fraction of the cost of a step per method call.
  private readonly block = new Uint32Array(BLOCK);
  private next = BLOCK;

  constructor(seed: number) {
    // splitmix32 expands the seed into the 128-bit state.
    const s: number[] = [];
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      s.push((z ^ (z >>> 16)) | 0);
    }
    [this.s0, this.s1, this.s2, this.s3] = s as [number, number, number, number];
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    if (this.next === BLOCK) {
      this.generate(this.block);
      this.next = 0;
    }
    return this.block[this.next++]!;
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^32 (rejection sampling, unbiased). */
  below(n: number): number {
    // floor(2^32 / n) and floor(x / n) are exact in binary64 (x < 2^32: the quotient is at least
    // 1/n away from the next integer, more than its rounding error); `%` on a uint32 above 2^31 is
    // a floating-point remainder, several times slower.
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
      const x = this.u32();
      if (x < limit) return x - Math.floor(x / n) * n;
    }
  }

  /** Fills `out` with uniform 32-bit draws: the same values, in order, as `out.length` calls of `u32()`. */
  fillU32(out: Uint32Array): void {
    let k = 0;
    while (k < out.length && this.next < BLOCK) out[k++] = this.block[this.next++]!;
    if (k < out.length) this.generate(k === 0 ? out : out.subarray(k));
  }

  /** The next `out.length` words of the xoshiro128** sequence into `out`, past any buffered ones. */
  private generate(out: Uint32Array): void {
    // The state in locals: a bulk draw is then about 1 ns per word instead of a method call each.
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    for (let i = 0; i < out.length; i++) {
      const m = Math.imul(s1, 5);
      out[i] = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
  }

  /** `Number(bigBits(width))` for 1 <= width <= 32, without a BigInt: the same draw. */
  bits(width: number): number {
    return this.u32() >>> (32 - width);
  }

  /** Uniform raw pattern of `width` bits, in [0, 2^width). */
  bigBits(width: number): bigint {
    let v = 0n;
    let have = 0;
    while (have < width) { v = (v << 32n) | BigInt(this.u32()); have += 32; }
    return v >> BigInt(have - width);
  }
}

