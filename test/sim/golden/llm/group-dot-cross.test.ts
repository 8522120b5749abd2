/**
 * Two independent implementations of the same arithmetic must agree on random inputs:
 * - `matmulW4A16` (sim/golden/llm: binary64 numbers, `roundNumberToFormat` for the fp16 dequant,
 *   `Math.fround` per fp32 sum) and the `group_dot` golden model in `dequant_fp` with one lane
 *   (sim/golden/accel: `floatFma` in fp16 and `dotTree` on exact float values);
 * - `matmulW4A8` and `group_dot` in `int_then_scale` with int8 activations.
 * The inputs reach every fp16 exponent, subnormal scales and activations, large scales whose
 * products overflow fp16, and Inf/NaN activations. The lanes = 4 tree order is shown to differ
 * from the sequential one on the same inputs, so the comparison is sharp enough to see an order.
 */
import { describe, expect, it } from 'vitest';
import { groupDot } from '../../../../sim/golden/accel/group-dot.ts';
import { groupCount, matmulW4A16, type Int4GroupWeights } from '../../../../sim/golden/llm/group-weights.ts';
import { matmulW4A8, quantizeActivationsInt8 } from '../../../../sim/golden/llm/w4a8.ts';
import { Rng } from '../../../../sim/random.ts';

const rng = new Rng(1414);

/** A random fp16 code: finite over all exponents, 10% zero or subnormal, with `special` 1 in 500 Inf or NaN. */
function fp16Code(special: boolean): number {
  const sign = rng.below(2) << 15;
  const r = rng.below(1000);
  if (special && r === 0) return sign | 0x7c00; // ±Inf
  if (special && r === 1) return 0x7e00 | rng.below(0x200); // NaN
  if (r < 100) return sign | rng.below(0x400); // zero or subnormal
  return sign | ((1 + rng.below(30)) << 10) | rng.below(0x400);
}

/** A positive fp16 scale: 90% in [2^-14, 1) as checkpoints have, 10% anywhere (overflowing (q − z)·s to Inf). */
function scaleCode(): number {
  return rng.below(10) === 0 ? fp16Code(false) & 0x7fff : ((1 + rng.below(14)) << 10) | rng.below(0x400);
}

function randomWeights(k: number, n: number, groupSize: number): Int4GroupWeights {
  const g = Math.ceil(k / groupSize);
  return {
    k, n, groupSize,
    codes: Uint8Array.from({ length: k * n }, () => rng.below(16)),
    scales: Uint16Array.from({ length: g * n }, scaleCode),
    zeros: Uint8Array.from({ length: g * n }, () => rng.below(16)),
  };
}

/** Column c of W (K codes), its scales and zero points per group. */
function column(w: Int4GroupWeights, c: number): { q: number[]; scales: number[]; zeros: number[] } {
  const g = groupCount(w);
  return {
    q: Array.from({ length: w.k }, (_, r) => w.codes[r * w.n + c]!),
    scales: Array.from({ length: g }, (_, j) => w.scales[j * w.n + c]!),
    zeros: Array.from({ length: g }, (_, j) => w.zeros[j * w.n + c]!),
  };
}

const bits = (y: Float32Array, i: number) => new Uint32Array(y.buffer, y.byteOffset, y.length)[i]!;
/** Same fp32 code, except that any two NaNs match (matmulW4A16's NaN is whatever binary64 gives). */
const same = (a: number, b: number) => a === b || ((a & 0x7fffffff) > 0x7f800000 && (b & 0x7fffffff) > 0x7f800000);

describe('group_dot golden vs the sim/golden/llm layers (independent implementations)', () => {
  for (const groupSize of [32, 64, 128]) {
    it(`dequant_fp, fp16 activations, one lane = matmulW4A16 (group ${groupSize})`, () => {
      const [m, k, n] = [3, 2 * groupSize, 6];
      const w = randomWeights(k, n, groupSize);
      const x = Uint16Array.from({ length: m * k }, () => fp16Code(true));
      const y = matmulW4A16(x, m, w);
      let treeDiffers = 0;
      let finite = 0;
      for (let i = 0; i < m; i++) {
        const xs = Array.from(x.subarray(i * k, (i + 1) * k));
        for (let c = 0; c < n; c++) {
          const col = column(w, c);
          const hw = groupDot({ datapath: 'dequant_fp', activation: 'fp16', groupSize, lanes: 1, x: xs, ...col });
          expect(same(hw, bits(y, i * n + c)), `m ${i}, n ${c}: group_dot ${hw.toString(16)}, matmulW4A16 ${bits(y, i * n + c).toString(16)}`).toBe(true);
          if ((hw & 0x7f800000) !== 0x7f800000) finite++;
          if (!same(groupDot({ datapath: 'dequant_fp', activation: 'fp16', groupSize, lanes: 4, x: xs, ...col }), hw)) treeDiffers++;
        }
      }
      expect(finite).toBeGreaterThan((m * n) / 2);
      if (groupSize === 32) expect(treeDiffers).toBeGreaterThan(0);
    });
  }

  it('int_then_scale, int8 activations = matmulW4A8 (groups 32, 64, 128)', () => {
    for (const groupSize of [32, 64, 128]) {
      const [m, k, n] = [2, 2 * groupSize, 5];
      const w = randomWeights(k, n, groupSize);
      const xf = Float32Array.from({ length: m * k }, () => (rng.below(2001) - 1000) * 2 ** (rng.below(20) - 14));
      const xa = quantizeActivationsInt8(xf, m, k, groupSize);
      const y = matmulW4A8(xa, w);
      const g = groupCount(w);
      for (let i = 0; i < m; i++) {
        for (let c = 0; c < n; c++) {
          const hw = groupDot({
            datapath: 'int_then_scale', activation: 'int8', groupSize, lanes: 8, x: Array.from(xa.codes.subarray(i * k, (i + 1) * k)),
            xScales: Array.from(xa.scales.subarray(i * g, (i + 1) * g)), ...column(w, c),
          });
          expect(same(hw, bits(y, i * n + c)), `group ${groupSize}, m ${i}, n ${c}`).toBe(true);
        }
      }
    }
  });
});
