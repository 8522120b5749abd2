/**
 * Integer/fixed-point format strings: the format type, parser and printer live in `formats/`
 * (one parser for the whole project); this path re-exports them for existing imports and adds
 * the DSL's view of a format, the bit-vector type of its codes.
 */
import { bitsType, type BitsType } from './bits.ts';
import type { FixedFormat } from '../../formats/fixed.ts';

export { fixedFormat, intFormat, fracBitsOf, isInteger, type FixedFormat } from '../../formats/fixed.ts';
export { parseFixedFormat, formatName } from '../../formats/number-format.ts';

/** The bit-vector type holding a format's codes. */
export function codeType(f: FixedFormat): BitsType {
  return bitsType(f.width, f.signed);
}
