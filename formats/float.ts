/**
 * Float formats (moved here from sim/golden/float/format.ts, which re-exports this file).
 * One parameterized definition of sign/exponent/mantissa minifloats (up to 32 bits), plus the two MX
 * oddities that are not sign/exponent/mantissa floats: E8M0 (the shared scale) and the MXINT8 element.
 *
 * Codes are unsigned JS numbers `0 <= code < 2^width` (the sign is the top bit); widths stay <= 32 so
 * every code is an exact small integer.
 */

/**
 * How the all-ones exponent field and the negative-zero code are used:
 * - `ieee`: exponent all ones is Inf (mantissa 0) or NaN (mantissa != 0). fp32, fp16, bf16, fp8_e5m2.
 * - `fn`: no Inf; exponent all ones is a normal binade except mantissa all ones, which is NaN
 *   (OCP E4M3 = ONNX E4M3FN: 0x7f / 0xff).
 * - `fnuz`: no Inf, no negative zero; the single NaN is the negative-zero code (0x80). Graphcore/AMD
 *   E4M3FNUZ and E5M2FNUZ.
 * - `none`: every code is finite (OCP FP6 / FP4 MX elements).
 */
export type FloatEncoding = 'ieee' | 'fn' | 'fnuz' | 'none';

export interface FloatFormat {
  readonly kind: 'float';
  readonly name: string;
  readonly expBits: number;
  readonly manBits: number;
  readonly bias: number;
  readonly encoding: FloatEncoding;
  /** 1 + expBits + manBits. */
  readonly width: number;
  /** Unbiased exponent of the smallest normal: 1 - bias (subnormals share its quantum). */
  readonly emin: number;
  /** Unbiased exponent of the largest finite binade. */
  readonly emax: number;
  /** Largest finite magnitude = maxSig · 2^(emax - manBits), with maxSig in [2^m, 2^(m+1)). */
  readonly maxSig: bigint;
  /** Code of +max finite. */
  readonly maxCode: number;
  /** Code of the smallest positive normal. */
  readonly minNormalCode: number;
  /** Code produced for NaN results, or undefined when the format has no NaN. See `canonicalNaN`. */
  readonly nanCode: number | undefined;
  /** Code of +Inf (ieee only). */
  readonly infCode: number | undefined;
  /** Mask of the sign bit: 1 << (width - 1). */
  readonly signMask: number;
}

/** MX shared scale: unsigned 8-bit exponent, value 2^(code - 127), 0xff is NaN; no zero, no sign. */
export interface E8m0Format {
  readonly kind: 'e8m0';
  readonly name: 'e8m0';
  readonly width: 8;
  readonly bias: 127;
  readonly nanCode: 0xff;
}

/** MXINT8 element: two's-complement int8 code n, value n · 2^-6 (so 0x80 decodes to -2). */
export interface MxInt8Format {
  readonly kind: 'mxint8';
  readonly name: 'mxint8';
  readonly width: 8;
  /** value = code · 2^scaleExp */
  readonly scaleExp: -6;
}

export type AnyFormat = FloatFormat | E8m0Format | MxInt8Format;

export interface FloatFormatSpec {
  readonly name: string;
  readonly expBits: number;
  readonly manBits: number;
  /** Defaults to 2^(expBits-1) - 1. */
  readonly bias?: number;
  readonly encoding: FloatEncoding;
}

/**
 * Builds a format and its derived constants. Throws RangeError for a shape the encoding cannot
 * express (e.g. `fn` needs a mantissa bit to tell max finite from NaN) or a width over 32.
 */
export function defineFloatFormat(spec: FloatFormatSpec): FloatFormat {
  const { name, expBits: e, manBits: m, encoding } = spec;
  const bias = spec.bias ?? 2 ** (e - 1) - 1;
  if (!Number.isInteger(e) || e < 1 || e > 15) throw new RangeError(`${name}: expBits must be 1..15, got ${e}`);
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`${name}: manBits must be >= 0, got ${m}`);
  if (!Number.isInteger(bias)) throw new RangeError(`${name}: bias must be an integer, got ${bias}`);
  const width = 1 + e + m;
  if (width > 32) throw new RangeError(`${name}: width ${width} > 32 is not supported`);
  if (encoding === 'ieee' && m === 0) throw new RangeError(`${name}: ieee encoding needs manBits >= 1 to encode NaN`);
  if (encoding === 'fn' && m === 0) throw new RangeError(`${name}: fn encoding needs manBits >= 1`);
  if (encoding === 'ieee' && e < 2) throw new RangeError(`${name}: ieee encoding needs expBits >= 2`);

  const expAllOnes = 2 ** e - 1;
  const manAllOnes = 2 ** m - 1;
  const maxExpField = encoding === 'ieee' ? expAllOnes - 1 : expAllOnes;
  const maxManField = encoding === 'fn' ? manAllOnes - 1 : manAllOnes;
  const signMask = 2 ** (width - 1);
  const nanCode =
    encoding === 'ieee'
      ? expAllOnes * 2 ** m + 2 ** (m - 1) // positive quiet NaN: top mantissa bit set
      : encoding === 'fn'
        ? expAllOnes * 2 ** m + manAllOnes
        : encoding === 'fnuz'
          ? signMask
          : undefined;
  return Object.freeze({
    kind: 'float',
    name,
    expBits: e,
    manBits: m,
    bias,
    encoding,
    width,
    emin: 1 - bias,
    emax: maxExpField - bias,
    maxSig: (1n << BigInt(m)) + BigInt(maxManField),
    maxCode: maxExpField * 2 ** m + maxManField,
    minNormalCode: 2 ** m,
    nanCode,
    infCode: encoding === 'ieee' ? expAllOnes * 2 ** m : undefined,
    signMask,
  });
}

export const fp32 = defineFloatFormat({ name: 'fp32', expBits: 8, manBits: 23, encoding: 'ieee' });
export const fp16 = defineFloatFormat({ name: 'fp16', expBits: 5, manBits: 10, encoding: 'ieee' });
export const bf16 = defineFloatFormat({ name: 'bf16', expBits: 8, manBits: 7, encoding: 'ieee' });
export const fp8_e4m3 = defineFloatFormat({ name: 'fp8_e4m3', expBits: 4, manBits: 3, encoding: 'fn' });
export const fp8_e5m2 = defineFloatFormat({ name: 'fp8_e5m2', expBits: 5, manBits: 2, encoding: 'ieee' });
export const fp8_e4m3fnuz = defineFloatFormat({ name: 'fp8_e4m3fnuz', expBits: 4, manBits: 3, bias: 8, encoding: 'fnuz' });
export const fp8_e5m2fnuz = defineFloatFormat({ name: 'fp8_e5m2fnuz', expBits: 5, manBits: 2, bias: 16, encoding: 'fnuz' });
export const fp6_e3m2 = defineFloatFormat({ name: 'fp6_e3m2', expBits: 3, manBits: 2, encoding: 'none' });
export const fp6_e2m3 = defineFloatFormat({ name: 'fp6_e2m3', expBits: 2, manBits: 3, encoding: 'none' });
export const fp4_e2m1 = defineFloatFormat({ name: 'fp4_e2m1', expBits: 2, manBits: 1, encoding: 'none' });

export const e8m0: E8m0Format = Object.freeze({ kind: 'e8m0', name: 'e8m0', width: 8, bias: 127, nanCode: 0xff });
export const mxint8: MxInt8Format = Object.freeze({ kind: 'mxint8', name: 'mxint8', width: 8, scaleExp: -6 });

/** Every preset, by name. */
export const FLOAT_FORMATS = {
  fp32,
  fp16,
  bf16,
  fp8_e4m3,
  fp8_e5m2,
  fp8_e4m3fnuz,
  fp8_e5m2fnuz,
  fp6_e3m2,
  fp6_e2m3,
  fp4_e2m1,
} as const satisfies Record<string, FloatFormat>;

export type FloatFormatName = keyof typeof FLOAT_FORMATS;

export const ALL_FORMATS = { ...FLOAT_FORMATS, e8m0, mxint8 } as const satisfies Record<string, AnyFormat>;

/** The sign/exponent/mantissa preset named `name`, or undefined. */
export function lookupFloatFormat(name: string): FloatFormat | undefined {
  return isKey(FLOAT_FORMATS, name) ? FLOAT_FORMATS[name] : undefined;
}

/** The preset, `e8m0` or `mxint8` named `name`, or undefined. */
export function lookupAnyFormat(name: string): AnyFormat | undefined {
  return isKey(ALL_FORMATS, name) ? ALL_FORMATS[name] : undefined;
}

/** Looks a preset sign/exponent/mantissa format up by name; throws RangeError for an unknown name. */
export function floatFormat(name: string): FloatFormat {
  if (!isKey(FLOAT_FORMATS, name)) {
    throw new RangeError(`unknown float format "${name}" (known: ${Object.keys(FLOAT_FORMATS).join(', ')})`);
  }
  return FLOAT_FORMATS[name];
}

/** Like `floatFormat`, also accepting `e8m0` and `mxint8`. */
export function anyFormat(name: string): AnyFormat {
  if (!isKey(ALL_FORMATS, name)) {
    throw new RangeError(`unknown format "${name}" (known: ${Object.keys(ALL_FORMATS).join(', ')})`);
  }
  return ALL_FORMATS[name];
}

function isKey<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(table, key);
}

/** Throws RangeError unless `code` is an integer code of `fmt`. */
export function checkCode(fmt: AnyFormat, code: number): void {
  if (!Number.isInteger(code) || code < 0 || code >= 2 ** fmt.width) {
    throw new RangeError(`${fmt.name}: code ${code} is not a ${fmt.width}-bit code`);
  }
}
