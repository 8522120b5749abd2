import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullyConnectedInt8Output } from '../../../../sim/golden/int/fully-connected.ts';
import { dotInt8 } from '../../../../sim/golden/kernels/dot.ts';
import { gemmInt8, int32AccumulationIsExact } from '../../../../sim/golden/kernels/gemm.ts';
import { gemmInt8BigInt, gemmInt8Reference, type Int8Operand } from '../../../../sim/golden/kernels/gemm-reference.ts';
import { gemmRequantInt8 } from '../../../../sim/golden/kernels/requant-gemm.ts';
import { wasmGemm } from '../../../../sim/golden/kernels/gemm-wasm.ts';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

function fill(n: number, signed: boolean, next: () => number): Int8Operand {
  const out = signed ? new Int8Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = next() >>> 24;
  return out;
}

describe('gemmInt8 (the benchmarked WebAssembly SIMD kernel)', () => {
  it('is available on this engine', () => {
    expect(wasmGemm()).not.toBeNull();
  });

  it('equals the simple reference and the bigint version: tails, zero points, uint8, bias', () => {
    const next = random(7);
    const shapes = [[1, 1, 1], [1, 9, 1], [2, 8, 4], [3, 5, 7], [5, 17, 3], [16, 16, 16], [17, 33, 9], [33, 64, 31], [2, 0, 3], [0, 4, 4]] as const;
    for (const [m, k, n] of shapes) {
      for (const [signed, za, zb] of [[true, 0, 0], [true, -128, 127], [false, 128, 3], [false, 0, 255]] as const) {
        const a = fill(m * k, signed, next);
        const b = fill(k * n, signed, next);
        const bias = Int32Array.from({ length: n }, () => (next() | 0) >> 12);
        const o = { aZeroPoint: za, bZeroPoint: zb, bias };
        const fast = gemmInt8(a, b, { m, k, n }, o);
        expect(Array.from(fast)).toEqual(Array.from(gemmInt8Reference(a, b, { m, k, n }, o)));
        expect(Array.from(fast).map(BigInt)).toEqual(gemmInt8BigInt(a, b, { m, k, n }, o));
      }
    }
  });

  it('equals the reference on random shapes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (m, k, n, seed) => {
        const next = random(seed);
        const a = fill(m * k, true, next);
        const b = fill(k * n, true, next);
        expect(Array.from(gemmInt8(a, b, { m, k, n }))).toEqual(Array.from(gemmInt8Reference(a, b, { m, k, n })));
      }),
      { numRuns: 200 },
    );
  });

  it('states the int32 bound: k * 2^14 <= 2^31 - 1 for int8, i.e. k < 2^17', () => {
    const s = (k: number) => ({ m: 1, k, n: 1 });
    expect(int32AccumulationIsExact(new Int8Array(1), new Int8Array(1), s(2 ** 17 - 1), {})).toBe(true);
    expect(int32AccumulationIsExact(new Int8Array(1), new Int8Array(1), s(2 ** 17), {})).toBe(false);
  });

  it('falls back to exact bigint beyond the bound, and refuses results outside int32', () => {
    const k = 2 ** 17;
    const a = new Int8Array(k).fill(-128);
    const b = new Int8Array(k).fill(-128);
    expect(() => gemmInt8(a, b, { m: 1, k, n: 1 })).toThrow(/C\[0\]\[0\] = 2147483648 is outside int32/);
    b[0] = 127; // the sum now fits: 2^31 - 128*128 - 128*127
    expect(Array.from(gemmInt8(a, b, { m: 1, k, n: 1 }))).toEqual([2 ** 31 - 16384 - 16256]);
  });

  it('checks its arguments', () => {
    expect(() => gemmInt8(new Int8Array(3), new Int8Array(4), { m: 2, k: 2, n: 2 })).toThrow(/A must have m\*k = 4 elements, got 3/);
    expect(() => gemmInt8(new Int8Array(4), new Int8Array(4), { m: 2, k: 2, n: 2 }, { bias: new Int32Array(1) })).toThrow(/bias must have n = 2/);
  });
});

describe('gemmRequantInt8 and dotInt8', () => {
  it('equal the bigint fully-connected reference, per-channel, both variants', () => {
    const next = random(11);
    const [m, k, n] = [5, 37, 6];
    const a = fill(m * k, true, next) as Int8Array;
    const b = fill(k * n, true, next) as Int8Array;
    const bias = Int32Array.from({ length: n }, () => (next() | 0) >> 16);
    const multiplier = Int32Array.from({ length: n }, (_, j) => (1 << 30) + j * 12345677);
    const shift = Int32Array.from({ length: n }, (_, j) => -7 - j);
    for (const variant of ['double_round', 'single_round'] as const) {
      const y = gemmRequantInt8(a, b, { m, k, n }, { aZeroPoint: 3, bZeroPoint: 0, bias }, { multiplier, shift, variant, outputZeroPoint: -5, actMin: -100, actMax: 120 });
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const col = Array.from({ length: k }, (_, t) => b[t * n + j] as number);
          const want = fullyConnectedInt8Output(a.subarray(i * k, (i + 1) * k), col, BigInt(bias[j] as number), {
            inputZeroPoint: 3n, weightZeroPoint: 0n, outputZeroPoint: -5n, multiplier: BigInt(multiplier[j] as number), shift: shift[j] as number,
            actMin: -100n, actMax: 120n, variant,
          });
          expect(y[i * n + j]).toBe(Number(want));
        }
      }
    }
  });

  it('dotInt8 is exact on both sides of its bound', () => {
    const next = random(3);
    const a = fill(1000, true, next);
    const b = fill(1000, false, next);
    let want = 0n;
    for (let i = 0; i < 1000; i++) want += (BigInt(a[i] as number) + 1n) * (BigInt(b[i] as number) - 200n);
    expect(dotInt8(a, b, -1, 200)).toBe(want);
    const big = new Int8Array(2 ** 17).fill(-128);
    expect(dotInt8(big, big)).toBe(1n << 31n);
  });
});
