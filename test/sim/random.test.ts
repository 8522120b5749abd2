/**
 * `Rng` against a plain one-step-per-draw xoshiro128** (seeded by the same splitmix32 expansion) and
 * an exact BigInt rejection sampler: the block buffer and the fill path never change the sequence,
 * and `below` (division instead of `%`) gives x mod n for every bound.
 */
import { describe, expect, test } from 'vitest';
import { Rng } from '../../sim/random.ts';

/** `Rng`'s seed expansion (splitmix32 into four words) followed by the reference generator. */
function reference(seed: number): () => number {
  const s: number[] = [];
  let x = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    s.push((z ^ (z >>> 16)) >>> 0);
  }
  return xoshiro128ss(s);
}

/** xoshiro128** from the algorithm's definition, one step per call, from state `s` (uint32 words, mutated). */
function xoshiro128ss(s: number[]): () => number {
  const rotl = (v: number, k: number): number => ((v << k) | (v >>> (32 - k))) >>> 0;
  return () => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] = (s[2]! ^ s[0]!) >>> 0;
    s[3] = (s[3]! ^ s[1]!) >>> 0;
    s[1] = (s[1]! ^ s[2]!) >>> 0;
    s[0] = (s[0]! ^ s[3]!) >>> 0;
    s[2] = (s[2]! ^ t) >>> 0;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
}

describe('Rng', () => {
  test('the reference is xoshiro128**: from state {1, 2, 3, 4} it gives the reference C code\'s first outputs', () => {
    // xoshiro128starstar.c (Blackman and Vigna) seeded s = {1, 2, 3, 4}; recomputed here with Python integers.
    const next = xoshiro128ss([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, next)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  test('u32 and fillU32, interleaved across block boundaries, follow the reference sequence', () => {
    const rng = new Rng(12345);
    const ref = reference(12345);
    const got: number[] = [];
    // Odd fill sizes so fills start and end inside and across the 256-word blocks.
    for (const n of [1, 3, 255, 2, 0, 700, 1, 256, 31, 1000]) {
      got.push(rng.u32());
      const bulk = new Uint32Array(n);
      rng.fillU32(bulk);
      got.push(...bulk);
    }
    expect(got).toEqual(Array.from({ length: got.length }, ref));
  });

  test('below(n) is the rejection sampler over u32 words: x mod n for x below floor(2^32 / n) * n', () => {
    const ns = [1, 2, 3, 7, 9, 16, 100, 255, 2 ** 16 + 1, 0x7fffffff, 2 ** 31, 2 ** 31 + 1, 3e9, 2 ** 32 - 1, 2 ** 32];
    const rng = new Rng(77);
    const words = reference(77);
    for (let k = 0; k < 20000; k++) {
      const n = ns[k % ns.length]!;
      const limit = 2n ** 32n - (2n ** 32n % BigInt(n));
      let want: number;
      for (;;) {
        const x = BigInt(words());
        if (x < limit) { want = Number(x % BigInt(n)); break; }
      }
      const got = rng.below(n);
      if (got !== want) expect({ k, n, got }).toEqual({ k, n, got: want });
    }
  });
});
