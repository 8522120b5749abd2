/**
 * The int4 MLP pipeline of the accuracy benchmark on a small random MLP (no training, to stay fast):
 * AWQ with a one-point grid (α = 0) is RTN; the quantized logits track the float model; dropping the
 * input-side fold of AWQ's scales breaks that (the check can fail).
 */
import { describe, expect, it } from 'vitest';
import { inferInt4, quantizeMlpInt4, type Int4Mlp } from '../../examples/mlp/int4.ts';
import { forward, inputOf, type Mlp } from '../../examples/mlp/train.ts';
import { Rng } from '../../sim/random.ts';

const rng = new Rng(51);
const gauss = () => Math.sqrt(-2 * Math.log((rng.u32() + 1) / 4294967297)) * Math.cos((2 * Math.PI * rng.u32()) / 4294967296);
const model: Mlp = {
  w1: Array.from({ length: 32 }, () => Float64Array.from({ length: 64 }, () => gauss() * 0.2)),
  w2: Array.from({ length: 10 }, () => Float64Array.from({ length: 32 }, () => gauss() * 0.3)),
  b1: Float64Array.from({ length: 32 }, () => gauss() * 0.1),
  b2: Float64Array.from({ length: 10 }, () => gauss() * 0.1),
};
// Images with a few bright pixels (outlier input channels: what AWQ protects).
const image = () => Uint8Array.from({ length: 64 }, (_, i) => (i % 9 === 0 ? 16 : rng.below(4)));
const calib = { images: Array.from({ length: 150 }, image), labels: [] as number[] };
const test = Array.from({ length: 40 }, image);
const fl = test.map((img) => forward(model, inputOf(img)).logits);

function relErr(q: Int4Mlp, path: 'w4a16' | 'w4a8'): number {
  const y = inferInt4(q, test, path);
  let [num, den] = [0, 0];
  fl.forEach((row, i) => row.forEach((v, c) => { num += (y[i * 10 + c]! - v) ** 2; den += v * v; }));
  return num / den;
}

describe('examples/mlp/int4', () => {
  it('AWQ with only α = 0 is RTN', () => {
    const rtn = quantizeMlpInt4(model, calib, { method: 'rtn', scheme: 'asym', groupSize: 32 });
    const awq0 = quantizeMlpInt4(model, calib, { method: 'awq', scheme: 'asym', groupSize: 32, grid: 1 });
    expect(awq0.layers).toEqual(rtn.layers);
    expect(Array.from(inferInt4(awq0, test, 'w4a8'))).toEqual(Array.from(inferInt4(rtn, test, 'w4a8')));
  });
  it('quantized logits track the float model on both datapaths; without the input fold they do not', () => {
    const awq = quantizeMlpInt4(model, calib, { method: 'awq', scheme: 'sym', groupSize: 32, grid: 10 });
    expect(awq.alphas[0]).toBeGreaterThan(0);
    for (const path of ['w4a16', 'w4a8'] as const) expect(relErr(awq, path)).toBeLessThan(0.02);
    const unfolded = { ...awq, inputScales: new Float64Array(64).fill(1) };
    expect(relErr(unfolded, 'w4a16')).toBeGreaterThan(10 * relErr(awq, 'w4a16'));
  });
});
