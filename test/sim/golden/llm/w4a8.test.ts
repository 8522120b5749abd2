/**
 * W4A8 int_then_scale: activation quantization equals ggml's q8_0 (pinned by the conformance vectors)
 * for groups of 32, and the layer equals an exact-arithmetic recomputation of ggml's order.
 */
import { describe, expect, it } from 'vitest';
import { roundToBinary32 } from '../../../../sim/golden/accel/binary32.ts';
import { decodeFloat, fp16, valueToRational } from '../../../../sim/golden/float/index.ts';
import { ggmlQuantizeRow } from '../../../../sim/golden/llm/ggml-blocks.ts';
import type { Int4GroupWeights } from '../../../../sim/golden/llm/group-weights.ts';
import { matmulW4A8, quantizeActivationsInt8 } from '../../../../sim/golden/llm/w4a8.ts';
import { Rational } from '../../../../sim/golden/rational.ts';
import { Rng } from '../../../../sim/random.ts';

const rng = new Rng(41);
const gauss = () => Math.sqrt(-2 * Math.log((rng.u32() + 1) / 4294967297)) * Math.cos((2 * Math.PI * rng.u32()) / 4294967296);

describe('W4A8 (int_then_scale)', () => {
  it('activation groups of 32 are ggml q8_0 blocks (scale bytes and codes)', () => {
    const x = Float32Array.from({ length: 3 * 96 }, () => gauss() * (rng.below(10) === 0 ? 40 : 1));
    const a = quantizeActivationsInt8(x, 3, 96, 32);
    for (let i = 0; i < 3; i++) {
      const q8 = ggmlQuantizeRow('q8_0', x.subarray(i * 96, (i + 1) * 96));
      for (let g = 0; g < 3; g++) {
        const o = g * 34;
        expect(a.scales[i * 3 + g]).toBe(q8[o]! | (q8[o + 1]! << 8));
        expect(Array.from(a.codes.subarray(i * 96 + g * 32, i * 96 + g * 32 + 32))).toEqual(Array.from(new Int8Array(q8.buffer, o + 2, 32)));
      }
    }
  });
  it('the layer equals ggml order ((S·s_w)·s_x, then the sum) in exact arithmetic rounded per operation', () => {
    const [m, k, n, gs] = [2, 128, 3, 64];
    const w: Int4GroupWeights = {
      k, n, groupSize: gs,
      codes: Uint8Array.from({ length: k * n }, () => rng.below(16)),
      scales: Uint16Array.from({ length: 2 * n }, () => 0x1000 + rng.below(0x3000)),
      zeros: Uint8Array.from({ length: 2 * n }, () => rng.below(16)),
    };
    const x = quantizeActivationsInt8(Float32Array.from({ length: m * k }, gauss), m, k, gs);
    const y = matmulW4A8(x, w);
    const r32 = (v: Rational) => roundToBinary32(v) as Rational;
    const h = (c: number) => valueToRational(decodeFloat(fp16, c));
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < n; c++) {
        let acc = Rational.ZERO;
        for (let g = 0; g < 2; g++) {
          let s = 0;
          for (let r = g * gs; r < (g + 1) * gs; r++) s += (w.codes[r * n + c]! - w.zeros[g * n + c]!) * x.codes[i * k + r]!;
          acc = r32(acc.add(r32(r32(Rational.fromInt(s).mul(h(w.scales[g * n + c]!))).mul(h(x.scales[i * 2 + g]!)))));
        }
        expect(Rational.fromNumber(y[i * n + c]!).eq(acc)).toBe(true);
      }
    }
  });
  it('rejects mismatched group sizes', () => {
    const w: Int4GroupWeights = { k: 32, n: 1, groupSize: 32, codes: new Uint8Array(32), scales: new Uint16Array(1), zeros: new Uint8Array(1) };
    expect(() => matmulW4A8(quantizeActivationsInt8(new Float32Array(32), 1, 32, 16), w)).toThrow(/group 16\) do not match weights/);
  });
});
