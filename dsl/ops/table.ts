/** The one operator table: every op's entry, looked up by name. */
import { isPrimOp, type CompositeOpName, type OpName, type PrimOpName } from './names.ts';
import { COMPOSITE_OPS } from './composites.ts';
import { PRIM_OPS } from './prims.ts';
import type { CompositeOpDef, PrimOpDef } from './types.ts';

export function primOp(op: PrimOpName): PrimOpDef {
  return PRIM_OPS[op];
}

export function compositeOp(op: CompositeOpName): CompositeOpDef {
  return COMPOSITE_OPS[op];
}

export function opDef(op: OpName): PrimOpDef {
  return isPrimOp(op) ? PRIM_OPS[op] : COMPOSITE_OPS[op];
}

export { PRIM_OPS, COMPOSITE_OPS };
