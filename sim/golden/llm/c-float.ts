/**
 * The C `float` semantics that ggml's reference functions rely on, as gcc compiles them for x86-64
 * (SSE scalar arithmetic, no fused multiply-add, round to nearest even), on JS numbers that hold
 * binary32 values.
 *
 * `f32(a op b)` with op in + − × ÷ is the correctly rounded binary32 result: the binary64 result of two
 * binary32 operands rounded again to binary32 is the correctly rounded one because 53 >= 2·24 + 2
 * (double rounding is innocuous; Figueroa, "When is double rounding innocuous?", 1995). Tests compare
 * these with the exact path (`floatAdd`/`floatMul`/`floatDiv` on fp32 codes).
 */
import { fp16 } from '../float/format.ts';
import { decodeToNumber, fp32ToNumber, numberToFp32, roundNumberToFormat } from '../float/fast.ts';

/** Rounds a binary64 to binary32 (rne, IEEE overflow to ±Inf). */
export const f32 = Math.fround;

/** C `roundf`: to the nearest integer, halfway cases away from zero. Exact: v − trunc(v) is exact in binary64. */
export function roundf(v: number): number {
  if (!Number.isFinite(v)) return v;
  const t = Math.trunc(v);
  const frac = v - t;
  if (frac >= 0.5) return t + 1;
  if (frac <= -0.5) return t - 1;
  return t === 0 && (v < 0 || Object.is(v, -0)) ? -0 : t;
}

/**
 * C `(int8_t)v` for a float v as gcc emits it on x86-64: `cvttss2si` to int32 (truncation toward zero;
 * NaN or |v| >= 2^31 give INT32_MIN), then the low byte as a signed value. In range [-128, 127] this
 * is plain truncation; outside it C leaves the result undefined, and this is what the hardware does.
 */
export function cInt8(v: number): number {
  const i = Number.isNaN(v) || v >= 2 ** 31 || v < -(2 ** 31) ? -(2 ** 31) : Math.trunc(v);
  return ((i & 0xff) << 24) >> 24;
}

/** ggml's GGML_FP32_TO_FP16 on a binary32 value: the fp16 code, rne, overflow to ±Inf, NaN to 0x7e00. */
export function fp16Code(v: number): number {
  return roundNumberToFormat(fp16, v);
}

/** ggml's GGML_FP16_TO_FP32: the exact value of an fp16 code. */
export function fp16Value(code: number): number {
  return decodeToNumber(fp16, code);
}

/** Binary32 value of an fp32 code (every NaN code reads as NaN). */
export const fp32Value = fp32ToNumber;
/** fp32 code of a binary32 value (NaN gives 0x7fc00000). */
export const fp32Code = numberToFp32;
