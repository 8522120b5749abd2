/**
 * MatMulNBits (com.microsoft, onnxruntime contrib op): Y = A · dequant(B)ᵀ with B int4
 * block-quantized along K (`sim/golden/llm/matmul-nbits.ts` has the layout and the exact golden
 * model). Lowered to a group layer that runs on generated `group_gemm` hardware in the `dequant_fp`
 * datapath (W4A16, AWQ order) with fp16 activations and scales: A and the scales are rounded to fp16
 * (`sim/golden/llm/matmul-nbits-fp16.ts`), B's codes and zero points are used as stored, K is padded
 * to whole blocks with zero activations. The layer's golden output is the `group_dot` golden model on
 * those operands, which the hardware must equal bit for bit. onnxruntime computes in fp32 in its own
 * order, so the golden output is compared with it within a per-element bound: the fp16 hardware's
 * distance to the exact value (`fp16HardwareErrorBound`) plus onnxruntime's (`ortErrorBound`).
 * Supported: bits 4, block_size 16..256, float32 A and scales, optional uint8 zero points,
 * accuracy_level 0 or 1 (fp32 compute); no g_idx, no bias; A, scales and dequantized weights within
 * fp16's range.
 */
import { MATMUL_NBITS_BLOCK_SIZES, kBlocks, ortErrorBound, type MatMulNBitsWeights } from '../../sim/golden/llm/matmul-nbits.ts';
import { fp16HardwareErrorBound, fp16ScaleCodes, FP16_MAX, toFp16Code } from '../../sim/golden/llm/matmul-nbits-fp16.ts';
import { unpackMatMulNBitsWeights, unpackMatMulNBitsZeroPoints, type GroupGemmSpec } from '../../sim/layers/group-gemm.ts';
import { envGet, type GroupLayer } from '../layer.ts';
import type { LowerContext } from '../lower-context.ts';
import type { OnnxNode } from '../model.ts';
import type { Tensor } from '../tensor.ts';
import type { OpEntry } from './op-entry.ts';

/** The per-element bound of each golden output tensor, recorded when it is computed. */
const boundOf = new WeakMap<Tensor, Float64Array>();

const TOLERANCE_WHY = 'onnxruntime computes in fp32 in its own order, the hardware in fp16 operands (A and scales rounded, w = fp16((q-zp)*s)) with fp32 accumulation: per element |y - ort| <= fp16HardwareErrorBound + ortErrorBound (both about the exact sum; docs/llm-formats.md)';

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

/** The weight half of the group_gemm spec (constant): B unpacked, fp16 scale codes, zero points. */
function weightSpec(ctx: LowerContext, node: OnnxNode, w: MatMulNBitsWeights): Omit<GroupGemmSpec, 'm' | 'activations'> {
  const nb = kBlocks(w);
  let scales: Uint16Array;
  try {
    scales = fp16ScaleCodes(w);
  } catch (e) {
    if (e instanceof RangeError) throw ctx.error(node, `${e.message}; the group_gemm hardware takes fp16 scales and weights`);
    throw e;
  }
  return {
    k: w.k, n: w.n, groupSize: w.blockSize, datapath: 'dequant_fp', activation: 'fp16',
    weights: unpackMatMulNBitsWeights(w.b, w.n, nb, w.blockSize), scales,
    ...(w.zeroPoints ? { zeroPoints: unpackMatMulNBitsZeroPoints(w.zeroPoints, w.n, nb) } : {}),
  };
}

/** A (M × K binary32) as fp16 codes; an element beyond fp16's range is a user error naming it. */
function fp16Activations(ctx: LowerContext, node: OnnxNode, name: string, a: Float32Array): Uint16Array {
  const out = new Uint16Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const c = toFp16Code(a[i]!);
    if (c === undefined) throw ctx.error(node, `input '${name}' element ${i} = ${a[i]} is outside fp16's range (|x| <= ${FP16_MAX}); the group_gemm hardware takes fp16 activations`);
    out[i] = c;
  }
  return out;
}

export const matMulNBitsOp: OpEntry = {
  opType: 'MatMulNBits',
  domain: 'com.microsoft',
  supports: 'bits 4, block_size 16..256, float32 A and scales (within fp16 range), optional uint8 zero points, accuracy_level 0/1; runs on group_gemm (dequant_fp, fp16), compared with onnxruntime within a stated bound',
  lower(ctx, node): GroupLayer {
    const w = weightsOf(ctx, node);
    const ws = weightSpec(ctx, node, w);
    const a = ctx.inputName(node, 0)!;
    return {
      kind: 'group', name: node.name, op: 'MatMulNBits', inputs: [a], output: node.outputs[0]!,
      formats: `float32 x int4 (block ${w.blockSize}${w.zeroPoints ? ', zero points' : ''}) -> float32; on hardware fp16 x fp16((q-zp)*s) -> fp32`,
      plan(env) {
        const x = envGet(env, a);
        if (x.dtype !== 'float32' || x.dims.at(-1) !== w.k) throw ctx.error(node, `A must be float32 with last dimension K = ${w.k}, got ${x.dtype} [${x.dims.join(', ')}]`);
        const ad = x.data as Float32Array;
        const m = ad.length / w.k;
        const spec: GroupGemmSpec = { ...ws, m, activations: fp16Activations(ctx, node, a, ad) };
        const dims = [...x.dims.slice(0, -1), w.n];
        return {
          spec,
          assemble(codes: Uint32Array): Tensor {
            const y: Tensor = { dtype: 'float32', dims, data: new Float32Array(codes.buffer.slice(codes.byteOffset, codes.byteOffset + codes.byteLength)) };
            const bound = new Float64Array(m * w.n);
            for (let i = 0; i < m; i++) for (let c = 0; c < w.n; c++) bound[i * w.n + c] = fp16HardwareErrorBound(ad, w, i, c) + ortErrorBound(ad, w, i, c);
            boundOf.set(y, bound);
            return y;
          },
        };
      },
      tolerance: { absolute: (golden: Tensor) => boundOf.get(golden) ?? new Float64Array(golden.data.length), why: TOLERANCE_WHY },
    };
  },
};
