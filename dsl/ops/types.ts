/**
 * The shape of an operator table entry. Each op is defined exactly once: its arity, its
 * result-type rule, its exact `bigint` evaluation, and (composite ops only) its lowering to
 * primitive ops. The built-in simulator, the checker and the lowering pass all read these
 * entries; nothing restates an op's semantics elsewhere.
 */
import type { BitsType } from '../types/bits.ts';
import type { NodeId } from '../ir/nodes.ts';
import type { OpParams, PrimOpName } from './names.ts';

/** Result type, or a message saying why the operands or params are not allowed. */
export type TypeRule = (args: readonly BitsType[], p: OpParams) => BitsType | string;

/**
 * Exact evaluation on values (not bit patterns): `vals[i]` lies in the range of `args[i]`,
 * and the result must lie in the range of `result`.
 */
export type EvalFn = (vals: readonly bigint[], args: readonly BitsType[], p: OpParams, result: BitsType) => bigint;

export interface PrimOpDef {
  /** Number of operands, or `'many'` (at least one). */
  readonly arity: number | 'many';
  /** The contract: result width and signedness, and what the op computes. */
  readonly doc: string;
  readonly type: TypeRule;
  readonly eval: EvalFn;
}

/** A value during lowering: a node of the lowered module and its type. */
export interface LVal {
  readonly id: NodeId;
  readonly type: BitsType;
  /** Set when the value is a constant (lets lowerings fold decided comparisons). */
  readonly value?: bigint;
}

/** What a lowering function may build: primitive ops and constants, nothing else. */
export interface Lowerer {
  prim(op: PrimOpName, args: readonly LVal[], p?: OpParams): LVal;
  constant(value: bigint, type: BitsType): LVal;
}

export type LowerFn = (b: Lowerer, args: readonly LVal[], p: OpParams, result: BitsType) => LVal;

export interface CompositeOpDef extends PrimOpDef {
  readonly lower: LowerFn;
}
