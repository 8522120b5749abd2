export { GGML_BLOCK, GGML_BLOCK_BYTES, GGML_TYPES, ggmlBlockCount, ggmlDequantizeRow, ggmlQuantizeRow, type GgmlType } from './ggml-blocks.ts';
export { GGML_DOT_TYPES, ggmlDotOperands, ggmlVecDot, type GgmlDotTypes } from './ggml-dot.ts';
export * from './group-weights.ts';
export * from './awq-pack.ts';
export * from './gptq-pack.ts';
export * from './matmul-nbits.ts';
export * from './rtn.ts';
export * from './awq-search.ts';
