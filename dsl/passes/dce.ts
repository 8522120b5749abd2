/**
 * Dead-code elimination: keeps the nodes that a sink reads directly or through other kept
 * nodes (connects, register enables, instance inputs) and every instance output (an instance
 * keeps all its ports connected, which `verilator -Wall` expects). Signals, connects and
 * instances are kept, so every port, wire and register the user declared stays. Node order is
 * kept, so operands still precede their users. Pure.
 */
import type { Design, ModuleIR, Node, NodeId } from '../ir/nodes.ts';
import { mapModules, remapModule, rootNodes } from './rewrite.ts';

export function dceDesign(design: Design): Design {
  return mapModules(design, dceModule);
}

export function dceModule(m: ModuleIR): ModuleIR {
  const live = new Uint8Array(m.nodes.length);
  const stack: NodeId[] = [...rootNodes(m), ...m.nodes.filter((n) => n.kind === 'instOut').map((n) => n.id)];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (live[id]) continue;
    live[id] = 1;
    const n = m.nodes[id]!;
    if (n.kind === 'op') stack.push(...n.args);
  }
  const nodes: Node[] = [];
  const map: NodeId[] = [];
  for (const n of m.nodes) {
    if (!live[n.id]) continue;
    map[n.id] = nodes.length;
    nodes.push(n.kind === 'op' ? { ...n, id: nodes.length, args: n.args.map((a) => map[a]!) } : { ...n, id: nodes.length });
  }
  return remapModule(m, nodes, map);
}
