/**
 * Tensors as npugen's ONNX front end holds them: an element type, dims and a row-major typed
 * array. Conversion from and to TensorProto (raw_data little-endian, or the typed repeated
 * fields: float_data, int32_data for 8/16/32-bit integers, int64_data).
 */
import type { TensorObject } from './proto/codec.ts';

export type DType = 'float32' | 'int8' | 'uint8' | 'int32' | 'int64';
export type TensorData = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

export interface Tensor {
  readonly dtype: DType;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

/** TensorProto.DataType numbers of the supported element types. */
export const ELEM_TYPE: Readonly<Record<DType, number>> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7 };
const DTYPE_OF = new Map<number, DType>(Object.entries(ELEM_TYPE).map(([k, v]) => [v, k as DType]));
const ELEM_NAMES: Readonly<Record<number, string>> = {
  1: 'float', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'double', 12: 'uint32', 13: 'uint64', 16: 'bfloat16', 17: 'float8e4m3fn', 19: 'float8e5m2', 21: 'uint4', 22: 'int4',
};

/** Thrown for a tensor npugen cannot represent (the CLI maps it to exit 2). */
export class OnnxTensorError extends Error {
  override readonly name = 'OnnxTensorError';
}

export function elemTypeName(t: number): string {
  return ELEM_NAMES[t] ?? `data type ${t}`;
}

export function dtypeOfElemType(t: number): DType | undefined {
  return DTYPE_OF.get(t);
}

export function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function allocData(dtype: DType, n: number): TensorData {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'int8': return new Int8Array(n);
    case 'uint8': return new Uint8Array(n);
    case 'int32': return new Int32Array(n);
    case 'int64': return new BigInt64Array(n);
  }
}

const BYTES: Readonly<Record<DType, number>> = { float32: 4, int8: 1, uint8: 1, int32: 4, int64: 8 };

function fromRaw(dtype: DType, raw: Uint8Array, n: number, what: string): TensorData {
  if (raw.length !== n * BYTES[dtype]) throw new OnnxTensorError(`${what}: raw_data has ${raw.length} bytes, expected ${n * BYTES[dtype]} for ${n} ${dtype} elements`);
  const out = allocData(dtype, n);
  // Copy into fresh, aligned storage; TensorProto raw_data is little-endian, as is every host npugen runs on.
  new Uint8Array(out.buffer).set(raw);
  return out;
}

function fromFields(dtype: DType, p: TensorObject, n: number, what: string): TensorData {
  const src: readonly (number | string)[] = dtype === 'float32' ? p.floatData ?? [] : dtype === 'int64' ? p.int64Data ?? [] : p.int32Data ?? [];
  if (src.length !== n) throw new OnnxTensorError(`${what}: has ${src.length} values in its typed field, expected ${n}`);
  if (dtype === 'int64') return BigInt64Array.from(src, (v) => BigInt(v));
  const out = allocData(dtype, n);
  // int32_data holds 8-bit values widened; the typed array narrows them the same way ONNX does.
  (out as Float32Array | Int32Array | Int8Array | Uint8Array).set(src.map(Number));
  return out;
}

/** A TensorProto as a Tensor; `what` names it in errors (e.g. "initializer 'w'"). */
export function tensorFromProto(p: TensorObject, what: string): Tensor {
  const dtype = dtypeOfElemType(p.dataType ?? 0);
  if (dtype === undefined) throw new OnnxTensorError(`${what}: element type ${elemTypeName(p.dataType ?? 0)} is not supported (supported: ${Object.keys(ELEM_TYPE).join(', ')})`);
  if (p.dataLocation === 1) throw new OnnxTensorError(`${what}: external data is not supported; save the model with its tensors inside the file`);
  const dims = (p.dims ?? []).map(Number);
  const n = sizeOf(dims);
  const data = p.rawData !== undefined && p.rawData.length > 0 ? fromRaw(dtype, p.rawData, n, what) : fromFields(dtype, p, n, what);
  return { dtype, dims, data };
}

/** A Tensor as a TensorProto with raw_data. */
export function tensorToProto(name: string, t: Tensor): TensorObject {
  const d = t.data;
  return { name, dims: t.dims.map(String), dataType: ELEM_TYPE[t.dtype], rawData: new Uint8Array(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength)) };
}

export function tensor(dtype: DType, dims: readonly number[], values: ArrayLike<number> | TensorData): Tensor {
  const n = sizeOf(dims);
  if (values.length !== n) throw new RangeError(`tensor: ${values.length} values for dims [${dims.join(', ')}]`);
  const data = allocData(dtype, n);
  if (data instanceof BigInt64Array) data.set(Array.from(values as ArrayLike<number | bigint>, (v) => BigInt(v)));
  else data.set(values as ArrayLike<number>);
  return { dtype, dims: [...dims], data };
}

/** Element i as a number (int64 must be a safe integer). */
export function numberAt(t: Tensor, i: number): number {
  const v = t.data[i];
  if (v === undefined) throw new RangeError(`tensor index ${i} out of range (${t.data.length} elements)`);
  return typeof v === 'bigint' ? Number(v) : v;
}

export function shapeString(dims: readonly number[]): string {
  return `[${dims.join('x')}]`;
}
