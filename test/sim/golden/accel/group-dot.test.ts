// The group-quantized dot products and the FP8 two-level accumulator against independent
// recomputation in binary64 (refDecode, Math.fround): every fp32 operation of these orders is a
// binary32 operation on binary32 operands, which binary64 followed by one rounding to binary32
// computes correctly (2·24 + 2 <= 53), and every exact sum here fits 53 bits.
import { describe, expect, test } from 'vitest';
import { bf16, fp16, fp32, fp8_e4m3, fp8_e5m2, decodeFloat, valueToNumber } from '../../../../sim/golden/index.ts';
import { dequantWeightFp16, groupDot, type GroupActivation } from '../../../../sim/golden/accel/group-dot.ts';
import { alignTruncSum, fp8AccDot } from '../../../../sim/golden/accel/fp8-acc-dot.ts';
import { Rng } from '../../../../sim/random.ts';
import { refDecode } from '../float/ref-decode.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x: number): number => { f32[0] = x; return u32[0]!; };
const near = (rng: Rng, f: typeof fp16, center: number, spread: number): number => {
  const e = Math.max(1, Math.min(2 ** f.expBits - 2, f.bias + center - spread + rng.below(2 * spread + 1)));
  return (rng.below(2) ? f.signMask : 0) + e * 2 ** f.manBits + Number(rng.bigBits(f.manBits));
};

describe('int_then_scale (ggml order) vs a binary64 recomputation', () => {
  for (const activation of ['int8', 'fp16', 'bf16'] as GroupActivation[]) {
    test(`${activation}: 60 random dot products of 4 groups of 32`, () => {
      const rng = new Rng(5);
      for (let t = 0; t < 60; t++) {
        const G = 32;
        const K = 4 * G;
        const q = Array.from({ length: K }, () => rng.below(16));
        const x = Array.from({ length: K }, () => (activation === 'int8' ? rng.below(256) - 128 : near(rng, activation === 'fp16' ? fp16 : bf16, 0, activation === 'bf16' ? 3 : 6)));
        const scales = Array.from({ length: 4 }, () => near(rng, fp16, -6, 4));
        const zeros = Array.from({ length: 4 }, () => rng.below(16));
        const xScales = Array.from({ length: 4 }, () => near(rng, fp16, -7, 3));
        let acc = 0;
        for (let g = 0; g < 4; g++) {
          let S = 0;
          for (let i = g * G; i < (g + 1) * G; i++) S += (q[i]! - zeros[g]!) * (activation === 'int8' ? x[i]! : refDecode(activation === 'fp16' ? fp16 : bf16, x[i]!));
          let y = Math.fround(Math.fround(S) * refDecode(fp16, scales[g]!));
          if (activation === 'int8') y = Math.fround(y * refDecode(fp16, xScales[g]!));
          acc = Math.fround(acc + y);
        }
        const got = groupDot({ datapath: 'int_then_scale', activation, groupSize: G, lanes: 8, q, x, scales, zeros, ...(activation === 'int8' ? { xScales } : {}) });
        expect(got).toBe(bitsOf(acc));
      }
    });
  }

  test('the ggml order is pinned: folding the scales first ((float)S * (s_w * s_x)) differs on some inputs', () => {
    const rng = new Rng(9);
    let differ = 0;
    for (let t = 0; t < 300; t++) {
      // |sumi| >= 8192, where (float)sumi * d_x is no longer exact in binary32.
      const q = Array.from({ length: 32 }, () => 12 + rng.below(4));
      const x = Array.from({ length: 32 }, () => 64 + rng.below(64));
      const [s, sx] = [near(rng, fp16, -6, 4), near(rng, fp16, -7, 3)];
      const got = groupDot({ datapath: 'int_then_scale', activation: 'int8', groupSize: 32, lanes: 8, q, x, scales: [s], zeros: [8], xScales: [sx] });
      const S = q.reduce((a, qi, i) => a + (qi - 8) * x[i]!, 0);
      if (got !== bitsOf(Math.fround(S * Math.fround(refDecode(fp16, s) * refDecode(fp16, sx))))) differ++;
    }
    expect(differ).toBeGreaterThan(10);
  });
});

describe('dequant_fp (AWQ order)', () => {
  test('every (q, z) pair with 24 scales: w = fp16((q - z) * s) is (q - z) * s rounded once to fp16', () => {
    // Reference rounding to fp16 by search: the fp16 code nearest to the binary64 product (exact), ties to even.
    const fp16Values = Array.from({ length: 0x7c00 }, (_, c) => refDecode(fp16, c));
    const nearestFp16 = (v: number): number => {
      if (v === 0) return 0; // fma(q - z, s, +0): an exact zero is +0
      const a = Math.abs(v);
      let lo = 0;
      let hi = 0x7bff;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (fp16Values[mid]! <= a) lo = mid; else hi = mid - 1; }
      let c = lo;
      if (lo < 0x7bff) {
        const [d0, d1] = [a - fp16Values[lo]!, fp16Values[lo + 1]! - a];
        if (d1 < d0 || (d1 === d0 && lo % 2 === 1)) c = lo + 1;
      } else if (a >= 65520) c = 0x7c00;
      return v < 0 ? c + 0x8000 : c;
    };
    const rng = new Rng(3);
    const scales = [0x3c00, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x1555, ...Array.from({ length: 18 }, () => near(rng, fp16, -6, 8))];
    for (const s of scales) for (let q = 0; q < 16; q++) for (let z = 0; z < 16; z++) {
      expect(dequantWeightFp16(q, z, s)).toBe(nearestFp16((q - z) * refDecode(fp16, s)));
    }
  });

  test('lanes = 1 is a chain of fp32 fmas: fp16 weights and activations, products exact in binary64', () => {
    const rng = new Rng(4);
    for (let t = 0; t < 50; t++) {
      const q = Array.from({ length: 64 }, () => rng.below(16));
      const x = Array.from({ length: 64 }, () => near(rng, fp16, 0, 5));
      const scales = [near(rng, fp16, -6, 4), near(rng, fp16, -6, 4)];
      const zeros = [rng.below(16), rng.below(16)];
      let acc = 0;
      for (let i = 0; i < 64; i++) {
        const w = valueToNumber(decodeFloat(fp16, dequantWeightFp16(q[i]!, zeros[i >> 5]!, scales[i >> 5]!)));
        // w * x has at most 22 significant bits and acc 24; with these magnitudes (within 2^±20 of 1)
        // acc + w * x is exact in binary64, so fround is the one rounding of the fma.
        const p = w * refDecode(fp16, x[i]!);
        acc = Math.fround(acc + p);
      }
      const got = groupDot({ datapath: 'dequant_fp', activation: 'fp16', groupSize: 32, lanes: 1, q, x, scales, zeros });
      expect(got).toBe(bitsOf(acc));
    }
  });
});

describe('FP8 two-level accumulator vs a binary64 recomputation', () => {
  const refDot = (a: number[], b: number[], fa: typeof fp8_e4m3, fb: typeof fp8_e4m3, L: number, W: number, N: number): number => {
    let acc = 0;
    let P = 0;
    for (let k = 0; k < a.length; k += L) {
      const terms = [P, ...a.slice(k, k + L).map((x, i) => refDecode(fa, x) * refDecode(fb, b[k + i]!))];
      const nz = terms.filter((t) => t !== 0);
      if (nz.length > 0) {
        const E = Math.max(...nz.map((t) => Math.floor(Math.log2(Math.abs(t)))));
        const quantum = 2 ** (E - W + 1);
        P = terms.reduce((s, t) => s + Math.sign(t) * Math.floor(Math.abs(t) / quantum) * quantum, 0);
      }
      if (k + L === a.length || (N > 0 && (k + L) % N === 0)) { acc = Math.fround(acc + P); P = 0; }
    }
    return bitsOf(acc);
  };
  for (const [fa, fb, L, W, N] of [[fp8_e4m3, fp8_e4m3, 4, 14, 32], [fp8_e5m2, fp8_e4m3, 8, 12, 0], [fp8_e4m3, fp8_e5m2, 2, 20, 16]] as const) {
    test(`${fa.name} x ${fb.name}, lanes ${L}, ${W} bits, promote every ${N}: 60 random dot products of 128`, () => {
      const rng = new Rng(7);
      const finite = (f: typeof fp8_e4m3): number => { for (;;) { const c = rng.below(256); if (Number.isFinite(refDecode(f, c))) return c; } };
      for (let t = 0; t < 60; t++) {
        const a = Array.from({ length: 128 }, () => finite(fa));
        const b = Array.from({ length: 128 }, () => finite(fb));
        expect(fp8AccDot(a, b, fa, fb, { lanes: L, alignBits: W, promoteEvery: N })).toBe(refDot(a, b, fa, fb, L, W, N));
      }
    });
  }

  test('the alignment width matters: 14 bits and an exact accumulator differ on most long dot products', () => {
    const rng = new Rng(8);
    let differ = 0;
    for (let t = 0; t < 30; t++) {
      const a = Array.from({ length: 512 }, () => rng.below(0x7e));
      const b = Array.from({ length: 512 }, () => rng.below(0x7e) + (rng.below(2) ? 0x80 : 0));
      if (fp8AccDot(a, b, fp8_e4m3, fp8_e4m3, { lanes: 4, alignBits: 14, promoteEvery: 0 }) !== fp8AccDot(a, b, fp8_e4m3, fp8_e4m3, { lanes: 4, alignBits: 60, promoteEvery: 0 })) differ++;
    }
    expect(differ).toBeGreaterThan(15);
  });

  test('alignTruncSum truncates toward zero and keeps specials', () => {
    const v = (x: number) => ({ kind: 'finite' as const, neg: x < 0, sig: BigInt(Math.abs(x)), exp: 0 });
    // Largest term 1000 (top bit 2^9) with 4 bits: quantum 2^6; -100 truncates to -64, 63 to 0.
    expect(valueToNumber(alignTruncSum([v(1000), v(-100), v(63)], 4))).toBe(960 - 64);
    expect(alignTruncSum([v(1), { kind: 'inf', neg: true }], 4)).toEqual({ kind: 'inf', neg: true });
    expect(alignTruncSum([{ kind: 'inf', neg: false }, { kind: 'inf', neg: true }], 4).kind).toBe('nan');
    expect(fp32.width).toBe(32);
  });
});
