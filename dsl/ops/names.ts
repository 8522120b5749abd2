/**
 * Operator names and parameters. Primitive ops are what lowered IR contains and what the
 * Verilog printer knows; composite ops are the user-facing operators with growing widths,
 * mixed signedness and narrowing, each lowered to primitives once in its table entry.
 */
export const PRIM_OP_NAMES = [
  'addw', 'subw', 'mulw', 'negw',
  'and', 'or', 'xor', 'not',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge',
  'redand', 'redor', 'redxor',
  'shld', 'shrd',
  'concat', 'slice', 'ext', 'asSigned', 'asUnsigned', 'mux',
] as const;

export const COMPOSITE_OP_NAMES = [
  'add', 'sub', 'mul', 'neg', 'addWrap', 'subWrap',
  'cmpEq', 'cmpNe', 'cmpLt', 'cmpLe', 'cmpGt', 'cmpGe',
  'shl', 'shr', 'wrap', 'saturate', 'toSigned', 'select',
] as const;

export type PrimOpName = (typeof PRIM_OP_NAMES)[number];
export type CompositeOpName = (typeof COMPOSITE_OP_NAMES)[number];
export type OpName = PrimOpName | CompositeOpName;

/** Static operator parameters; which are required is stated by each op's doc. */
export interface OpParams {
  /** Shift amount (`shl`, `shr`). */
  readonly amount?: number;
  /** Slice bounds, inclusive (`slice`). */
  readonly hi?: number;
  readonly lo?: number;
  /** Target width (`ext`, `wrap`, `saturate`). */
  readonly width?: number;
}

export function isPrimOp(op: OpName): op is PrimOpName {
  return (PRIM_OP_NAMES as readonly string[]).includes(op);
}
