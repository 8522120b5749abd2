/**
 * The shared tail of every node-rewriting pass: given a module's new node list and the map from
 * old node ids to new ones, rewrites every reference to a node (connects, register enables,
 * instance inputs). Signals, instances and locations are kept as they are.
 */
import type { Design, Instance, ModuleIR, Node, NodeId, Signal } from '../ir/nodes.ts';

export function remapModule(m: ModuleIR, nodes: readonly Node[], map: readonly NodeId[]): ModuleIR {
  const to = (id: NodeId): NodeId => {
    const n = map[id];
    if (n === undefined) throw new Error(`internal error: node ${id} of module ${m.name} was dropped but is still referenced`);
    return n;
  };
  const signals: Signal[] = m.signals.map((s) => (s.reg?.enable !== undefined ? { ...s, reg: { ...s.reg, enable: to(s.reg.enable) } } : s));
  const instances: Instance[] = m.instances.map((inst) => ({ ...inst, inputs: Object.fromEntries(Object.entries(inst.inputs).map(([p, v]) => [p, to(v)])) }));
  return { ...m, nodes, connects: m.connects.map((c) => ({ ...c, value: to(c.value) })), signals, instances };
}

/** Applies a per-module pass to every module of a design. */
export function mapModules(design: Design, pass: (m: ModuleIR, design: Design) => ModuleIR): Design {
  return { ...design, modules: design.modules.map((m) => pass(m, design)) };
}

/** Every node a module's sinks read directly: connects, register enables, instance inputs. */
export function rootNodes(m: ModuleIR): NodeId[] {
  const roots: NodeId[] = m.connects.map((c) => c.value);
  for (const s of m.signals) if (s.reg?.enable !== undefined) roots.push(s.reg.enable);
  for (const inst of m.instances) roots.push(...Object.values(inst.inputs));
  return roots;
}
