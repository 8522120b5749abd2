import { INT16, INT32, type IntType, assertInIntRange, intTypeName } from '../int/int-type.ts';
import { saturateInt } from '../int/narrow.ts';
import { shiftRightRound } from '../int/rounding.ts';

/** NVDLA INT convertor parameters: offset int32, scaling int16, shifter 0..31, output int8 or int16. */
export interface NvdlaCvtParams {
  readonly offset: bigint;
  readonly scaling: bigint;
  readonly shifter: number;
  readonly outType: IntType;
}

/**
 * NVDLA convertor: y = saturate(round_half_away((x - offset) * scaling / 2^shifter)) to outType, exact
 * (the product needs up to 49 bits).
 */
export function nvdlaCvt(x: bigint, p: NvdlaCvtParams): bigint {
  assertInIntRange(x, INT32, 'nvdlaCvt x');
  assertInIntRange(p.offset, INT32, 'nvdlaCvt offset');
  assertInIntRange(p.scaling, INT16, 'nvdlaCvt scaling');
  if (!Number.isInteger(p.shifter) || p.shifter < 0 || p.shifter > 31) throw new RangeError(`nvdlaCvt: shifter must be in 0..31, got ${p.shifter}`);
  if (!p.outType.signed || (p.outType.bits !== 8 && p.outType.bits !== 16)) throw new RangeError(`nvdlaCvt: output must be int8 or int16, got ${intTypeName(p.outType)}`);
  return saturateInt(shiftRightRound((x - p.offset) * p.scaling, p.shifter, 'rna'), p.outType);
}
