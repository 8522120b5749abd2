/**
 * One quantized GEMM layer (ONNX QLinearMatMul / MatMulInteger / QGemm / QLinearConv after im2col):
 * the spec both the golden model (`evalQuantGemm`) and the hardware schedule
 * (`runQuantGemmOnTiles`, on generated `gemm_tile` RTL) take. This is the contract with the ONNX
 * front end, as agreed in issue 13, with additions only (nothing renamed or removed):
 * `TileRunOptions` may carry `runDir`/`cacheDir` (RTL simulators) and `plant` (tests: a fault);
 * `QuantGemmRun` also has `mismatches` (count) and `tileName`; `firstMismatch` has row = col = -1
 * for a protocol mismatch (out_valid) or a run that checked fewer cycles than scheduled.
 *
 * Numerics (onnxruntime's CPU kernels, MLAS):
 *   acc[i][j] = wrap32( sum_t (a[i][t] - a_zp) * (b[t][j] - b_zp[j]) + bias[j] )
 *     exact integer sum, then two's-complement wrap to int32 as onnxruntime's int32 accumulators
 *     (never reached with 8-bit operands below K ~ 33,000);
 *   output int32: acc itself;
 *   output requant: y = clamp(rne(fp32(fp32(acc) * multiplier[j])) + zp, min, max), see
 *     `sim/golden/int/requantize-fp32.ts` (fp32(acc) rounds to nearest even).
 * The caller computes the binary32 multiplier (onnxruntime: fp32(fp32(a_scale * b_scale) / y_scale)).
 */
import { checkFp32Multiplier, requantizeFp32 } from '../golden/int/requantize-fp32.ts';

export type QType = 'int8' | 'uint8';
export interface QuantTensor { readonly type: QType; readonly data: Int8Array | Uint8Array }

export interface QuantGemmSpec {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** M x K, row-major. */
  readonly a: QuantTensor & { readonly zeroPoint: number };
  /** K x N, row-major; a per-column zero point (length N) is allowed. */
  readonly b: QuantTensor & { readonly zeroPoint: number | Int32Array };
  /** Length N, added to the exact accumulator (then wrapped to int32). */
  readonly bias?: Int32Array;
  readonly output:
    | { readonly kind: 'int32' }
    | {
      readonly kind: 'requant';
      readonly type: QType;
      /** Length 1 (per tensor) or N (per column): binary32 values. */
      readonly multiplier: Float32Array;
      readonly zeroPoint: number;
      /** Clamp bounds in the output's code domain (folded Relu/Clip), qmin <= min <= max <= qmax. */
      readonly min: number;
      readonly max: number;
    };
}

export type QuantGemmOutput = Int8Array | Uint8Array | Int32Array;

/** Code range of a QType. */
export function qtypeRange(t: QType): [number, number] {
  return t === 'int8' ? [-128, 127] : [0, 255];
}

function checkInt(v: number, lo: number, hi: number, what: string): void {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`quant gemm: ${what} must be an integer in [${lo}, ${hi}], got ${v}`);
}

function checkTensor(t: QuantTensor, len: number, what: string): void {
  const want = t.type === 'int8' ? Int8Array : Uint8Array;
  if (t.type !== 'int8' && t.type !== 'uint8') throw new RangeError(`quant gemm: ${what} type must be int8 or uint8, got ${String(t.type)}`);
  if (!(t.data instanceof want)) throw new RangeError(`quant gemm: ${what} is ${t.type} but its data is not a ${want.name}`);
  if (t.data.length !== len) throw new RangeError(`quant gemm: ${what} has ${t.data.length} elements, expected ${len}`);
}

/** Throws a RangeError naming the first field of `spec` outside the contract above. */
export function checkQuantGemmSpec(spec: QuantGemmSpec): void {
  const { m, k, n } = spec;
  for (const [name, v] of [['m', m], ['k', k], ['n', n]] as const) checkInt(v, 1, 1 << 24, name);
  checkTensor(spec.a, m * k, 'a (M x K)');
  checkTensor(spec.b, k * n, 'b (K x N)');
  const [alo, ahi] = qtypeRange(spec.a.type);
  const [blo, bhi] = qtypeRange(spec.b.type);
  checkInt(spec.a.zeroPoint, alo, ahi, 'a zero point');
  const bz = spec.b.zeroPoint;
  if (typeof bz === 'number') checkInt(bz, blo, bhi, 'b zero point');
  else {
    if (bz.length !== n) throw new RangeError(`quant gemm: b zero point has ${bz.length} elements, expected 1 or N = ${n}`);
    bz.forEach((z, j) => checkInt(z, blo, bhi, `b zero point [${j}]`));
  }
  if (spec.bias !== undefined && spec.bias.length !== n) throw new RangeError(`quant gemm: bias has ${spec.bias.length} elements, expected N = ${n}`);
  const out = spec.output;
  if (out.kind === 'requant') {
    const [qlo, qhi] = qtypeRange(out.type);
    if (out.multiplier.length !== 1 && out.multiplier.length !== n) throw new RangeError(`quant gemm: multiplier has ${out.multiplier.length} elements, expected 1 or N = ${n}`);
    out.multiplier.forEach((x, j) => checkFp32Multiplier(x, `quant gemm: multiplier [${j}]`));
    checkInt(out.zeroPoint, qlo, qhi, 'output zero point');
    checkInt(out.min, qlo, qhi, 'output min');
    checkInt(out.max, out.min, qhi, 'output max');
  }
}

/** b's zero point of column j. */
export function bZeroPointOf(spec: QuantGemmSpec, j: number): number {
  const z = spec.b.zeroPoint;
  return typeof z === 'number' ? z : z[j]!;
}

/**
 * The int32 accumulators (M x N, row-major): exact, then wrapped. Exact in binary64: each term is
 * below 2^16 in magnitude and K <= 2^24, so every partial sum stays below 2^40 < 2^53.
 */
export function evalQuantGemmAccumulators(spec: QuantGemmSpec): Int32Array {
  checkQuantGemmSpec(spec);
  const { m, k, n } = spec;
  const a = spec.a.data;
  const b = spec.b.data;
  const az = spec.a.zeroPoint;
  const bz = Float64Array.from({ length: n }, (_, j) => bZeroPointOf(spec, j));
  const acc = new Int32Array(m * n);
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let t = 0; t < k; t++) {
      const av = a[i * k + t]! - az;
      if (av === 0) continue;
      for (let j = 0; j < n; j++) row[j]! += av * (b[t * n + j]! - bz[j]!);
    }
    for (let j = 0; j < n; j++) {
      const v = row[j]! + (spec.bias?.[j] ?? 0);
      // v < 2^41: the wrap to int32 is exact through BigInt only when |v| >= 2^31.
      acc[i * n + j] = Math.abs(v) < 2 ** 31 ? v : Number(BigInt.asIntN(32, BigInt(v)));
    }
  }
  return acc;
}

/** Golden, exact: the int32 accumulators, or their requantization (see the module doc). */
export function evalQuantGemm(spec: QuantGemmSpec): QuantGemmOutput {
  const acc = evalQuantGemmAccumulators(spec);
  const out = spec.output;
  if (out.kind === 'int32') return acc;
  const { n } = spec;
  const y = out.type === 'int8' ? new Int8Array(acc.length) : new Uint8Array(acc.length);
  const perColumn = out.multiplier.length !== 1;
  for (let idx = 0; idx < acc.length; idx++) {
    const mult = out.multiplier[perColumn ? idx % n : 0]!;
    y[idx] = requantizeFp32(acc[idx]!, mult, out.zeroPoint, out.min, out.max);
  }
  return y;
}

export { quantGemmTileName, quantGemmTileParams, runQuantGemmOnTiles, type QuantGemmTile, type TileRunOptions, type QuantGemmRun, type QuantGemmMismatch } from './quant-gemm-tiles.ts';
