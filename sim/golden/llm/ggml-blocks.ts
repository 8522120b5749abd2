/**
 * ggml's legacy block formats `q4_0`, `q4_1`, `q8_0`, `q8_1` (llama.cpp / GGUF files): byte layouts,
 * the reference quantizers (`quantize_row_<type>_ref`) and dequantizers (`dequantize_row_<type>`) of
 * ggml-org/ggml `src/ggml-quants.c`, bit-exact with that C compiled for x86-64 (see `c-float.ts`).
 *
 * A block holds 32 elements; fp16 fields are little-endian. Layouts (docs/llm-formats.md):
 * - q4_0, 18 bytes: d fp16; 16 bytes qs, byte j = element j (low nibble) | element j+16 (high);
 *   value = (nibble − 8)·d.
 * - q4_1, 20 bytes: d fp16, m fp16; qs as q4_0; value = nibble·d + m.
 * - q8_0, 34 bytes: d fp16; 32 int8 qs; value = q·d.
 * - q8_1, 36 bytes: d fp16, s fp16 = fp16(Σq · d) with the binary32 d; 32 int8 qs.
 *
 * Rows are `Float32Array`s (binary32 values) and `Uint8Array`s of whole blocks.
 */
import { cInt8, f32, fp16Code, fp16Value, roundf } from './c-float.ts';

export type GgmlType = 'q4_0' | 'q4_1' | 'q8_0' | 'q8_1';
export const GGML_TYPES: readonly GgmlType[] = ['q4_0', 'q4_1', 'q8_0', 'q8_1'];

/** Elements per block (QK4_0 = QK4_1 = QK8_0 = QK8_1 = 32). */
export const GGML_BLOCK = 32;

/** Bytes per block of each type. */
export const GGML_BLOCK_BYTES: Readonly<Record<GgmlType, number>> = { q4_0: 18, q4_1: 20, q8_0: 34, q8_1: 36 };

const FLT_MAX = 3.4028234663852886e38;

function putFp16(out: Uint8Array, at: number, v: number): void {
  const c = fp16Code(v);
  out[at] = c & 0xff;
  out[at + 1] = c >>> 8;
}

/** The fp16 field at byte `at`, widened to binary32 (exactly). */
export function getFp16(data: Uint8Array, at: number): number {
  return fp16Value((data[at] as number) | ((data[at + 1] as number) << 8));
}

function checkRow(n: number, what: string): number {
  if (n % GGML_BLOCK !== 0) throw new RangeError(`${what}: length ${n} is not a multiple of ${GGML_BLOCK}`);
  return n / GGML_BLOCK;
}

/** `quantize_row_q4_0_ref`: d = (the element of largest magnitude, first one on ties) / −8. */
function quantizeQ4_0(x: Float32Array, b: number, out: Uint8Array, o: number): void {
  let amax = 0;
  let max = 0;
  for (let j = 0; j < 32; j++) {
    const v = x[b + j] as number;
    if (amax < Math.abs(v)) {
      amax = Math.abs(v);
      max = v;
    }
  }
  const d = f32(max / -8);
  const id = d !== 0 ? f32(1 / d) : 0;
  putFp16(out, o, d);
  for (let j = 0; j < 16; j++) {
    const x0 = f32((x[b + j] as number) * id);
    const x1 = f32((x[b + 16 + j] as number) * id);
    const xi0 = Math.min(15, cInt8(f32(x0 + 8.5))) & 0xff;
    const xi1 = Math.min(15, cInt8(f32(x1 + 8.5))) & 0xff;
    out[o + 2 + j] = (xi0 | (xi1 << 4)) & 0xff;
  }
}

/** `quantize_row_q4_1_ref`: d = (max − min)/15, m = min; nibble = (x − min)·id + 0.5, truncated. */
function quantizeQ4_1(x: Float32Array, b: number, out: Uint8Array, o: number): void {
  let min = FLT_MAX;
  let max = -FLT_MAX;
  for (let j = 0; j < 32; j++) {
    const v = x[b + j] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const d = f32(f32(max - min) / 15);
  const id = d !== 0 ? f32(1 / d) : 0;
  putFp16(out, o, d);
  putFp16(out, o + 2, min);
  for (let j = 0; j < 16; j++) {
    const x0 = f32(f32((x[b + j] as number) - min) * id);
    const x1 = f32(f32((x[b + 16 + j] as number) - min) * id);
    const xi0 = Math.min(15, cInt8(f32(x0 + 0.5))) & 0xff;
    const xi1 = Math.min(15, cInt8(f32(x1 + 0.5))) & 0xff;
    out[o + 4 + j] = (xi0 | (xi1 << 4)) & 0xff;
  }
}

/** Shared by q8_0 and q8_1: d = amax/127, q = roundf(x·id); returns d (binary32) and Σq. */
function quantizeInt8(x: Float32Array, b: number, out: Uint8Array, qsAt: number): { d: number; sum: number } {
  let amax = 0;
  for (let j = 0; j < 32; j++) {
    const a = Math.abs(x[b + j] as number);
    amax = amax > a ? amax : a; // MAX(amax, fabsf(v))
  }
  const d = f32(amax / 127);
  const id = d !== 0 ? f32(1 / d) : 0;
  let sum = 0;
  for (let j = 0; j < 32; j++) {
    const q = cInt8(roundf(f32((x[b + j] as number) * id)));
    out[qsAt + j] = q & 0xff;
    sum += q;
  }
  return { d, sum };
}

function quantizeQ8_0(x: Float32Array, b: number, out: Uint8Array, o: number): void {
  putFp16(out, o, quantizeInt8(x, b, out, o + 2).d);
}

/** `quantize_row_q8_1_ref`: as q8_0, plus s = fp16((float)Σq · d) with the binary32 d. */
function quantizeQ8_1(x: Float32Array, b: number, out: Uint8Array, o: number): void {
  const { d, sum } = quantizeInt8(x, b, out, o + 4);
  putFp16(out, o, d);
  putFp16(out, o + 2, f32(sum * d));
}

const QUANTIZERS: Readonly<Record<GgmlType, (x: Float32Array, b: number, out: Uint8Array, o: number) => void>> = {
  q4_0: quantizeQ4_0, q4_1: quantizeQ4_1, q8_0: quantizeQ8_0, q8_1: quantizeQ8_1,
};

/** ggml's reference quantizer of `type` on a row of 32·n binary32 values; returns the n blocks' bytes. */
export function ggmlQuantizeRow(type: GgmlType, x: Float32Array): Uint8Array {
  const nb = checkRow(x.length, `ggmlQuantizeRow(${type})`);
  const bytes = GGML_BLOCK_BYTES[type];
  const out = new Uint8Array(nb * bytes);
  for (let i = 0; i < nb; i++) QUANTIZERS[type](x, i * 32, out, i * bytes);
  return out;
}

/** Number of blocks in `data`, or a RangeError naming the type when it is not whole blocks. */
export function ggmlBlockCount(type: GgmlType, data: Uint8Array): number {
  const bytes = GGML_BLOCK_BYTES[type];
  if (data.length % bytes !== 0) throw new RangeError(`${type}: ${data.length} bytes is not a whole number of ${bytes}-byte blocks`);
  return data.length / bytes;
}

/** Nibble of element j (0..31) of a 4-bit block whose qs start at byte `qs`. */
export function nibbleAt(data: Uint8Array, qs: number, j: number): number {
  const byte = data[qs + (j & 15)] as number;
  return j < 16 ? byte & 0x0f : byte >> 4;
}

/**
 * ggml's `dequantize_row_<type>` (q4_0, q4_1, q8_0): binary32 values, each `(float)int · d` rounded once;
 * q4_1 adds m with a second rounding (no fma).
 */
export function ggmlDequantizeRow(type: Exclude<GgmlType, 'q8_1'>, data: Uint8Array): Float32Array {
  const nb = ggmlBlockCount(type, data);
  const bytes = GGML_BLOCK_BYTES[type];
  const y = new Float32Array(nb * 32);
  for (let i = 0; i < nb; i++) {
    const o = i * bytes;
    const d = getFp16(data, o);
    for (let j = 0; j < 32; j++) {
      y[i * 32 + j] =
        type === 'q4_0' ? f32((nibbleAt(data, o + 2, j) - 8) * d)
        : type === 'q4_1' ? f32(f32(nibbleAt(data, o + 4, j) * d) + getFp16(data, o + 2))
        : f32((((data[o + 2 + j] as number) << 24) >> 24) * d);
    }
  }
  return y;
}
