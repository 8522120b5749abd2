/**
 * Conformance handlers for the ggml block-format ops of `test/data/SCHEMA.md` ("Block formats of LLM
 * weight files"): ggml_quantize_row, ggml_dequantize_row, ggml_vec_dot. Built only on
 * `sim/golden/llm` and the float bit encodings.
 */
import { fp32 } from '../float/format.ts';
import { formatBits, parseBits } from '../float/bits.ts';
import { fp32Code, fp32Value } from '../llm/c-float.ts';
import { GGML_BLOCK, GGML_BLOCK_BYTES, ggmlDequantizeRow, ggmlQuantizeRow, type GgmlType } from '../llm/ggml-blocks.ts';
import { GGML_DOT_TYPES, ggmlDotOperands, ggmlVecDot } from '../llm/ggml-dot.ts';
import { oneOf } from './fields.ts';
import { ConformanceInputError, type JsonValue, type OpHandler } from './types.ts';

type Json = Record<string, JsonValue>;

/** Lowercase hex without `0x` → bytes, checked to be whole blocks of `type`. */
function hexBlocks(o: Json, key: string, type: GgmlType): Uint8Array {
  const v = o[key];
  if (typeof v !== 'string' || !/^([0-9a-f]{2})+$/.test(v)) {
    throw new ConformanceInputError(`inputs.${key}: expected the row's bytes as lowercase hex without 0x (an even number of digits), got ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  const bytes = Uint8Array.from(v.match(/../g) ?? [], (h) => parseInt(h, 16));
  const size = GGML_BLOCK_BYTES[type];
  if (bytes.length % size !== 0) throw new ConformanceInputError(`inputs.${key}: ${bytes.length} bytes is not a whole number of ${size}-byte ${type} blocks`);
  return bytes;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fp32Row(o: Json, key: string): Float32Array {
  const v = o[key];
  if (!Array.isArray(v) || v.length === 0 || v.length % GGML_BLOCK !== 0) {
    throw new ConformanceInputError(`inputs.${key}: expected a list of fp32 bits whose length is a multiple of ${GGML_BLOCK}`);
  }
  return Float32Array.from(v, (b, i) => {
    if (typeof b !== 'string') throw new ConformanceInputError(`inputs.${key}[${i}]: expected fp32 bits like "0x3f800000", got ${JSON.stringify(b)}`);
    try {
      return fp32Value(parseBits(fp32, b));
    } catch (e) {
      throw new ConformanceInputError(`inputs.${key}[${i}]: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

const bits32 = (v: number) => formatBits(fp32, fp32Code(v));

const ggml_quantize_row: OpHandler = {
  params: ['type'],
  inputs: ['x'],
  run(params, inputs) {
    const type = oneOf(params, 'type', 'params', ['q4_0', 'q4_1', 'q8_0', 'q8_1'] as const);
    return toHex(ggmlQuantizeRow(type, fp32Row(inputs, 'x')));
  },
};

const ggml_dequantize_row: OpHandler = {
  params: ['type'],
  inputs: ['data'],
  run(params, inputs) {
    const type = oneOf(params, 'type', 'params', ['q4_0', 'q4_1', 'q8_0'] as const);
    return Array.from(ggmlDequantizeRow(type, hexBlocks(inputs, 'data', type)), bits32);
  },
};

const ggml_vec_dot: OpHandler = {
  params: ['types'],
  inputs: ['x', 'y'],
  nanFormat: () => 'fp32',
  run(params, inputs) {
    const types = oneOf(params, 'types', 'params', GGML_DOT_TYPES);
    const [tx, ty] = ggmlDotOperands(types);
    const x = hexBlocks(inputs, 'x', tx);
    const y = hexBlocks(inputs, 'y', ty);
    if (x.length / GGML_BLOCK_BYTES[tx] !== y.length / GGML_BLOCK_BYTES[ty]) {
      throw new ConformanceInputError(`inputs: x has ${x.length / GGML_BLOCK_BYTES[tx]} ${tx} blocks but y has ${y.length / GGML_BLOCK_BYTES[ty]} ${ty} blocks`);
    }
    return bits32(ggmlVecDot(types, x, y));
  },
};

export const ggmlOps = { ggml_quantize_row, ggml_dequantize_row, ggml_vec_dot } satisfies Record<string, OpHandler>;
