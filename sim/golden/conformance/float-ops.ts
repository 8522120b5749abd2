/**
 * Conformance handlers for the float and MX ops of `test/data/SCHEMA.md`: float_decode, float_convert,
 * quantize_float, mx_quantize_block, mul_add. Each follows the schema text exactly and is built only
 * on `sim/golden/float` and `sim/golden/mx`.
 */
import { formatBits, parseBits } from '../float/bits.ts';
import { classifyFloat, decodeFloat } from '../float/decode.ts';
import { exactDiv } from '../float/exact.ts';
import { floatConvert } from '../float/convert.ts';
import { floatFma, floatMulAdd } from '../float/arith.ts';
import { anyFormat, e8m0, floatFormat, fp32, type AnyFormat, type FloatFormat } from '../float/format.ts';
import { roundToFormat } from '../float/round.ts';
import { isFloatRounding, type FloatRounding } from '../float/rounding.ts';
import { valueFromRational, valueToString, type ExactValue } from '../float/value.ts';
import { mxFormat } from '../mx/format.ts';
import { mxQuantizeBlock, type MxScaleRule } from '../mx/quantize.ts';
import { Rational } from '../rational.ts';
import { ConformanceInputError, type JsonValue, type OpHandler } from './types.ts';

type Json = Record<string, JsonValue>;

function str(o: Json, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ConformanceInputError(`"${key}" must be a string, got ${JSON.stringify(v)}`);
  return v;
}
function bool(o: Json, key: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new ConformanceInputError(`"${key}" must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}
function oneOf<T extends string>(o: Json, key: string, allowed: readonly T[]): T {
  const v = str(o, key);
  const hit = allowed.find((a) => a === v);
  if (hit === undefined) throw new ConformanceInputError(`"${key}" must be one of ${allowed.join(' ')}, got "${v}"`);
  return hit;
}
/** Wraps format/bits/real parsing errors as ConformanceInputError. */
function guard<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ConformanceInputError) throw e;
    throw new ConformanceInputError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
function fmtParam(o: Json, key: string, allowed: readonly string[]): FloatFormat {
  const name = oneOf(o, key, allowed);
  return guard(key, () => floatFormat(name));
}
function bits(o: Json, key: string, fmt: AnyFormat): number {
  const text = str(o, key);
  return guard(key, () => parseBits(fmt, text));
}
/** SCHEMA real (`"-0"` allowed) as an exact value. */
function real(text: JsonValue, key: string): ExactValue {
  if (typeof text !== 'string') throw new ConformanceInputError(`"${key}" must be a real string, got ${JSON.stringify(text)}`);
  return guard(key, () => valueFromRational(Rational.parse(text), text === '-0'));
}
function rounding(o: Json): FloatRounding {
  const r = str(o, 'rounding');
  if (!isFloatRounding(r)) throw new ConformanceInputError(`"rounding" must be a float rounding mode, got "${r}"`);
  return r;
}

const DECODE_FORMATS = ['fp32', 'fp16', 'bf16', 'fp8_e5m2', 'fp8_e4m3', 'fp6_e3m2', 'fp6_e2m3', 'fp4_e2m1', 'e8m0', 'mxint8'] as const;
const CONVERT_FORMATS = ['fp32', 'fp16', 'bf16', 'fp8_e4m3', 'fp8_e5m2', 'fp6_e3m2', 'fp6_e2m3', 'fp4_e2m1'] as const;
const QUANTIZE_TO = ['fp8_e4m3', 'fp8_e5m2', 'fp6_e3m2', 'fp6_e2m3', 'fp4_e2m1'] as const;
const MX_NAMES = ['mxfp8_e4m3', 'mxfp8_e5m2', 'mxfp6_e3m2', 'mxfp6_e2m3', 'mxfp4_e2m1', 'mxint8'] as const;
const SCALE_RULES: readonly MxScaleRule[] = ['floor', 'ceil', 'round'];
const MUL_ADD_FORMATS = ['fp32', 'fp16', 'bf16'] as const;

/** Exact value of one code, as a SCHEMA "value" string. */
const float_decode: OpHandler = {
  params: ['format'],
  inputs: ['bits'],
  run(params, inputs) {
    const fmt = guard('format', () => anyFormat(oneOf(params, 'format', DECODE_FORMATS)));
    return valueToString(decodeFloat(fmt, bits(inputs, 'bits', fmt)));
  },
};

/**
 * One rounding of the exact value between any two of the SCHEMA's float formats (widening is exact);
 * overflow/Inf per `saturate`; NaN → the target's canonical NaN.
 */
const float_convert: OpHandler = {
  params: ['from', 'to', 'saturate', 'rounding'],
  inputs: ['bits'],
  nanFormat: (params) => str(params, 'to'),
  run(params, inputs) {
    const from = fmtParam(params, 'from', CONVERT_FORMATS);
    const to = fmtParam(params, 'to', CONVERT_FORMATS);
    const input = bits(inputs, 'bits', from);
    if (to.nanCode === undefined && classifyFloat(from, input) === 'nan') {
      throw new ConformanceInputError(`inputs.bits: a NaN cannot be converted to ${to.name}, which has no NaN (the schema never has such a line)`);
    }
    const code = floatConvert(from, to, input, { rounding: rounding(params), saturate: bool(params, 'saturate') });
    return formatBits(to, code);
  },
};

/** ONNX QuantizeLinear to a float: fp32(fp32(x) / fp32(scale)), then float_convert fp32 → format. */
const quantize_float: OpHandler = {
  params: ['format', 'scale', 'saturate', 'rounding'],
  inputs: ['x'],
  nanFormat: (params) => str(params, 'format'),
  run(params, inputs) {
    const to = fmtParam(params, 'format', QUANTIZE_TO);
    const mode = rounding(params);
    const scale = real(params['scale'] ?? null, 'scale');
    if ((scale.kind !== 'finite' && scale.kind !== 'ratio') || scale.neg) throw new ConformanceInputError('"scale" must be > 0');
    const x32 = decodeFloat(fp32, roundToFormat(fp32, real(inputs['x'] ?? null, 'x')));
    const s32 = decodeFloat(fp32, roundToFormat(fp32, scale));
    const v = roundToFormat(fp32, exactDiv(x32, s32));
    return formatBits(to, floatConvert(fp32, to, v, { rounding: mode, saturate: bool(params, 'saturate') }));
  },
};

/** One OCP MX block: E8M0 scale per `scale_rule`, elements rounded with `element_rounding`, saturating. */
const mx_quantize_block: OpHandler = {
  params: ['format', 'block_size', 'scale_rule', 'element_rounding'],
  inputs: ['block'],
  run(params, inputs) {
    const fmt = mxFormat(oneOf(params, 'format', MX_NAMES));
    if (params['block_size'] !== fmt.blockSize) {
      throw new ConformanceInputError(`"block_size" must be ${fmt.blockSize}, got ${JSON.stringify(params['block_size'])}`);
    }
    const block = inputs['block'];
    if (!Array.isArray(block) || block.length !== fmt.blockSize) {
      throw new ConformanceInputError(`"block" must be a list of ${fmt.blockSize} reals`);
    }
    const elementRounding = oneOf(params, 'element_rounding', ['rne', 'rna'] as const);
    const scaleRule = oneOf(params, 'scale_rule', SCALE_RULES);
    const q = mxQuantizeBlock(fmt, block.map((v, i) => real(v, `block[${i}]`)), { scaleRule, elementRounding });
    return { scale: formatBits(e8m0, q.scale), elements: q.elements.map((c) => formatBits(fmt.element, c)) };
  },
};

/** a·b + c in one format: fused = one rounding; unfused = product rounded first. */
const mul_add: OpHandler = {
  params: ['format', 'fused', 'rounding'],
  inputs: ['a', 'b', 'c'],
  nanFormat: (params) => str(params, 'format'),
  run(params, inputs) {
    const fmt = fmtParam(params, 'format', MUL_ADD_FORMATS);
    const [a, b, c] = [bits(inputs, 'a', fmt), bits(inputs, 'b', fmt), bits(inputs, 'c', fmt)];
    const opts = { rounding: rounding(params) };
    return formatBits(fmt, bool(params, 'fused') ? floatFma(fmt, a, b, c, opts) : floatMulAdd(fmt, a, b, c, opts));
  },
};

export const floatOps = { float_decode, float_convert, quantize_float, mx_quantize_block, mul_add } satisfies Record<string, OpHandler>;
