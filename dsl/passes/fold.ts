/**
 * Constant folding on lowered IR (primitive ops only). An op of constants becomes a constant
 * through the op table's own `eval`, so no always-true/false logic reaches the RTL; algebraic
 * identities with one constant operand, or with both operands the same node, give a constant or
 * an operand; a comparison decided by its operands' value ranges (constants, and zero- or
 * sign-extensions keep their operand's range) becomes a constant. Every result is type-exact:
 * an operand is returned only where the op's result type equals it. Constants created here take
 * the folded node's location; folded nodes become unreferenced and are left to dead-code
 * elimination. Pure.
 */
import type { Design, ModuleIR, Node, NodeId, OpNode } from '../ir/nodes.ts';
import { isPrimOp, type PrimOpName } from '../ops/names.ts';
import { PRIM_OPS } from '../ops/table.ts';
import { decideCompare } from '../ops/rules.ts';
import { maxValue, minValue, type BitsType } from '../types/bits.ts';
import { mapModules, remapModule } from './rewrite.ts';

export function foldDesign(design: Design): Design {
  return mapModules(design, foldModule);
}

type Range = readonly [bigint, bigint];

export function foldModule(m: ModuleIR): ModuleIR {
  const nodes: Node[] = [];
  const map: NodeId[] = [];
  const range: Range[] = [];
  const push = (n: Node, r?: Range): NodeId => {
    const id = nodes.length;
    nodes.push({ ...n, id });
    range[id] = r ?? (n.kind === 'const' ? [n.value, n.value] : [minValue(n.type), maxValue(n.type)]);
    return id;
  };
  const constant = (n: Node, value: bigint): NodeId => {
    const { loc, type, name } = n;
    return push({ kind: 'const', id: 0, type, loc, value, ...(name !== undefined ? { name } : {}) });
  };
  for (const n of m.nodes) {
    if (n.kind !== 'op') { map[n.id] = push(n); continue; }
    if (!isPrimOp(n.op)) throw new Error(`internal error: '${n.op}' reached constant folding; lower the design first`);
    const args = n.args.map((a) => map[a]!);
    const op: OpNode = { ...n, args };
    const r = foldOp(n.op, op, args.map((a) => nodes[a]!), args.map((a) => range[a]!));
    if (typeof r === 'bigint') map[n.id] = constant(n, r);
    else if (r !== undefined) map[n.id] = r;
    else map[n.id] = push(op, n.op === 'ext' ? range[args[0]!] : undefined);
  }
  return remapModule(m, nodes, map);
}

/** A constant, an existing node id (type-equal to the result), or undefined (keep the op). */
function foldOp(op: PrimOpName, n: OpNode, args: readonly Node[], ranges: readonly Range[]): bigint | NodeId | undefined {
  const values = args.map((a) => (a.kind === 'const' ? a.value : undefined));
  if (args.length > 0 && values.every((v) => v !== undefined)) {
    return PRIM_OPS[op].eval(values as bigint[], args.map((a) => a.type), n.params, n.type);
  }
  if (op === 'lt' || op === 'le' || op === 'gt' || op === 'ge' || op === 'eq' || op === 'ne') {
    const d = decideCompare(op, args[0]!.id === args[1]!.id, ranges[0]!, ranges[1]!);
    return d === undefined ? undefined : d ? 1n : 0n;
  }
  return identity(op, args, values, n.type);
}

/**
 * Algebraic identities: absorbing elements give a constant (x & 0, x | ~0, x * 0), neutral ones
 * give the other operand (x + 0, x - 0, x | 0, x ^ 0, x & ~0, x * 1), a mux with a constant select
 * or equal arms gives that arm; x - x and x ^ x are 0, x & x and x | x are x. Result types equal
 * the operands' for all these ops.
 */
function identity(op: PrimOpName, args: readonly Node[], values: readonly (bigint | undefined)[], type: BitsType): bigint | NodeId | undefined {
  const [a, b, c] = args;
  if (op === 'mux') {
    if (values[0] !== undefined) return values[0] === 1n ? b!.id : c!.id;
    return b!.id === c!.id ? b!.id : undefined;
  }
  if (args.length !== 2) return undefined;
  const ones = type.signed ? -1n : (1n << BigInt(type.width)) - 1n;
  for (const [k, other] of [[0, b!], [1, a!]] as const) {
    const v = values[k];
    if (v === undefined) continue;
    if ((op === 'and' && v === 0n) || (op === 'mulw' && v === 0n)) return 0n;
    if (op === 'or' && v === ones) return ones;
    if ((op === 'addw' || op === 'or' || op === 'xor') && v === 0n) return other.id;
    if (op === 'and' && v === ones) return other.id;
    if (op === 'mulw' && v === 1n) return other.id;
  }
  if (op === 'subw' && values[1] === 0n) return a!.id;
  if (a!.id === b!.id) {
    if (op === 'subw' || op === 'xor') return 0n;
    if (op === 'and' || op === 'or') return a!.id;
  }
  return undefined;
}
