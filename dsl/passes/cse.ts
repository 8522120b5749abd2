/**
 * Common-subexpression elimination: nodes that compute the same thing (same kind, op, params,
 * result type and, after remapping, the same operands; constants of one type and value; reads of
 * one signal; the same instance output) become one node, the first in order, which keeps its
 * source location. A name hint of a merged duplicate is kept when the first node has none.
 * Operand order is kept as written (no commutative canonicalization). Pure.
 */
import type { Design, ModuleIR, Node, NodeId } from '../ir/nodes.ts';
import { assertNever } from '../ir/nodes.ts';
import { mapModules, remapModule } from './rewrite.ts';

export function cseDesign(design: Design): Design {
  return mapModules(design, cseModule);
}

export function cseModule(m: ModuleIR): ModuleIR {
  const nodes: Node[] = [];
  const map: NodeId[] = [];
  const seen = new Map<string, NodeId>();
  for (const n of m.nodes) {
    const remapped: Node = n.kind === 'op' ? { ...n, args: n.args.map((a) => map[a]!) } : n;
    const key = keyOf(remapped);
    const hit = seen.get(key);
    if (hit !== undefined) {
      const kept = nodes[hit]!;
      if (kept.name === undefined && n.name !== undefined) nodes[hit] = { ...kept, name: n.name };
      map[n.id] = hit;
      continue;
    }
    const id = nodes.length;
    nodes.push({ ...remapped, id });
    seen.set(key, id);
    map[n.id] = id;
  }
  return remapModule(m, nodes, map);
}

function keyOf(n: Node): string {
  const t = `${n.type.signed ? 's' : 'u'}${n.type.width}`;
  switch (n.kind) {
    case 'const': return `c ${t} ${n.value}`;
    case 'read': return `r ${n.signal}`;
    case 'instOut': return `i ${n.instance} ${n.port}`;
    case 'op': return `o ${n.op} ${t} ${n.args.join(',')} ${n.params.amount ?? ''}:${n.params.hi ?? ''}:${n.params.lo ?? ''}:${n.params.width ?? ''}`;
    default: return assertNever(n, 'node kind');
  }
}
