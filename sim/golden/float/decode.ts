import { checkCode, type AnyFormat, type FloatFormat } from './format.ts';
import { dyadic, floatInf, FLOAT_NAN, floatZero, type FloatValue } from './value.ts';

/** The three fields of a sign/exponent/mantissa code. */
export interface FloatFields {
  readonly neg: boolean;
  readonly expField: number;
  readonly manField: number;
}

export function splitCode(fmt: FloatFormat, code: number): FloatFields {
  checkCode(fmt, code);
  return fieldsOf(fmt, code);
}

// The unchecked halves of splitCode / classifyFloat: decoding checks a code once, not once per
// helper (the checks were a tenth of the exhaustive golden sweeps' time).
function fieldsOf(fmt: FloatFormat, code: number): FloatFields {
  const neg = code >= fmt.signMask;
  const mag = neg ? code - fmt.signMask : code;
  const scale = 2 ** fmt.manBits;
  return { neg, expField: Math.floor(mag / scale), manField: mag % scale };
}

export function joinCode(fmt: FloatFormat, neg: boolean, expField: number, manField: number): number {
  return (neg ? fmt.signMask : 0) + expField * 2 ** fmt.manBits + manField;
}

export type FloatClass = 'zero' | 'subnormal' | 'normal' | 'inf' | 'nan';

/**
 * Class of a code. E8M0 codes are `normal` except the NaN 0xff; MXINT8 codes are `zero` (0x00) or
 * `normal`. Throws RangeError for a code outside the format's width.
 */
export function classifyFloat(fmt: AnyFormat, code: number): FloatClass {
  checkCode(fmt, code);
  if (fmt.kind === 'e8m0') return code === fmt.nanCode ? 'nan' : 'normal';
  if (fmt.kind === 'mxint8') return code === 0 ? 'zero' : 'normal';
  return classOf(fmt, code, fieldsOf(fmt, code));
}

function classOf(fmt: FloatFormat, code: number, { expField, manField }: FloatFields): FloatClass {
  const expAllOnes = 2 ** fmt.expBits - 1;
  switch (fmt.encoding) {
    case 'ieee':
      if (expField === expAllOnes) return manField === 0 ? 'inf' : 'nan';
      break;
    case 'fn':
      if (expField === expAllOnes && manField === 2 ** fmt.manBits - 1) return 'nan';
      break;
    case 'fnuz':
      if (code === fmt.signMask) return 'nan';
      break;
    case 'none':
      break;
  }
  if (expField === 0) return manField === 0 ? 'zero' : 'subnormal';
  return 'normal';
}

/**
 * Exact value of a code: normal `±2^(E-bias)·(1 + M/2^m)`, subnormal `±2^(1-bias)·M/2^m`, signed
 * zeros, Inf and NaN per the encoding; E8M0 `2^(code-127)`; MXINT8 `int8(code)·2^-6`.
 * Throws RangeError for a code outside the format's width.
 */
export function decodeFloat(fmt: AnyFormat, code: number): FloatValue {
  return decodeChecked(fmt, code, false);
}

/** `decodeFloat`, reading subnormals as the zero of their sign when `flush`. */
function decodeChecked(fmt: AnyFormat, code: number, flush: boolean): FloatValue {
  checkCode(fmt, code);
  if (fmt.kind === 'e8m0') return code === fmt.nanCode ? FLOAT_NAN : dyadic(false, 1n, code - fmt.bias);
  if (fmt.kind === 'mxint8') return dyadic(code >= 128, BigInt(code >= 128 ? code - 256 : code), fmt.scaleExp);
  const fields = fieldsOf(fmt, code);
  const { neg, expField, manField } = fields;
  const cls = classOf(fmt, code, fields);
  switch (cls) {
    case 'nan':
      return FLOAT_NAN;
    case 'inf':
      return floatInf(neg);
    case 'zero':
      return floatZero(neg);
    case 'subnormal':
      return flush ? floatZero(neg) : dyadic(neg, BigInt(manField), fmt.emin - fmt.manBits);
    case 'normal':
      return dyadic(neg, BigInt(2 ** fmt.manBits + manField), expField - fmt.bias - fmt.manBits);
  }
}

/** `decode`, with subnormals read as the zero of their sign (input flushing, as FTZ/DAZ hardware does). */
export function decodeFlushed(fmt: AnyFormat, code: number, flush: boolean): FloatValue {
  return decodeChecked(fmt, code, flush);
}
