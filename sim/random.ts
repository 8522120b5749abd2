/**
 * A small seeded PRNG (xoshiro128**) for reproducible stimulus: the same seed gives the same
 * vectors on every machine. `bigBits` draws uniformly over any width.
 */
export class Rng {
  private s: Uint32Array;

  constructor(seed: number) {
    // splitmix32 expands the seed into the 128-bit state.
    this.s = new Uint32Array(4);
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!; s[3]! ^= s[1]!; s[1]! ^= s[2]!; s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^32 (rejection sampling, unbiased). */
  below(n: number): number {
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % n;
    }
  }

  /** Fills `out` with uniform 32-bit draws: the same values, in order, as `out.length` calls of `u32()`. */
  fillU32(out: Uint32Array): void {
    const st = this.s;
    // The state in locals: a bulk draw is then about 1 ns per word instead of a method call each.
    let s0 = st[0]!, s1 = st[1]!, s2 = st[2]!, s3 = st[3]!;
    for (let i = 0; i < out.length; i++) {
      const m = Math.imul(s1, 5);
      out[i] = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    st[0] = s0; st[1] = s1; st[2] = s2; st[3] = s3;
  }

  /**
   * Fills `out` with uniform codes of a `width`-bit format (1 <= width <= 32), signed in
   * [-2^(w-1), 2^(w-1)) or unsigned in [0, 2^w); a 32-bit unsigned code is stored as its
   * two's-complement pattern. Each draw gives floor(32 / width) codes, least-significant bits
   * first (so 8- and 16-bit codes are the draws' little-endian bytes and halves).
   */
  fillCodes(out: Int32Array, width: number, signed: boolean): void {
    if (!Number.isInteger(width) || width < 1 || width > 32) throw new RangeError(`fillCodes: width ${width} is not in 1..32`);
    const perDraw = Math.floor(32 / width);
    const words = new Uint32Array(Math.ceil(out.length / perDraw));
    this.fillU32(words);
    if (LITTLE_ENDIAN && (width === 8 || width === 16)) {
      // A typed-array view of the words has exactly these codes in order; `set` converts natively.
      const View = width === 8 ? (signed ? Int8Array : Uint8Array) : (signed ? Int16Array : Uint16Array);
      out.set(new View(words.buffer, 0, out.length));
      return;
    }
    const up = 32 - width;
    for (let j = 0; j < perDraw; j++) {
      const left = up - j * width; // moves code j to the top bits, then down with or without sign
      for (let i = j, k = 0; i < out.length; i += perDraw, k++) {
        const x = words[k]! << left;
        out[i] = signed ? x >> up : x >>> up;
      }
    }
  }

  /** Uniform raw pattern of `width` bits, in [0, 2^width). */
  bigBits(width: number): bigint {
    let v = 0n;
    let have = 0;
    while (have < width) { v = (v << 32n) | BigInt(this.u32()); have += 32; }
    return v >> BigInt(have - width);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
