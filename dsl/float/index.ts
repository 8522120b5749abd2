/** The float layer: float codes over bit-vector signals (re-exports only). */
export * from './format.ts';
export { unpackFloat, packFloat, exactOf, type ExactFloat, type UnpackedFloat } from './unpack.ts';
export { roundFloat, roundExact, overflowCodeOf, nanCodeOf, type RoundCut } from './round.ts';
export { exactMul, alignedAdd, floatMul, floatAdd, floatFma, floatConvert, roundToFloat } from './arith.ts';
export { normalize, shrSticky, cat } from './bits.ts';
export { intToFloat, floatToInt, integerGrid, INT_ROUNDINGS, MAX_FLOAT_TO_INT_WIDTH, type IntRounding, type IntToFloatOptions, type FloatToIntOptions } from './int-convert.ts';
