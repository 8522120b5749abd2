/**
 * Lowering: rewrites every composite op into primitive ops through its table entry, and makes
 * every implicit widening at a sink (connect, instance input) an explicit `ext`. After this
 * pass, every operand has exactly the width its op needs, so no emitter depends on Verilog's
 * context-determined sizing. Source locations of the original nodes are kept on every node
 * their lowering creates. Pure: returns a new design.
 */
import type { SourceLoc } from '../diagnostics/loc.ts';
import type { BitsType } from '../types/bits.ts';
import type { Connect, Design, Instance, ModuleIR, Node, NodeId, Signal } from '../ir/nodes.ts';
import { assertNever, findModule } from '../ir/nodes.ts';
import { isPrimOp, type OpParams, type PrimOpName } from '../ops/names.ts';
import { COMPOSITE_OPS, PRIM_OPS } from '../ops/table.ts';
import { extendTo } from '../ops/rules.ts';
import type { Lowerer, LVal } from '../ops/types.ts';
import { formatType } from '../types/bits.ts';

export function lowerDesign(design: Design): Design {
  return { ...design, modules: design.modules.map((m) => lowerModule(design, m)) };
}

class ModuleLowerer {
  readonly nodes: Node[] = [];
  loc: SourceLoc;

  constructor(loc: SourceLoc) {
    this.loc = loc;
  }

  push(make: (id: NodeId) => Node): LVal {
    const n = make(this.nodes.length);
    this.nodes.push(n);
    return { id: n.id, type: n.type };
  }

  readonly builder: Lowerer = {
    prim: (op: PrimOpName, args: readonly LVal[], p: OpParams = {}) => {
      const type = PRIM_OPS[op].type(args.map((a) => a.type), p);
      if (typeof type === 'string') throw new Error(`internal error: lowering built an ill-typed ${op}: ${type}`);
      // Constant folding through the op table's own eval: an op of constants is a constant, so
      // no always-true/false logic reaches the RTL (Verilator -Wall flags such compares).
      if (args.length > 0 && args.every((a) => a.value !== undefined)) {
        return this.builder.constant(PRIM_OPS[op].eval(args.map((a) => a.value!), args.map((a) => a.type), p, type), type);
      }
      const simple = simplify(op, args, type);
      if (simple !== undefined) return typeof simple === 'bigint' ? this.builder.constant(simple, type) : simple;
      const loc = this.loc;
      return this.push((id) => ({ kind: 'op', id, type, loc, op, args: args.map((a) => a.id), params: p }));
    },
    constant: (value: bigint, type: BitsType) => {
      const loc = this.loc;
      return { ...this.push((id) => ({ kind: 'const', id, type, loc, value })), value };
    },
  };
}

/**
 * Algebraic identities with one constant operand: absorbing elements give a constant (x & 0,
 * x | ~0, x * 0), neutral ones give the other operand (x + 0, x - 0, x | 0, x ^ 0, x & ~0,
 * x * 1), and a mux with a constant select or equal arms gives that arm. Result types equal the
 * operands' for all these ops, so returning an operand is type-exact. x - x and x ^ x are 0;
 * x & x and x | x are x.
 */
function simplify(op: PrimOpName, args: readonly LVal[], type: BitsType): LVal | bigint | undefined {
  const [a, b, c] = args;
  if (op === 'mux') {
    if (a!.value !== undefined) return a!.value === 1n ? b! : c!;
    return b!.id === c!.id ? b! : undefined;
  }
  if (args.length !== 2) return undefined;
  const ones = type.signed ? -1n : (1n << BigInt(type.width)) - 1n;
  for (const [k, other] of [[a!, b!], [b!, a!]] as const) {
    const v = k.value;
    if (v === undefined) continue;
    if ((op === 'and' && v === 0n) || (op === 'mulw' && v === 0n)) return 0n;
    if (op === 'or' && v === ones) return ones;
    if ((op === 'addw' || op === 'or' || op === 'xor') && v === 0n) return other;
    if (op === 'and' && v === ones) return other;
    if (op === 'mulw' && v === 1n) return other;
  }
  if (op === 'subw' && b!.value === 0n) return a!;
  if (a!.id === b!.id) {
    if (op === 'subw' || op === 'xor') return 0n;
    if (op === 'and' || op === 'or') return a!;
  }
  return undefined;
}

export function lowerModule(design: Design, m: ModuleIR): ModuleIR {
  const L = new ModuleLowerer(m.loc);
  const map: LVal[] = [];
  for (const n of m.nodes) {
    L.loc = n.loc;
    map[n.id] = lowerNode(L, n, map);
  }
  const widen = (v: NodeId, t: BitsType, loc: SourceLoc): NodeId => {
    L.loc = loc;
    return extendTo(L.builder, map[v]!, t).id;
  };
  const connects: Connect[] = m.connects.map((c) => ({ ...c, value: widen(c.value, m.signals[c.target]!.type, c.loc) }));
  const signals: Signal[] = m.signals.map((s) => (s.reg?.enable !== undefined ? { ...s, reg: { ...s.reg, enable: map[s.reg.enable]!.id } } : s));
  const instances: Instance[] = m.instances.map((inst) => {
    const child = findModule(design, inst.module);
    const inputs: Record<string, NodeId> = {};
    for (const [port, v] of Object.entries(inst.inputs)) {
      const p = child.signals.find((s) => s.name === port && s.kind === 'input');
      if (!p) throw new Error(`internal error: instance ${inst.name} has no port ${port}`);
      inputs[port] = widen(v, p.type, inst.loc);
    }
    return { ...inst, inputs };
  });
  return { ...m, nodes: L.nodes, connects, signals, instances };
}

function lowerNode(L: ModuleLowerer, n: Node, map: readonly LVal[]): LVal {
  switch (n.kind) {
    case 'const':
      return { ...L.push((id) => ({ ...n, id })), value: n.value };
    case 'read':
    case 'instOut':
      return L.push((id) => ({ ...n, id }));
    case 'op': {
      const args = n.args.map((a) => map[a]!);
      if (isPrimOp(n.op)) return L.builder.prim(n.op, args, n.params);
      const out = COMPOSITE_OPS[n.op].lower(L.builder, args, n.params, n.type);
      if (out.type.width !== n.type.width || out.type.signed !== n.type.signed) {
        throw new Error(`internal error: lowering of ${n.op} gave ${formatType(out.type)}, expected ${formatType(n.type)}`);
      }
      return out;
    }
    default:
      return assertNever(n, 'node kind');
  }
}
