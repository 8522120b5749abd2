/**
 * Float inference of the MLP as a float `systolic_array` computes it: operands (input pixels / 16,
 * weights, hidden activations) rounded to one float format (fp8_e4m3, bf16, ...) with RNE and
 * saturation to the largest finite value, each layer's GEMM with an fp32 accumulator and fused
 * steps (acc' = fma(a, b, acc), one rounding, t = 0..K-1 from +0: the array's documented order),
 * then on the host: the fp32 bias added (one fp32 rounding), ReLU for the hidden layer (negative
 * values to +0) and the hidden layer rounded to the operand format for layer 2. Logits are fp32.
 *
 * The GEMM step has a fast path (`fmaFp32`) that is exact where it applies and falls back to the
 * golden library's step otherwise; `test/examples/mlp-float.test.ts` checks it against the golden
 * step. Every other operation is the golden library's.
 */
import { floatAdd, fp32, type FloatFormat } from '../../sim/golden/index.ts';
import { decodeToNumber, fp32ToNumber, numberToFp32, roundNumberToFormat } from '../../sim/golden/float/fast.ts';
import { floatStep } from '../../sim/models/systolic-float.ts';
import type { Mlp } from './train.ts';

export interface FloatLayer {
  /** Weight codes as B of the GEMM: k rows (inputs) x n columns (output channels), row-major. */
  readonly weights: Uint32Array;
  readonly k: number;
  readonly n: number;
  /** fp32 codes, one per output channel. */
  readonly bias: Uint32Array;
  readonly relu: boolean;
}

export interface FloatMlp {
  readonly format: FloatFormat;
  readonly layers: readonly [FloatLayer, FloatLayer];
}

const toCode = (fmt: FloatFormat, x: number): number => roundNumberToFormat(fmt, x, { saturate: true });

function floatLayer(w: readonly Float64Array[], b: Float64Array, fmt: FloatFormat, relu: boolean): FloatLayer {
  const n = w.length;
  const k = w[0]!.length;
  const weights = new Uint32Array(k * n);
  w.forEach((row, j) => row.forEach((v, i) => { weights[i * n + j] = toCode(fmt, v); }));
  return { weights, k, n, bias: Uint32Array.from(b, (v) => toCode(fp32, v)), relu };
}

/** The MLP's weights and biases in `fmt` (biases in fp32). */
export function floatQuantizeMlp(m: Mlp, fmt: FloatFormat): FloatMlp {
  return { format: fmt, layers: [floatLayer(m.w1, m.b1, fmt, true), floatLayer(m.w2, m.b2, fmt, false)] };
}

/** Input codes of a batch (pixels / 16 in `fmt`), row-major batch x 64. */
export function floatInputs(images: readonly Uint8Array[], fmt: FloatFormat): Uint32Array {
  const x = new Uint32Array(images.length * 64);
  images.forEach((img, i) => img.forEach((p, t) => { x[i * 64 + t] = toCode(fmt, p / 16); }));
  return x;
}

/**
 * fp32 fma of two operand values and an fp32 accumulator value, or undefined where the fast path
 * is not proven exact. Exact: the operands have at most 12 significant bits each (fp8, bf16, fp16),
 * so a * b is exact in binary64; when it is an fp32 normal (or zero) it is an fp32 value, and the
 * binary64 sum of two fp32 values rounded to fp32 is the correctly rounded sum (binary64 has
 * 53 >= 2 * 24 + 2 bits: double rounding is innocuous for addition). Products in fp32's subnormal
 * range or beyond its maximum, and non-finite values, go to the exact path.
 */
export function fmaFp32(a: number, b: number, acc: number): number | undefined {
  const p = a * b;
  const m = Math.abs(p);
  if ((m !== 0 && m < 2 ** -126) || !(m <= 3.4028234663852886e38) || !Number.isFinite(acc)) return undefined;
  const s = Math.fround(acc + p);
  return Number.isFinite(s) ? s : undefined;
}

/** The GEMM of the array: fp32 codes, row-major m x n, each sum from +0 over t = 0..k-1 (fused). */
export function floatGemmCodes(fmt: FloatFormat, x: Uint32Array, w: Uint32Array, m: number, k: number, n: number): Uint32Array {
  const exact = floatStep({ a: fmt, b: fmt, accumulator: fp32, fused: true, subnormals: 'ieee' });
  const xv = Float64Array.from(x, (c) => decodeToNumber(fmt, c));
  const wv = Float64Array.from(w, (c) => decodeToNumber(fmt, c));
  const c = new Uint32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      let code = 0;
      for (let t = 0; t < k; t++) {
        const fast = fmaFp32(xv[i * k + t]!, wv[t * n + j]!, acc);
        if (fast !== undefined && !(fast === 0 && (Object.is(acc, -0) || acc !== 0))) {
          acc = fast;
          code = numberToFp32(acc);
        } else {
          // Exact path (also for zero results from nonzero sums, whose sign the golden step decides).
          code = exact(x[i * k + t]!, w[t * n + j]!, code);
          acc = fp32ToNumber(code);
        }
      }
      c[i * n + j] = code;
    }
  }
  return c;
}

/** The host's output stage of a layer: fp32 bias add; hidden: ReLU and rounding to `fmt` codes; logits: fp32 codes. */
export function floatOutputStage(layer: FloatLayer, fmt: FloatFormat, c: Uint32Array): Uint32Array {
  return c.map((code, idx) => {
    const s = floatAdd(fp32, code, layer.bias[idx % layer.n]!);
    if (!layer.relu) return s;
    const v = fp32ToNumber(s);
    return v > 0 ? toCode(fmt, v) : 0;
  });
}

/** Logits (fp32 values, batch x 10) of the float inference, and both layers' GEMM outputs. */
export function floatInfer(q: FloatMlp, images: readonly Uint8Array[]): { logits: Float64Array; x: Uint32Array; hidden: Uint32Array } {
  const m = images.length;
  const [l1, l2] = q.layers;
  const x = floatInputs(images, q.format);
  const hidden = floatOutputStage(l1, q.format, floatGemmCodes(q.format, x, l1.weights, m, l1.k, l1.n));
  const out = floatOutputStage(l2, q.format, floatGemmCodes(q.format, hidden, l2.weights, m, l2.k, l2.n));
  return { logits: Float64Array.from(out, fp32ToNumber), x, hidden };
}
