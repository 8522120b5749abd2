/**
 * When an op may be written inside its reader instead of on its own wire. Verilog sizes and signs
 * operands from their context, so nesting is only done where the context cannot change the
 * result: in lowered IR every operand of an op has the op's width, so the context width always
 * equals the nested expression's own width; what remains is signedness, which a mixed context
 * turns unsigned. So a signed multiply or arithmetic right shift (the only ops printed as signed
 * at the top) is never nested, and neither is anything a slice, extension or reinterpretation
 * reads (those need a plain name to index). Nesting stays shallow so lines stay readable.
 *
 * A logic operator (arithmetic, comparison, mux, bitwise, reduction) is never nested inside
 * another logic operator; it may still be nested in a concatenation, extension, shift or sink.
 * Why: yosys/ABC map deeply nested operator expressions differently; with nesting allowed,
 * fp_mul bf16 lost 8% hx8k Fmax (21.28 -> 19.52 MHz mean of 5 seeds), and this rule restores it
 * (docs/pipeline.md, QoR section; bench/results/float-qor-seeds.json).
 */
import type { ModuleIR, OpNode } from '../../dsl/ir/nodes.ts';
import { assertNever } from '../../dsl/ir/nodes.ts';
import type { VExpr } from './ast.ts';
import { rootNodes } from '../../dsl/passes/rewrite.ts';
import type { PrimOpName } from '../../dsl/ops/names.ts';

/** What reads a node: an op (each operand position counts), or a sink (connect, enable, instance input). */
export type Reader = OpNode | 'sink';

/** Operators in a nested expression at most (its own included). */
const MAX_NESTED_OPS = 4;

export function readersOf(m: ModuleIR): Reader[][] {
  const readers: Reader[][] = m.nodes.map(() => []);
  for (const n of m.nodes) if (n.kind === 'op') for (const a of n.args) readers[a]!.push(n);
  for (const r of rootNodes(m)) readers[r]!.push('sink');
  return readers;
}

export function inlinable(m: ModuleIR, n: OpNode, e: VExpr, readers: readonly (readonly Reader[])[]): boolean {
  if ((n.op === 'mulw' || n.op === 'shrd') && n.type.signed) return false;
  const rs = effectiveReaders(m, n.id, readers);
  if (rs.length !== 1) return false;
  const r = rs[0]!;
  if (r !== 'sink' && needsName(m, r)) return false;
  if (r !== 'sink' && LOGIC_OPS.has(n.op) && LOGIC_OPS.has(r.op)) return false;
  return opCount(e) <= MAX_NESTED_OPS;
}

/** Ops that map to logic of their own (not wiring): kept apart from each other, see the header. */
const LOGIC_OPS: ReadonlySet<string> = new Set<PrimOpName>(['addw', 'subw', 'negw', 'mulw', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'mux', 'and', 'or', 'xor', 'not', 'redand', 'redor', 'redxor']);

/** Ops printed as their operand itself (reinterpretations, a bit of a 1-bit net, a zero-bit extension). */
function isPassThrough(m: ModuleIR, r: OpNode): boolean {
  const w = m.nodes[r.args[0]!]!.type.width;
  return r.op === 'asSigned' || r.op === 'asUnsigned' || (r.op === 'slice' && w === 1) || (r.op === 'ext' && r.type.width === w);
}

/** Ops that index their operand, so it must be a plain name: a part-select, a sign extension. */
function needsName(m: ModuleIR, r: OpNode): boolean {
  const a = m.nodes[r.args[0]!]!.type;
  return r.op === 'slice' || (r.op === 'ext' && a.signed && r.type.width > a.width);
}

/** Readers of a node, looking through pass-throughs (their readers read the same expression). */
function effectiveReaders(m: ModuleIR, id: number, readers: readonly (readonly Reader[])[]): Reader[] {
  const out: Reader[] = [];
  for (const r of readers[id]!) {
    if (r !== 'sink' && isPassThrough(m, r)) out.push(...effectiveReaders(m, r.id, readers));
    else out.push(r);
  }
  return out;
}

function opCount(e: VExpr): number {
  switch (e.kind) {
    case 'ref': case 'lit': case 'index': return 0;
    case 'unary': case 'signed': case 'repl': return 1 + opCount(e.arg);
    case 'binary': return 1 + opCount(e.a) + opCount(e.b);
    case 'concat': return 1 + e.parts.reduce((s, p) => s + opCount(p), 0);
    case 'cond': return 1 + opCount(e.cond) + opCount(e.a) + opCount(e.b);
    default: return assertNever(e, 'Verilog expression');
  }
}
