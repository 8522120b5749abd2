/**
 * A one-node MatMulNBits model (com.microsoft, bits 4) written with npugen's ONNX writer, and random
 * weights in onnxruntime's layout (padding nibbles past K zero, the unused high nibble of an odd
 * block count's last zero-point byte zero, as onnxruntime's quantizer writes them).
 */
import { tensor } from '../../onnx/tensor.ts';
import { encodeOnnxModel, type AttrSpec } from '../../onnx/write.ts';
import { kBlocks, type MatMulNBitsWeights } from '../../sim/golden/llm/matmul-nbits.ts';
import type { Rng } from '../../sim/random.ts';

export function matMulNBitsModel(w: MatMulNBitsWeights, aDims: readonly number[], extraAttrs: Readonly<Record<string, AttrSpec>> = {}): Uint8Array {
  const nb = kBlocks(w);
  return encodeOnnxModel({
    name: 'matmul_nbits',
    inputs: [{ name: 'a', dtype: 'float32', dims: aDims }],
    outputs: [{ name: 'y', dtype: 'float32', dims: [...aDims.slice(0, -1), w.n] }],
    initializers: {
      b: tensor('uint8', [w.n, nb, w.blockSize / 2], w.b),
      scales: tensor('float32', [w.n * nb], w.scales),
      ...(w.zeroPoints ? { zp: tensor('uint8', [w.zeroPoints.length], w.zeroPoints) } : {}),
    },
    nodes: [{
      op: 'MatMulNBits', name: 'mmnb', domain: 'com.microsoft', inputs: ['a', 'b', 'scales', ...(w.zeroPoints ? ['zp'] : [])], outputs: ['y'],
      attrs: { K: { i: w.k }, N: { i: w.n }, bits: { i: 4 }, block_size: { i: w.blockSize }, ...extraAttrs },
    }],
  });
}

export function randomMatMulNBits(rng: Rng, k: number, n: number, blockSize: number, zeroPoints: boolean): MatMulNBitsWeights {
  const nb = Math.ceil(k / blockSize);
  const b = Uint8Array.from({ length: n * nb * (blockSize / 2) }, () => rng.below(256));
  for (let c = 0; c < n; c++) for (let kk = k; kk < nb * blockSize; kk++) b[(c * nb + Math.floor(kk / blockSize)) * (blockSize / 2) + ((kk % blockSize) >> 1)]! &= kk % 2 === 0 ? 0xf0 : 0x0f;
  const scales = Float32Array.from({ length: n * nb }, () => Math.fround((0.5 + rng.below(1000) / 1000) * 2 ** (rng.below(8) - 10)));
  const w: MatMulNBitsWeights = { k, n, blockSize, b, scales };
  if (!zeroPoints) return w;
  const zp = Uint8Array.from({ length: n * Math.ceil(nb / 2) }, () => rng.below(256));
  if (nb % 2 === 1) for (let c = 0; c < n; c++) zp[c * Math.ceil(nb / 2) + (nb >> 1)]! &= 0x0f;
  return { ...w, zeroPoints: zp };
}
