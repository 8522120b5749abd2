/**
 * NumPy .npy files (format versions 1.0-3.0), little-endian float32, int8, uint8, int32 and int64,
 * C order. A few dozen lines, so no dependency: the header is a Python dict literal of three known
 * keys, read with regular expressions.
 */
import { type DType, type Tensor, allocData, sizeOf } from './tensor.ts';

const DESCR: Readonly<Record<string, DType>> = { '<f4': 'float32', '|i1': 'int8', '|u1': 'uint8', '<i4': 'int32', '<i8': 'int64', 'i1': 'int8', 'u1': 'uint8' };
const DESCR_OF: Readonly<Record<DType, string>> = { float32: '<f4', int8: '|i1', uint8: '|u1', int32: '<i4', int64: '<i8' };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export class NpyError extends Error {
  override readonly name = 'NpyError';
}

export function readNpy(bytes: Uint8Array, file: string): Tensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyError(`${file}: not a .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) throw new NpyError(`${file}: malformed .npy header: ${header.trim()}`);
  const dtype = DESCR[descr];
  if (dtype === undefined) throw new NpyError(`${file}: dtype '${descr}' is not supported (float32 '<f4', int8, uint8, int32 '<i4', int64 '<i8')`);
  if (fortran === 'True') throw new NpyError(`${file}: Fortran-order arrays are not supported; save with np.ascontiguousarray`);
  const dims = shape.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const data = allocData(dtype, sizeOf(dims));
  const body = bytes.subarray(start + headerLen);
  if (body.length !== data.byteLength) throw new NpyError(`${file}: ${body.length} data bytes for shape (${dims.join(', ')}) of ${dtype}, expected ${data.byteLength}`);
  new Uint8Array(data.buffer).set(body);
  return { dtype, dims, data };
}

export function writeNpy(t: Tensor): Uint8Array {
  const shape = t.dims.length === 1 ? `(${t.dims[0]},)` : `(${t.dims.join(', ')})`;
  let header = `{'descr': '${DESCR_OF[t.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad === 64 ? 0 : pad) + '\n';
  const out = new Uint8Array(10 + header.length + t.data.byteLength);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), 10 + header.length);
  return out;
}
