/**
 * The golden MatMulNBits against real onnxruntime-node (CPU, fp32 compute) within the stated bound
 * (`ortErrorBound`): block sizes 16..256, with and without zero points, K not a multiple of the
 * block, an odd number of blocks (a half-used zero-point byte), AWQ weights converted with
 * toMatMulNBits. A golden model that reads the nibbles of a byte the other way round, or puts the
 * blocks' zero points in the wrong nibbles, leaves the bound (so the check can fail).
 */
import { describe, expect, it } from 'vitest';
import { openOrtSession } from '../../../../onnx/ort.ts';
import { tensor } from '../../../../onnx/tensor.ts';
import { matMulNBitsModel, randomMatMulNBits as randomCase } from '../../../helpers/matmul-nbits-model.ts';
import { kBlocks, matMulNBitsGolden, ortErrorBound, toMatMulNBits, type MatMulNBitsWeights } from '../../../../sim/golden/llm/matmul-nbits.ts';
import { quantizeRtn } from '../../../../sim/golden/llm/rtn.ts';
import { Rng } from '../../../../sim/random.ts';

async function ort(w: MatMulNBitsWeights, a: Float32Array, m: number): Promise<Float32Array> {
  const session = await openOrtSession(matMulNBitsModel(w, [m, w.k]));
  try {
    const out = await session.run(new Map([['a', tensor('float32', [m, w.k], Array.from(a))]]));
    return out.get('y')!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** Largest |ort − golden| / bound over the outputs (<= 1 means within the bound). */
function worstRatio(w: MatMulNBitsWeights, a: Float32Array, m: number, y: Float32Array, golden: MatMulNBitsWeights = w): number {
  const g = matMulNBitsGolden(a, m, golden);
  let worst = 0;
  for (let i = 0; i < m; i++) for (let c = 0; c < w.n; c++) worst = Math.max(worst, Math.abs(y[i * w.n + c]! - g[i * w.n + c]!) / ortErrorBound(a, w, i, c));
  return worst;
}

const swapNibbles = (b: Uint8Array) => b.map((x) => ((x & 15) << 4) | (x >> 4));

describe('MatMulNBits: golden vs onnxruntime-node within γ_(K+4)·Σ|a|(|q|+|zp|)|s|', () => {
  const rng = new Rng(61);
  const cases: [number, number, number, boolean][] = [
    [64, 8, 16, true], [96, 6, 32, true], [128, 5, 64, false], [256, 4, 128, true], [512, 3, 256, true], [72, 7, 32, true], [80, 4, 16, false],
  ];
  for (const [k, n, bs, zps] of cases) {
    it(`K ${k}, N ${n}, block ${bs}, ${zps ? 'with' : 'without'} zero points`, async () => {
      const w = randomCase(rng, k, n, bs, zps);
      const m = 3;
      // Activations of mixed sign and magnitude, so products cancel and the order matters.
      const a = Float32Array.from({ length: m * k }, () => Math.fround((rng.below(2001) - 1000) / 97));
      const y = await ort(w, a, m);
      const ratio = worstRatio(w, a, m, y);
      expect(ratio).toBeLessThanOrEqual(1);
      // The planted layout faults leave the bound by far.
      expect(worstRatio(w, a, m, y, { ...w, b: swapNibbles(w.b) })).toBeGreaterThan(100);
      if (w.zeroPoints && kBlocks(w) > 1) expect(worstRatio(w, a, m, y, { ...w, zeroPoints: swapNibbles(w.zeroPoints) })).toBeGreaterThan(100);
    });
  }
  it('AWQ weights converted with toMatMulNBits (RTN asym, group 32) run in onnxruntime as the golden model says', async () => {
    const [k, n, m] = [128, 8, 4];
    const wf = Float32Array.from({ length: k * n }, () => (rng.below(2001) - 1000) / 5000);
    const w = toMatMulNBits(quantizeRtn(wf, k, n, { groupSize: 32, scheme: 'asym' }));
    const a = Float32Array.from({ length: m * k }, () => (rng.below(2001) - 1000) / 300);
    expect(worstRatio(w, a, m, await ort(w, a, m))).toBeLessThanOrEqual(1);
  });
});
