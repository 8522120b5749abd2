/**
 * QuantizeLinear and DequantizeLinear exactly as onnxruntime's CPU kernels compute them
 * (core/providers/cpu/quantization/quantize_linear.cc over MLAS `MlasQuantizeLinear`):
 *
 *   QuantizeLinear:   q = clamp(rne(fp32(x / scale)) + zp, qmin, qmax)
 *     one binary32 division (correctly rounded), then round to nearest even (cvtps2dq), then the
 *     zero point, saturating to the output type (MLAS clamps the quotient to [qmin-zp, qmax-zp]
 *     in float first, which gives the same integer because the bounds are integers);
 *   DequantizeLinear: x = fp32((q - zp) * scale)
 *     the integer difference is exact in binary32 (|q - zp| < 2^24), then one binary32 multiply.
 *
 * Per-tensor (scale of one element) or per-axis (1-D scale and zero point along `axis`). A
 * missing zero point is 0 and makes QuantizeLinear's output uint8 (the ONNX default). NaN inputs
 * are rejected: the MLAS kernels map NaN differently on SSE, AVX-512 and NEON.
 */
import { rneToInteger } from '../../sim/golden/int/requantize-fp32.ts';
import { type DType, type Tensor, allocData, numberAt, sizeOf } from '../tensor.ts';

export type QDType = 'int8' | 'uint8';

export const QRANGE: Readonly<Record<QDType | 'int32', readonly [number, number]>> = {
  int8: [-128, 127], uint8: [0, 255], int32: [-(2 ** 31), 2 ** 31 - 1],
};

/** Channel-of-element mapping for a per-axis parameter of `count` values (count 1: per tensor). */
export function channelIndexer(dims: readonly number[], axis: number, count: number): (i: number) => number {
  if (count === 1) return () => 0;
  const a = axis < 0 ? axis + dims.length : axis;
  const inner = sizeOf(dims.slice(a + 1));
  const d = dims[a] ?? 0;
  return (i) => Math.floor(i / inner) % d;
}

export interface QuantParams {
  readonly scale: Tensor;
  readonly zeroPoint?: Tensor;
  readonly axis: number;
}

/** ONNX QuantizeLinear (float32 -> int8/uint8) with onnxruntime's rounding sequence. */
export function quantizeLinear(x: Tensor, p: QuantParams): Tensor {
  const out: QDType = p.zeroPoint === undefined ? 'uint8' : (p.zeroPoint.dtype as QDType);
  const [lo, hi] = QRANGE[out];
  const ch = channelIndexer(x.dims, p.axis, p.scale.data.length);
  const y = allocData(out, x.data.length) as Int8Array | Uint8Array;
  const xs = x.data as Float32Array;
  for (let i = 0; i < xs.length; i++) {
    const c = ch(i);
    const v = xs[i]!;
    if (Number.isNaN(v)) throw new RangeError(`QuantizeLinear: input element ${i} is NaN`);
    const zp = p.zeroPoint === undefined ? 0 : numberAt(p.zeroPoint, c);
    const qf = Math.fround(v / numberAt(p.scale, c));
    // Clamp before rounding, as MLAS does; also keeps infinities out of rneToInteger.
    const cl = Math.min(Math.max(qf, lo - zp), hi - zp);
    y[i] = rneToInteger(cl) + zp;
  }
  return { dtype: out, dims: x.dims, data: y };
}

/** ONNX DequantizeLinear (int8/uint8/int32 -> float32) with onnxruntime's rounding. */
export function dequantizeLinear(q: Tensor, p: QuantParams): Tensor {
  const ch = channelIndexer(q.dims, p.axis, p.scale.data.length);
  const y = new Float32Array(q.data.length);
  for (let i = 0; i < y.length; i++) {
    const c = ch(i);
    const zp = p.zeroPoint === undefined ? 0 : numberAt(p.zeroPoint, c);
    y[i] = Math.fround((numberAt(q, i) - zp) * numberAt(p.scale, c));
  }
  return { dtype: 'float32', dims: q.dims, data: y };
}

export function isQType(t: DType): t is QDType {
  return t === 'int8' || t === 'uint8';
}
