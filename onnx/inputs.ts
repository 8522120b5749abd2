/** Model inputs: checking user tensors against the graph's declared inputs, and seeded random ones. */
import { Rng } from '../sim/random.ts';
import type { OnnxModel, OnnxValue } from './model.ts';
import { OnnxModelError } from './model.ts';
import { type Tensor, allocData, sizeOf } from './tensor.ts';

/** The concrete dims of an input: symbolic dimensions become 1. */
export function concreteDims(v: OnnxValue): number[] {
  return v.dims.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
}

/**
 * One random input set: floats uniform in [-1, 1] (binary32 values k / 2^23 for integer k, so
 * every draw is exact), integers uniform over the type's range.
 */
export function randomInputs(model: OnnxModel, rng: Rng): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const v of model.inputs) {
    const dims = concreteDims(v);
    const data = allocData(v.dtype, sizeOf(dims));
    for (let i = 0; i < data.length; i++) {
      switch (v.dtype) {
        case 'float32': (data as Float32Array)[i] = (rng.below(2 ** 24 + 1) - 2 ** 23) / 2 ** 23; break;
        case 'int8': (data as Int8Array)[i] = rng.below(256) - 128; break;
        case 'uint8': (data as Uint8Array)[i] = rng.below(256); break;
        case 'int32': (data as Int32Array)[i] = rng.u32() | 0; break;
        case 'int64': (data as BigInt64Array)[i] = BigInt(rng.u32() | 0); break;
      }
    }
    out.set(v.name, { dtype: v.dtype, dims, data });
  }
  return out;
}

/** Throws naming the input unless `given` provides every graph input with its declared type and shape. */
export function checkInputs(model: OnnxModel, given: ReadonlyMap<string, Tensor>, sourceOf: (name: string) => string): void {
  for (const name of given.keys()) {
    if (!model.inputs.some((v) => v.name === name)) throw new OnnxModelError(`${sourceOf(name)}: the model has no input '${name}'; its inputs: ${model.inputs.map((v) => v.name).join(', ')}`);
  }
  for (const v of model.inputs) {
    const t = given.get(v.name);
    if (t === undefined) throw new OnnxModelError(`input '${v.name}' (${v.dtype} [${v.dims.join(', ')}]) is not given; pass --input ${v.name}=FILE.npy or --random N`);
    if (t.dtype !== v.dtype) throw new OnnxModelError(`${sourceOf(v.name)}: input '${v.name}' must be ${v.dtype}, got ${t.dtype}`);
    const ok = t.dims.length === v.dims.length && v.dims.every((d, i) => typeof d !== 'number' || d <= 0 || d === t.dims[i]);
    if (!ok) throw new OnnxModelError(`${sourceOf(v.name)}: input '${v.name}' must have shape [${v.dims.join(', ')}], got [${t.dims.join(', ')}]`);
    if (t.dtype === 'float32' && (t.data as Float32Array).some((x) => Number.isNaN(x))) throw new OnnxModelError(`${sourceOf(v.name)}: input '${v.name}' contains NaN (onnxruntime quantizes NaN differently per CPU kernel)`);
  }
}
