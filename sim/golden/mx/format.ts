import {
  fp4_e2m1,
  fp6_e2m3,
  fp6_e3m2,
  fp8_e4m3,
  fp8_e5m2,
  mxint8,
  type FloatFormat,
  type MxInt8Format,
} from '../float/format.ts';
import { dyadic, type FloatValue } from '../float/value.ts';

/** OCP Microscaling v1.0 block format: `blockSize` elements sharing one E8M0 scale 2^(scale-127). */
export interface MxFormat {
  readonly name: MxFormatName;
  readonly element: FloatFormat | MxInt8Format;
  readonly blockSize: number;
  /** floor(log2(largest element magnitude)): 8, 15, 4, 2, 2, 0 (the OCP `emax_elem`). */
  readonly emaxElem: number;
  /** Largest element magnitude, exact: 448, 57344, 28, 7.5, 6, 127/64. */
  readonly maxElem: FloatValue;
  /** Significant bits of an element in its top binade (m + 1; 7 for MXINT8): used by the `round` scale rule. */
  readonly precision: number;
}

export type MxFormatName = 'mxfp8_e4m3' | 'mxfp8_e5m2' | 'mxfp6_e3m2' | 'mxfp6_e2m3' | 'mxfp4_e2m1' | 'mxint8';

/** OCP MX v1.0 block size. */
export const MX_BLOCK_SIZE = 32;

function mxFloat(name: MxFormatName, element: FloatFormat): MxFormat {
  return Object.freeze({
    name,
    element,
    blockSize: MX_BLOCK_SIZE,
    emaxElem: element.emax,
    maxElem: dyadic(false, element.maxSig, element.emax - element.manBits),
    precision: element.manBits + 1,
  });
}

export const mxfp8_e4m3 = mxFloat('mxfp8_e4m3', fp8_e4m3);
export const mxfp8_e5m2 = mxFloat('mxfp8_e5m2', fp8_e5m2);
export const mxfp6_e3m2 = mxFloat('mxfp6_e3m2', fp6_e3m2);
export const mxfp6_e2m3 = mxFloat('mxfp6_e2m3', fp6_e2m3);
export const mxfp4_e2m1 = mxFloat('mxfp4_e2m1', fp4_e2m1);
export const mxint8Block: MxFormat = Object.freeze({
  name: 'mxint8',
  element: mxint8,
  blockSize: MX_BLOCK_SIZE,
  emaxElem: 0,
  maxElem: dyadic(false, 127n, mxint8.scaleExp),
  precision: 7,
});

export const MX_FORMATS: Readonly<Record<MxFormatName, MxFormat>> = {
  mxfp8_e4m3,
  mxfp8_e5m2,
  mxfp6_e3m2,
  mxfp6_e2m3,
  mxfp4_e2m1,
  mxint8: mxint8Block,
};

/** Looks an MX block format up by name; throws RangeError for an unknown name. */
export function mxFormat(name: string): MxFormat {
  const f = (MX_FORMATS as Readonly<Record<string, MxFormat | undefined>>)[name];
  if (!f || !Object.hasOwn(MX_FORMATS, name)) {
    throw new RangeError(`unknown MX format "${name}" (known: ${Object.keys(MX_FORMATS).join(', ')})`);
  }
  return f;
}

/** One quantized block: E8M0 scale code and element codes (MXINT8: two's-complement bytes). */
export interface MxBlock {
  readonly format: MxFormat;
  readonly scale: number;
  readonly elements: readonly number[];
}
