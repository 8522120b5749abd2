/**
 * Reshape, Flatten and Transpose. Reshape and Flatten only reinterpret dims (exact for any input);
 * Transpose is folded when its input is a constant (a weight laid out for the GEMM).
 */
import { envGet } from '../layer.ts';
import type { LowerContext } from '../lower-context.ts';
import type { OnnxNode } from '../model.ts';
import { type Tensor, allocData, numberAt, sizeOf } from '../tensor.ts';
import type { OpEntry } from './op-entry.ts';

function reshapeDims(ctx: LowerContext, node: OnnxNode, inDims: readonly number[], shape: readonly number[]): number[] {
  const allowZero = ctx.intAttr(node, 'allowzero', 0) === 1;
  const dims = shape.map((d, i) => (d === 0 && !allowZero ? inDims[i] ?? 0 : d));
  const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const total = sizeOf(inDims);
  const neg = dims.indexOf(-1);
  if (neg >= 0) dims[neg] = known === 0 ? 0 : total / known;
  if (sizeOf(dims) !== total || !dims.every(Number.isInteger)) throw ctx.error(node, `cannot reshape [${inDims.join(', ')}] to [${shape.join(', ')}]`);
  return dims;
}

function flattenDims(ctx: LowerContext, node: OnnxNode, inDims: readonly number[]): number[] {
  let axis = ctx.intAttr(node, 'axis', 1);
  if (axis < 0) axis += inDims.length;
  return [sizeOf(inDims.slice(0, axis)), sizeOf(inDims.slice(axis))];
}

/** A shape op: folded for a constant input, else a host layer that re-labels dims. */
function shapeOp(opType: string, supports: string, dimsOf: (ctx: LowerContext, node: OnnxNode, inDims: readonly number[]) => number[]): OpEntry {
  return {
    opType, domain: '', supports,
    lower(ctx, node) {
      const x = ctx.inputName(node, 0)!;
      const out = node.outputs[0]!;
      const c = ctx.constants.get(x);
      if (c !== undefined) {
        ctx.constants.set(out, { ...c, dims: dimsOf(ctx, node, c.dims) });
        return 'folded';
      }
      const relabel = (t: Tensor): Tensor => ({ ...t, dims: dimsOf(ctx, node, t.dims) });
      return { kind: 'host', name: node.name, op: opType, inputs: [x], output: out, formats: 'any (dims only)', eval: (env) => relabel(envGet(env, x)) };
    },
  };
}

export const reshapeOp = shapeOp('Reshape', 'constant shape input; any tensor', (ctx, node, inDims) => {
  const s = ctx.constInput(node, 1, 'shape');
  return reshapeDims(ctx, node, inDims, Array.from({ length: s.data.length }, (_, i) => numberAt(s, i)));
});

export const flattenOp = shapeOp('Flatten', 'any axis; any tensor', flattenDims);

/** Transpose of a constant (row-major permutation of its elements). */
export function transposeTensor(t: Tensor, perm: readonly number[]): Tensor {
  const dims = perm.map((p) => t.dims[p]!);
  const inStrides = t.dims.map((_, i) => sizeOf(t.dims.slice(i + 1)));
  const out = allocData(t.dtype, t.data.length);
  const idx = new Array<number>(dims.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < dims.length; d++) src += idx[d]! * inStrides[perm[d]!]!;
    (out as unknown as unknown[])[o] = t.data[src];
    for (let d = dims.length - 1; d >= 0; d--) {
      if (++idx[d]! < dims[d]!) break;
      idx[d] = 0;
    }
  }
  return { dtype: t.dtype, dims, data: out };
}

export const transposeOp: OpEntry = {
  opType: 'Transpose',
  domain: '',
  supports: 'constant input only (folded)',
  lower(ctx, node) {
    const c = ctx.constInput(node, 0, 'data');
    const perm = ctx.intsAttr(node, 'perm') ?? c.dims.map((_, i) => c.dims.length - 1 - i);
    ctx.constants.set(node.outputs[0]!, transposeTensor(c, perm));
    return 'folded';
  },
};
