import { accumulatorWidth } from '../accel/accumulator-width.ts';
import { gemminiAccScale, gemminiRoundingShift } from '../accel/gemmini.ts';
import { nvdlaCvt } from '../accel/nvdla.ts';
import { fixedCast } from '../fixed/cast.ts';
import { fixedToRational, fixedType } from '../fixed/fixed-type.ts';
import { FIXED_OVERFLOWS } from '../fixed/overflow.ts';
import { FIXED_QUANTIZATIONS } from '../fixed/quantization.ts';
import { dequantizeAffine, quantizeAffine } from '../int/affine.ts';
import { chooseQParams } from '../int/choose-qparams.ts';
import { fullyConnectedInt8Output } from '../int/fully-connected.ts';
import { narrowInt } from '../int/narrow.ts';
import { qlinearMatMul } from '../int/qlinear-matmul.ts';
import {
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierInt64,
  quantizeMultiplier,
  roundingDivideByPot,
  srdhm,
} from '../int/requantize.ts';
import { asReal, bool, dtype, encodeInt, int, intList, intMatrix, object, oneOf, positiveReal, real, smallInt, exactKeys } from './fields.ts';
import { ConformanceInputError, type JsonValue, type OpHandler } from './types.ts';

type Obj = Record<string, JsonValue>;
const P = 'params';
const I = 'inputs';

/** Wraps a handler so the library's contract violations (RangeError) are reported as malformed lines. */
function handler(params: readonly string[], inputs: readonly string[], run: (p: Obj, i: Obj) => JsonValue): OpHandler {
  return {
    params,
    inputs,
    run: (p, i) => {
      try {
        return run(p, i);
      } catch (e) {
        if (e instanceof RangeError) throw new ConformanceInputError(e.message);
        throw e;
      }
    },
  };
}

const AFFINE_DTYPES = ['int4', 'uint4', 'int8', 'uint8', 'int16', 'int32'] as const;
const WIDTH_DTYPES = ['int4', 'uint4', 'int8', 'uint8', 'int16'] as const;

const quantize_affine = handler(['dtype', 'scale', 'zero_point', 'rounding', 'narrow_range'], ['x'], (p, i) =>
  encodeInt(
    quantizeAffine(real(i, 'x', I), {
      type: dtype(p, 'dtype', P, AFFINE_DTYPES),
      scale: positiveReal(p, 'scale', P),
      zeroPoint: int(p, 'zero_point', P),
      rounding: oneOf(p, 'rounding', P, ['rne', 'rna'] as const),
      narrowRange: bool(p, 'narrow_range', P),
    }),
  ),
);

const dequantize_affine = handler(['dtype', 'scale', 'zero_point'], ['q'], (p, i) =>
  dequantizeAffine(int(i, 'q', I), {
    type: dtype(p, 'dtype', P, AFFINE_DTYPES),
    scale: positiveReal(p, 'scale', P),
    zeroPoint: int(p, 'zero_point', P),
  }).toString(),
);

const choose_qparams = handler(['dtype', 'narrow_range'], ['rmin', 'rmax'], (p, i) => {
  const chosen = chooseQParams(real(i, 'rmin', I), real(i, 'rmax', I), dtype(p, 'dtype', P, WIDTH_DTYPES), bool(p, 'narrow_range', P));
  return { scale: chosen.scale.toString(), zero_point: encodeInt(chosen.zeroPoint) };
});

const narrow_int = handler(['dtype', 'overflow'], ['x'], (p, i) => {
  const x = int(i, 'x', I);
  if (BigInt.asIntN(64, x) !== x) throw new ConformanceInputError(`inputs.x: ${x} is outside int64`);
  return encodeInt(narrowInt(x, dtype(p, 'dtype', P, [...AFFINE_DTYPES, 'int64']), oneOf(p, 'overflow', P, ['WRAP', 'SAT'] as const)));
});

const srdhmOp = handler(['dtype'], ['a', 'b'], (p, i) => encodeInt(srdhm(int(i, 'a', I), int(i, 'b', I), dtype(p, 'dtype', P, ['int32', 'int16']))));

const rounding_divide_by_pot = handler(['dtype'], ['x', 'exponent'], (p, i) => {
  dtype(p, 'dtype', P, ['int32']);
  const x = int(i, 'x', I);
  if (BigInt.asIntN(32, x) !== x) throw new ConformanceInputError(`inputs.x: ${x} is outside int32`);
  return encodeInt(roundingDivideByPot(x, smallInt(i, 'exponent', I, 0, 31)));
});

const quantize_multiplier = handler([], ['real_multiplier'], (_p, i) => {
  const text = i['real_multiplier'];
  if (typeof text !== 'string') throw new ConformanceInputError(`inputs.real_multiplier: expected a real as a string, got ${JSON.stringify(text)}`);
  asReal(text, 'inputs.real_multiplier'); // validates the spelling
  // SCHEMA: M is the nearest binary64 to the string; JS parseFloat rounds correctly.
  const qm = quantizeMultiplier(Number.parseFloat(text));
  return { multiplier: encodeInt(qm.multiplier), shift: qm.shift };
});

const multiply_by_quantized_multiplier = handler(['variant', 'input_dtype', 'multiplier', 'shift'], ['x'], (p, i) => {
  const variant = oneOf(p, 'variant', P, ['double_round', 'single_round'] as const);
  const inputDtype = oneOf(p, 'input_dtype', P, ['int32', 'int64'] as const);
  const m = int(p, 'multiplier', P);
  const shift = smallInt(p, 'shift', P, -64, 64);
  const x = int(i, 'x', I);
  if (inputDtype === 'int32') return encodeInt(multiplyByQuantizedMultiplier(x, m, shift, variant));
  if (variant !== 'single_round') throw new ConformanceInputError('params.input_dtype: int64 is only defined with variant single_round');
  return encodeInt(multiplyByQuantizedMultiplierInt64(x, m, shift));
});

const fixed_cast = handler(['target', 'quantization', 'overflow'], ['x'], (p, i) => {
  const target = object(p, 'target', P);
  exactKeys(target, ['width', 'int_bits', 'signed'], 'params.target');
  const type = fixedType(smallInt(target, 'width', 'params.target', 1, 64), smallInt(target, 'int_bits', 'params.target', -1e6, 1e6), bool(target, 'signed', 'params.target'));
  const v = fixedCast(real(i, 'x', I), type, oneOf(p, 'quantization', P, FIXED_QUANTIZATIONS), oneOf(p, 'overflow', P, FIXED_OVERFLOWS));
  return fixedToRational(v).toString();
});

const accumulator_width = handler(['a_dtype', 'b_dtype', 'a_narrow', 'b_narrow'], ['k'], (p, i) => {
  const k = int(i, 'k', I);
  const a = { type: dtype(p, 'a_dtype', P, WIDTH_DTYPES), narrow: bool(p, 'a_narrow', P) };
  const b = { type: dtype(p, 'b_dtype', P, WIDTH_DTYPES), narrow: bool(p, 'b_narrow', P) };
  return accumulatorWidth(a, b, k);
});

const gemmini_rounding_shift = handler(['dtype'], ['x', 'shift'], (p, i) => {
  dtype(p, 'dtype', P, ['int32']);
  return encodeInt(gemminiRoundingShift(int(i, 'x', I), smallInt(i, 'shift', I, 0, 31)));
});

const gemmini_acc_scale = handler(['activation'], ['acc', 'scale'], (p, i) =>
  encodeInt(gemminiAccScale(int(i, 'acc', I), real(i, 'scale', I), oneOf(p, 'activation', P, ['none', 'relu'] as const))),
);

const nvdla_cvt = handler(['offset', 'scaling', 'shifter', 'out_dtype'], ['x'], (p, i) =>
  encodeInt(
    nvdlaCvt(int(i, 'x', I), {
      offset: int(p, 'offset', P),
      scaling: int(p, 'scaling', P),
      shifter: smallInt(p, 'shifter', P, 0, 31),
      outType: dtype(p, 'out_dtype', P, ['int8', 'int16']),
    }),
  ),
);

const FC_PARAMS = ['input_zero_point', 'weight_zero_point', 'output_zero_point', 'multiplier', 'shift', 'act_min', 'act_max', 'variant'];

const fully_connected_int8 = handler(FC_PARAMS, ['input', 'weights', 'bias'], (p, i) => {
  const toNumbers = (key: string): number[] => intList(i, key, I).map((v) => {
    if (BigInt.asIntN(8, v) !== v) throw new ConformanceInputError(`inputs.${key}: ${v} is outside int8`);
    return Number(v);
  });
  const y = fullyConnectedInt8Output(toNumbers('input'), toNumbers('weights'), int(i, 'bias', I), {
    inputZeroPoint: int(p, 'input_zero_point', P),
    weightZeroPoint: int(p, 'weight_zero_point', P),
    outputZeroPoint: int(p, 'output_zero_point', P),
    multiplier: int(p, 'multiplier', P),
    shift: smallInt(p, 'shift', P, -64, 64),
    actMin: int(p, 'act_min', P),
    actMax: int(p, 'act_max', P),
    variant: oneOf(p, 'variant', P, ['double_round', 'single_round'] as const),
  });
  return encodeInt(y);
});

const QLM_PARAMS = ['dtype', 'a_scale', 'a_zero_point', 'b_scale', 'b_zero_point', 'y_scale', 'y_zero_point'];

const qlinear_matmul = handler(QLM_PARAMS, ['a', 'b'], (p, i) => {
  const y = qlinearMatMul(intMatrix(i, 'a', I), intMatrix(i, 'b', I), {
    type: dtype(p, 'dtype', P, ['int8', 'uint8']),
    aScale: positiveReal(p, 'a_scale', P),
    aZeroPoint: int(p, 'a_zero_point', P),
    bScale: positiveReal(p, 'b_scale', P),
    bZeroPoint: int(p, 'b_zero_point', P),
    yScale: positiveReal(p, 'y_scale', P),
    yZeroPoint: int(p, 'y_zero_point', P),
  });
  return y.map((row) => row.map(encodeInt));
});

/** Conformance handlers for the integer, fixed-point and accelerator ops of SCHEMA.md. */
export const intOps: Record<string, OpHandler> = {
  quantize_affine,
  dequantize_affine,
  choose_qparams,
  narrow_int,
  srdhm: srdhmOp,
  rounding_divide_by_pot,
  quantize_multiplier,
  multiply_by_quantized_multiplier,
  fixed_cast,
  accumulator_width,
  gemmini_rounding_shift,
  gemmini_acc_scale,
  nvdla_cvt,
  fully_connected_int8,
  qlinear_matmul,
};
