/**
 * AWQ / GPTQ / MatMulNBits layouts and AWQ-order dequantization, against hand-computed words from the
 * papers' and runtimes' layouts and against exact rational recomputation.
 */
import { describe, expect, it } from 'vitest';
import { roundToBinary32 } from '../../../../sim/golden/accel/binary32.ts';
import { decodeFloat, exactAdd, exactMul, fp16, fp32, roundToFormat, valueFromNumber, valueFromRational, valueToRational } from '../../../../sim/golden/float/index.ts';
import { fp32ToNumber } from '../../../../sim/golden/float/fast.ts';
import { Rational } from '../../../../sim/golden/rational.ts';
import { AWQ_ORDER, packAwq, unpackAwq } from '../../../../sim/golden/llm/awq-pack.ts';
import { actOrderGIdx, packGptq, sortRowsByGroup, unpackGptq } from '../../../../sim/golden/llm/gptq-pack.ts';
import { dequantAwq, matmulW4A16, type Int4GroupWeights } from '../../../../sim/golden/llm/group-weights.ts';
import { dequantMatMulNBits, exactDotFp32, nbitsCode, nbitsZero, toMatMulNBits, type MatMulNBitsWeights } from '../../../../sim/golden/llm/matmul-nbits.ts';
import { Rng } from '../../../../sim/random.ts';

/** Random int4 group weights; scales are random positive fp16 codes in [2^-10, 2^4). */
function randomWeights(rng: Rng, k: number, n: number, groupSize: number, zeroMin = 0): Int4GroupWeights {
  const g = Math.ceil(k / groupSize);
  return {
    k, n, groupSize,
    codes: Uint8Array.from({ length: k * n }, () => rng.below(16)),
    scales: Uint16Array.from({ length: g * n }, () => 0x1800 + rng.below(0x3400)),
    zeros: Uint8Array.from({ length: g * n }, () => zeroMin + rng.below(16 - zeroMin)),
  };
}
const fp16Rat = (c: number) => valueToRational(decodeFloat(fp16, c));

describe('AWQ packing', () => {
  it('packs columns in the order [0, 2, 4, 6, 1, 3, 5, 7] (hand-computed word)', () => {
    // Row 0, columns 0..7 have codes 1..8: nibble i holds column AWQ_ORDER[i], so nibbles 0..7 are
    // 1, 3, 5, 7, 2, 4, 6, 8 and the word reads 0x86427531 from the top nibble down.
    const w: Int4GroupWeights = { k: 1, n: 8, groupSize: 1, codes: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), scales: new Uint16Array(8).fill(0x3c00), zeros: Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7) };
    const t = packAwq(w);
    expect(t.qweight[0]! >>> 0).toBe(0x86427531);
    expect(t.qzeros[0]! >>> 0).toBe(0x75316420);
    expect(AWQ_ORDER).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
  });
  it('round-trips random layers and rejects shapes it cannot pack', () => {
    const rng = new Rng(3);
    const w = randomWeights(rng, 64, 24, 32);
    expect(unpackAwq(packAwq(w), 64, 24, 32)).toEqual(w);
    expect(() => packAwq(randomWeights(rng, 64, 12, 32))).toThrow(/multiple of 8/);
    expect(() => packAwq({ ...w, gIdx: new Int32Array(64) })).toThrow(/act-order/);
  });
});

describe('GPTQ packing', () => {
  it('packs rows sequentially along K; zero points v1 = z − 1, v2 = z (hand-computed words)', () => {
    const codes = new Uint8Array(8 * 8);
    for (let r = 0; r < 8; r++) codes[r * 8] = r + 1; // column 0: rows 0..7 = 1..8
    const w: Int4GroupWeights = { k: 8, n: 8, groupSize: 8, codes, scales: new Uint16Array(8).fill(0x3c00), zeros: new Uint8Array(8).fill(8) };
    expect(packGptq(w, 1).qweight[0]! >>> 0).toBe(0x87654321);
    expect(packGptq(w, 1).qzeros[0]! >>> 0).toBe(0x77777777);
    expect(packGptq(w, 2).qzeros[0]! >>> 0).toBe(0x88888888);
  });
  it('round-trips both versions; v1 refuses z = 0 and rejects a stored 15 on reading', () => {
    const rng = new Rng(4);
    const w = randomWeights(rng, 64, 16, 32, 1);
    for (const v of [1, 2] as const) expect(unpackGptq(packGptq(w, v), 64, 16, 32, v)).toEqual(w);
    const z0 = { ...w, zeros: w.zeros.map((z, i) => (i === 5 ? 0 : z)) };
    expect(() => packGptq(z0, 1)).toThrow(/cannot hold the zero point 0 \(group 0, column 5\)/);
    expect(() => unpackGptq(packGptq({ ...w, zeros: w.zeros.fill(15) }, 2), 64, 16, 32, 1)).toThrow(/v2/);
  });
  it('reading v1 tensors as v2 shifts every weight by one scale step (the vLLM #38966 symptom)', () => {
    const rng = new Rng(5);
    const w = randomWeights(rng, 32, 8, 32, 1);
    const wrong = unpackGptq(packGptq(w, 1), 32, 8, 32, 2);
    const [a, b] = [dequantAwq(w), dequantAwq(wrong)];
    for (let i = 0; i < a.length; i++) {
      const s = fp16Rat(w.scales[i % 8]!);
      // (q − (z − 1))·s = (q − z)·s + s before rounding; each rounding moves a value of at most 16·s by
      // at most 2^-11 of it, so the decoded weights differ by s within s/64.
      expect(fp16Rat(b[i]!).sub(fp16Rat(a[i]!)).sub(s).abs().le(s.mulPow2(-6))).toBe(true);
    }
  });
  it('act-order: g_idx from a permutation; sorting rows by group gives the same products', () => {
    const rng = new Rng(6);
    const k = 64;
    const perm = Array.from({ length: k }, (_, i) => i);
    for (let i = k - 1; i > 0; i--) { const j = rng.below(i + 1); [perm[i], perm[j]] = [perm[j]!, perm[i]!]; }
    const gIdx = actOrderGIdx(perm, 16);
    expect(gIdx[perm[0]!]).toBe(0);
    expect(gIdx[perm[16]!]).toBe(1);
    const w = { ...randomWeights(rng, k, 8, 16, 1), gIdx };
    expect(unpackGptq(packGptq(w, 2), k, 8, 16, 2)).toEqual(w);
    const { weights: sorted, perm: rows } = sortRowsByGroup(w);
    const [d0, d1] = [dequantAwq(w), dequantAwq(sorted)];
    for (let i = 0; i < k; i++) expect(Array.from(d1.subarray(i * 8, i * 8 + 8))).toEqual(Array.from(d0.subarray(rows[i]! * 8, rows[i]! * 8 + 8)));
    // Without g_idx the same codes dequantize with the wrong groups' scales (exllama #32).
    const ignored = dequantAwq({ ...w, gIdx: undefined as never });
    expect(Array.from(ignored)).not.toEqual(Array.from(d0));
  });
});

describe('AWQ-order dequantization', () => {
  it('every (q, z) with random scales equals fp16(rne((q − z)·s)) computed exactly; q·s − z·s differs', () => {
    const rng = new Rng(8);
    let reordered = 0;
    for (let t = 0; t < 24; t++) {
      const s = t < 4 ? [0x0001, 0x03ff, 0x7bff, 0x3c00][t]! : 1 + rng.below(0x7bff);
      const w: Int4GroupWeights = { k: 16, n: 16, groupSize: 16, codes: Uint8Array.from({ length: 256 }, (_, i) => i >> 4), scales: new Uint16Array(16).fill(s), zeros: Uint8Array.from({ length: 16 }, (_, i) => i) };
      const d = dequantAwq(w);
      for (let i = 0; i < 256; i++) {
        const [q, z] = [i >> 4, i & 15];
        const exact = Rational.fromInt(q - z).mul(fp16Rat(s));
        const want = q === z ? 0 : roundToFormat(fp16, valueFromRational(exact));
        expect(d[i], `q ${q} z ${z} s 0x${s.toString(16)}`).toBe(want);
        const qs = roundToFormat(fp16, valueFromRational(Rational.fromInt(q).mul(fp16Rat(s))));
        const zs = roundToFormat(fp16, valueFromRational(Rational.fromInt(z).mul(fp16Rat(s))));
        const alt = roundToFormat(fp16, exactAdd(decodeFloat(fp16, qs), decodeFloat(fp16, zs ^ 0x8000)));
        if (alt !== want && !(q === z)) reordered++;
      }
    }
    expect(reordered).toBeGreaterThan(40);
  });
  it('matmulW4A16 equals an fp32 accumulation built from the exact float path', () => {
    const rng = new Rng(9);
    const w = randomWeights(rng, 32, 4, 16);
    const x = Uint16Array.from({ length: 2 * 32 }, () => (rng.below(2) << 15) | (0x2000 + rng.below(0x2800)));
    const y = matmulW4A16(x, 2, w);
    const d = dequantAwq(w);
    for (let i = 0; i < 2; i++) {
      for (let c = 0; c < 4; c++) {
        let acc = valueFromNumber(0);
        for (let r = 0; r < 32; r++) {
          const p = exactMul(decodeFloat(fp16, x[i * 32 + r]!), decodeFloat(fp16, d[r * 4 + c]!));
          acc = decodeFloat(fp32, roundToFormat(fp32, exactAdd(acc, p)));
        }
        expect(Object.is(y[i * 4 + c], valueToRational(acc).toNumber()) || (y[i * 4 + c] === 0 && acc.kind === 'zero')).toBe(true);
      }
    }
  });
});

describe('MatMulNBits layout', () => {
  it('element 2i in the low nibble, 2i+1 in the high nibble; zero points two blocks per byte (hand-built bytes)', () => {
    // K = 40, block 16: 3 blocks per row (the last one padded), 8 bytes per block.
    const b = new Uint8Array(2 * 3 * 8);
    b[0] = 0x21; // row 0: k0 = 1, k1 = 2
    b[8 + 7] = 0xf0; // row 0, block 1, byte 7: k = 16 + 14 = 30 -> 0, k = 31 -> 15
    b[24 + 16 + 3] = 0x09; // row 1, block 2, byte 3: k = 32 + 6 = 38 -> 9
    const w: MatMulNBitsWeights = { k: 40, n: 2, blockSize: 16, b, scales: Float32Array.of(1, 0.5, 0.25, 2, 4, 8), zeroPoints: Uint8Array.of(0x31, 0x05, 0x00, 0x0f) };
    expect([nbitsCode(w, 0, 0), nbitsCode(w, 0, 1), nbitsCode(w, 0, 30), nbitsCode(w, 0, 31), nbitsCode(w, 1, 38)]).toEqual([1, 2, 0, 15, 9]);
    expect([nbitsZero(w, 0, 0), nbitsZero(w, 0, 1), nbitsZero(w, 0, 2), nbitsZero(w, 1, 2)]).toEqual([1, 3, 5, 15]);
    const d = dequantMatMulNBits(w);
    expect([d[0], d[1], d[31], d[40 + 38]]).toEqual([0, 1, (15 - 3) * 0.5, (9 - 15) * 8]);
    expect(dequantMatMulNBits({ ...w, zeroPoints: undefined as never })[1]).toBe(-6); // default zero point 8
  });
  it('toMatMulNBits keeps every code, scale and zero point of AWQ/GPTQ weights', () => {
    const rng = new Rng(10);
    for (const gs of [16, 32, 64, 128, 256]) {
      const w = randomWeights(rng, 256, 3, gs);
      const m = toMatMulNBits(w);
      const d = dequantMatMulNBits(m);
      for (let r = 0; r < 256; r += 7) {
        for (let c = 0; c < 3; c++) {
          const g = Math.floor(r / gs);
          expect(nbitsCode(m, c, r)).toBe(w.codes[r * 3 + c]);
          expect(nbitsZero(m, c, g)).toBe(w.zeros[g * 3 + c]);
          const exact = Rational.fromInt(w.codes[r * 3 + c]! - w.zeros[g * 3 + c]!).mul(fp16Rat(w.scales[g * 3 + c]!));
          const want = roundToBinary32(exact);
          expect(Rational.fromNumber(d[c * 256 + r]!).eq(want as Rational)).toBe(true);
        }
      }
    }
  });
  it('exactDotFp32 is the exact sum rounded once (against rationals), with cancellation', () => {
    const rng = new Rng(11);
    for (let t = 0; t < 200; t++) {
      const len = 1 + rng.below(40);
      const a = Float32Array.from({ length: len }, () => fp32ToNumber(((rng.below(2) << 31) | ((90 + rng.below(70)) << 23) | rng.below(1 << 23)) >>> 0));
      const w = Float32Array.from({ length: len }, () => fp32ToNumber(((rng.below(2) << 31) | ((100 + rng.below(50)) << 23) | rng.below(1 << 23)) >>> 0));
      if (t % 3 === 0) { a[len - 1] = -a[0]!; w[len - 1] = w[0]!; } // an exact cancellation
      const exact = Array.from(a).reduce((s, v, i) => s.add(Rational.fromNumber(v).mul(Rational.fromNumber(w[i]!))), Rational.ZERO);
      const want = roundToBinary32(exact) as Rational;
      expect(Rational.fromNumber(exactDotFp32(a, w)).eq(want)).toBe(true);
    }
  });
});
