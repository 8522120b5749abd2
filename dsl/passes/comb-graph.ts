/**
 * The combinational dependency graph of a module: what each node and signal depends on within
 * one clock cycle. Registers and inputs are sources; an instance output depends on exactly
 * those instance inputs its module connects to it combinationally.
 */
import type { Design, ModuleIR } from '../ir/nodes.ts';
import { findModule } from '../ir/nodes.ts';

/** Vertex ids: node i is `i`; signal s is `nodes.length + s`. */
export interface CombGraph {
  readonly edges: readonly (readonly number[])[];
  readonly nodeCount: number;
}

const depCache = new WeakMap<ModuleIR, Map<string, Set<string>>>();

export function buildCombGraph(design: Design, m: ModuleIR): CombGraph {
  const n = m.nodes.length;
  const edges: number[][] = Array.from({ length: n + m.signals.length }, () => []);
  for (const node of m.nodes) {
    if (node.kind === 'op') edges[node.id]!.push(...node.args);
    else if (node.kind === 'read') {
      const s = m.signals[node.signal]!;
      if (s.kind === 'wire' || s.kind === 'output') edges[node.id]!.push(n + s.id);
    } else if (node.kind === 'instOut') {
      const inst = m.instances[node.instance]!;
      const deps = outputDeps(design, findModule(design, inst.module)).get(node.port) ?? new Set<string>();
      for (const p of deps) {
        const src = inst.inputs[p];
        if (src !== undefined) edges[node.id]!.push(src);
      }
    }
  }
  for (const c of m.connects) {
    const s = m.signals[c.target]!;
    if (s.kind === 'wire' || s.kind === 'output') edges[n + s.id]!.push(c.value);
  }
  return { edges, nodeCount: n };
}

/** For each output port of `m`, the input ports it depends on combinationally. Memoized. */
export function outputDeps(design: Design, m: ModuleIR): Map<string, Set<string>> {
  const cached = depCache.get(m);
  if (cached) return cached;
  const g = buildCombGraph(design, m);
  const result = new Map<string, Set<string>>();
  for (const s of m.signals) {
    if (s.kind !== 'output') continue;
    const inputs = new Set<string>();
    for (const v of reachable(g, g.nodeCount + s.id)) {
      if (v >= g.nodeCount) continue;
      const node = m.nodes[v]!;
      if (node.kind === 'read' && m.signals[node.signal]!.kind === 'input') inputs.add(m.signals[node.signal]!.name);
    }
    result.set(s.name, inputs);
  }
  depCache.set(m, result);
  return result;
}

function reachable(g: CombGraph, start: number): Set<number> {
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (const w of g.edges[v]!) if (!seen.has(w)) { seen.add(w); stack.push(w); }
  }
  return seen;
}

/** One cycle per strongly connected cycle found (iterative DFS), as vertex lists. */
export function findCycles(g: CombGraph): number[][] {
  const state = new Uint8Array(g.edges.length); // 0 new, 1 on stack, 2 done
  const cycles: number[][] = [];
  for (let root = 0; root < g.edges.length; root++) {
    if (state[root] !== 0) continue;
    const path: number[] = [root];
    const iters: number[] = [0];
    state[root] = 1;
    while (path.length > 0) {
      const v = path[path.length - 1]!;
      const i = iters[iters.length - 1]!;
      const next = g.edges[v]![i];
      if (next === undefined) {
        state[v] = 2;
        path.pop();
        iters.pop();
        continue;
      }
      iters[iters.length - 1] = i + 1;
      if (state[next] === 1) cycles.push(path.slice(path.indexOf(next)));
      else if (state[next] === 0) {
        state[next] = 1;
        path.push(next);
        iters.push(0);
      }
    }
  }
  return cycles;
}
