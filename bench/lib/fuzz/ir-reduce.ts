/**
 * IR surgery for failure minimization, type-preserving by construction: a node replaced by the
 * constant 0 of its own type, one instance of a top kept with the others removed, and a
 * compaction that drops dead nodes, unused instances and modules nothing instantiates. Ports
 * never change, so the same stimulus drives every reduced design.
 */
import type { Design, ModuleIR, Node, NodeId } from '../../../dsl/ir/nodes.ts';
import { topModule } from '../../../dsl/ir/nodes.ts';

/** A node of a module of the design: the unit delta debugging removes. */
export interface NodeRef {
  readonly module: string;
  readonly node: NodeId;
}

/** Every non-constant node of every module: the candidates for replacement by a constant. */
export function reducibleNodes(design: Design): NodeRef[] {
  return design.modules.flatMap((m) => m.nodes.filter((n) => n.kind !== 'const').map((n) => ({ module: m.name, node: n.id })));
}

/** `design` with each listed node replaced by the constant 0 of its type, then compacted. */
export function replaceWithZero(design: Design, refs: readonly NodeRef[]): Design {
  const byModule = new Map<string, Set<NodeId>>();
  for (const r of refs) {
    let s = byModule.get(r.module);
    if (s === undefined) byModule.set(r.module, (s = new Set()));
    s.add(r.node);
  }
  const modules = design.modules.map((m) => {
    const zero = byModule.get(m.name);
    if (zero === undefined) return m;
    const nodes = m.nodes.map((n): Node => (zero.has(n.id) ? { kind: 'const', id: n.id, type: n.type, loc: n.loc, value: 0n } : n));
    return { ...m, nodes };
  });
  return compact({ ...design, modules });
}

/** The top with only instance `index` (and the outputs it drives) left: one design of a batch alone. */
export function keepInstance(design: Design, index: number): Design {
  const top = topModule(design);
  const zero: NodeRef[] = top.nodes.filter((n) => n.kind === 'instOut' && n.instance !== index).map((n) => ({ module: top.name, node: n.id }));
  return replaceWithZero(design, zero);
}

/** Drops nodes nothing reads, instances none of whose outputs are read, and unused modules. */
export function compact(design: Design): Design {
  const modules = design.modules.map(compactModule);
  const used = new Set<string>([design.top]);
  for (let i = modules.length - 1; i >= 0; i--) {
    const m = modules[i]!;
    if (used.has(m.name)) for (const inst of m.instances) used.add(inst.module);
  }
  return { ...design, modules: modules.filter((m) => used.has(m.name)) };
}

function compactModule(m: ModuleIR): ModuleIR {
  const live = new Set<NodeId>();
  const liveInst = new Set<number>();
  const visit = (id: NodeId): void => {
    if (live.has(id)) return;
    live.add(id);
    const n = m.nodes[id]!;
    if (n.kind === 'op') n.args.forEach(visit);
    if (n.kind === 'instOut' && !liveInst.has(n.instance)) {
      liveInst.add(n.instance);
      Object.values(m.instances[n.instance]!.inputs).forEach(visit);
    }
  };
  m.connects.forEach((c) => visit(c.value));
  for (const s of m.signals) if (s.reg?.enable !== undefined) visit(s.reg.enable);
  // The emitter connects every output port of an instance through its instOut node: keep them all.
  for (const n of m.nodes) if (n.kind === 'instOut' && liveInst.has(n.instance)) live.add(n.id);
  const nodeMap = new Map<NodeId, NodeId>();
  m.nodes.forEach((n) => { if (live.has(n.id)) nodeMap.set(n.id, nodeMap.size); });
  const instMap = new Map<number, number>();
  m.instances.forEach((_, i) => { if (liveInst.has(i)) instMap.set(i, instMap.size); });
  const id = (x: NodeId): NodeId => nodeMap.get(x)!;
  const nodes = m.nodes.filter((n) => live.has(n.id)).map((n): Node => {
    if (n.kind === 'op') return { ...n, id: id(n.id), args: n.args.map(id) };
    if (n.kind === 'instOut') return { ...n, id: id(n.id), instance: instMap.get(n.instance)! };
    return { ...n, id: id(n.id) };
  });
  const instances = m.instances.filter((_, i) => liveInst.has(i)).map((inst) => ({
    ...inst, inputs: Object.fromEntries(Object.entries(inst.inputs).map(([k, v]) => [k, id(v)])),
  }));
  const signals = m.signals.map((s) => (s.reg?.enable === undefined ? s : { ...s, reg: { ...s.reg, enable: id(s.reg.enable) } }));
  return { ...m, nodes, instances, signals, connects: m.connects.map((c) => ({ ...c, value: id(c.value) })) };
}

/** Nodes in the design (all modules): the size measure of a reduced case. */
export function nodeCount(design: Design): number {
  return design.modules.reduce((n, m) => n + m.nodes.length, 0);
}
