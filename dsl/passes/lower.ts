/**
 * Lowering: rewrites every composite op into primitive ops through its table entry, and makes
 * every implicit widening at a sink (connect, instance input) an explicit `ext`. After this
 * pass, every operand has exactly the width its op needs, so no emitter depends on Verilog's
 * context-determined sizing. Every node a lowering creates keeps the original node's source
 * location; a name hint moves to the node that carries the composite's result. Nothing is
 * folded here (see fold.ts). Pure: returns a new design.
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
import { mapModules } from './rewrite.ts';

export function lowerDesign(design: Design): Design {
  return mapModules(design, (m) => lowerModule(design, m));
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

  /** Gives node `id` the name hint, unless it already has one or is not an op of this lowering. */
  name(id: NodeId, name: string | undefined, firstNew: NodeId): void {
    const n = this.nodes[id]!;
    if (name === undefined || n.name !== undefined || id < firstNew || n.kind !== 'op') return;
    this.nodes[id] = { ...n, name };
  }

  readonly builder: Lowerer = {
    prim: (op: PrimOpName, args: readonly LVal[], p: OpParams = {}) => {
      const type = PRIM_OPS[op].type(args.map((a) => a.type), p);
      if (typeof type === 'string') throw new Error(`internal error: lowering built an ill-typed ${op}: ${type}`);
      const loc = this.loc;
      return this.push((id) => ({ kind: 'op', id, type, loc, op, args: args.map((a) => a.id), params: p }));
    },
    constant: (value: bigint, type: BitsType) => {
      const loc = this.loc;
      return { ...this.push((id) => ({ kind: 'const', id, type, loc, value })), value };
    },
  };
}

export function lowerModule(design: Design, m: ModuleIR): ModuleIR {
  const L = new ModuleLowerer(m.loc);
  const map: LVal[] = [];
  for (const n of m.nodes) {
    L.loc = n.loc;
    const firstNew = L.nodes.length;
    map[n.id] = lowerNode(L, n, map);
    L.name(map[n.id]!.id, n.name, firstNew);
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
