/**
 * MatMulNBits (com.microsoft, onnxruntime contrib op): Y = A · dequant(B)ᵀ with B int4
 * block-quantized along K (`sim/golden/llm/matmul-nbits.ts` has the layout and the golden model).
 * A host layer: the golden model computes each output as the exact dot product rounded once to fp32;
 * onnxruntime accumulates in fp32 in its own order, so the layer is compared with it within the bound
 * of `ortErrorBound` (its largest value over the output tensor). Supported: bits 4, block_size 16..256,
 * float32 A and scales, optional uint8 zero points, accuracy_level 0 or 1 (fp32 compute); no g_idx,
 * no bias. Running it on `group_gemm` hardware is the next step (docs/llm-formats.md).
 */
import { MATMUL_NBITS_BLOCK_SIZES, matMulNBitsGolden, ortErrorBound, type MatMulNBitsWeights } from '../../sim/golden/llm/matmul-nbits.ts';
import { envGet } from '../layer.ts';
import type { LowerContext } from '../lower-context.ts';
import type { OnnxNode } from '../model.ts';
import { type Tensor, tensor } from '../tensor.ts';
import type { OpEntry } from './op-entry.ts';

/** The largest per-element bound of each golden output tensor, recorded when it is computed. */
const boundOf = new WeakMap<Tensor, number>();

const TOLERANCE_WHY = 'onnxruntime dequantizes and accumulates in fp32 in its own blocked order: |y - golden| <= γ_(K+4)·Σ_k |a_k|(|q_k|+|zp|)|scale| + (K+4)·2^-149 (u = 2^-24; largest over the tensor)';

function weightsOf(ctx: LowerContext, node: OnnxNode): MatMulNBitsWeights {
  const k = ctx.intAttr(node, 'K', 0);
  const n = ctx.intAttr(node, 'N', 0);
  const bits = ctx.intAttr(node, 'bits', 4);
  const blockSize = ctx.intAttr(node, 'block_size', 0);
  const level = ctx.intAttr(node, 'accuracy_level', 0);
  if (bits !== 4) throw ctx.error(node, `bits = ${bits} is not supported (4)`);
  if (k < 1 || n < 1) throw ctx.error(node, `attributes K and N must be positive, got K = ${k}, N = ${n}`);
  if (!MATMUL_NBITS_BLOCK_SIZES.includes(blockSize)) throw ctx.error(node, `block_size = ${blockSize} is not supported (${MATMUL_NBITS_BLOCK_SIZES.join(', ')})`);
  if (level > 1) throw ctx.error(node, `accuracy_level = ${level} lets onnxruntime compute in lower precision (4: int8 activations); npugen compares MatMulNBits with fp32 compute: use accuracy_level 0 or 1`);
  if (ctx.inputName(node, 4) !== undefined) throw ctx.error(node, 'g_idx (input 4) is not supported; sort the rows by group first');
  if (ctx.inputName(node, 5) !== undefined) throw ctx.error(node, 'bias (input 5) is not supported');
  const nb = Math.ceil(k / blockSize);
  const b = ctx.constInput(node, 1, 'B');
  if (b.dtype !== 'uint8' || b.data.length !== n * nb * (blockSize / 2)) throw ctx.error(node, `B must be uint8 [N, ceil(K/block_size), block_size/2] = [${n}, ${nb}, ${blockSize / 2}], got ${b.dtype} [${b.dims.join(', ')}]`);
  const scales = ctx.constInput(node, 2, 'scales');
  if (scales.dtype !== 'float32' || scales.data.length !== n * nb) throw ctx.error(node, `scales must be float32 with N·ceil(K/block_size) = ${n * nb} elements, got ${scales.dtype} [${scales.dims.join(', ')}]`);
  const zp = ctx.optConstInput(node, 3, 'zero_points');
  if (zp !== undefined && (zp.dtype !== 'uint8' || zp.data.length !== n * Math.ceil(nb / 2))) {
    throw ctx.error(node, `zero_points must be packed uint8 with N·ceil(ceil(K/block_size)/2) = ${n * Math.ceil(nb / 2)} elements (float zero points are not supported), got ${zp.dtype} [${zp.dims.join(', ')}]`);
  }
  return { k, n, blockSize, b: b.data as Uint8Array, scales: scales.data as Float32Array, ...(zp ? { zeroPoints: zp.data as Uint8Array } : {}) };
}

export const matMulNBitsOp: OpEntry = {
  opType: 'MatMulNBits',
  domain: 'com.microsoft',
  supports: 'bits 4, block_size 16..256, float32 A and scales, optional uint8 zero points, accuracy_level 0/1; golden only, compared with onnxruntime within a stated fp32 bound',
  lower(ctx, node) {
    const w = weightsOf(ctx, node);
    const a = ctx.inputName(node, 0)!;
    const layer = {
      kind: 'host' as const, name: node.name, op: 'MatMulNBits', inputs: [a], output: node.outputs[0]!,
      formats: `float32 x int4 (block ${w.blockSize}${w.zeroPoints ? ', zero points' : ''}) -> float32`,
      eval(env: ReadonlyMap<string, Tensor>): Tensor {
        const x = envGet(env, a);
        if (x.dtype !== 'float32' || x.dims.at(-1) !== w.k) throw ctx.error(node, `A must be float32 with last dimension K = ${w.k}, got ${x.dtype} [${x.dims.join(', ')}]`);
        const m = x.data.length / w.k;
        const ad = x.data as Float32Array;
        const y = tensor('float32', [...x.dims.slice(0, -1), w.n], matMulNBitsGolden(ad, m, w));
        let bound = 0;
        for (let i = 0; i < m; i++) for (let c = 0; c < w.n; c++) bound = Math.max(bound, ortErrorBound(ad, w, i, c));
        boundOf.set(y, bound);
        return y;
      },
      tolerance: { absolute: (golden: Tensor) => boundOf.get(golden) ?? 0, why: TOLERANCE_WHY },
    };
    return layer;
  },
};
