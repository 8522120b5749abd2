/** Combinational loop check (NPG203): lists the signals and operations on the cycle. */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Design, ModuleIR } from '../ir/nodes.ts';
import { buildCombGraph, findCycles } from './comb-graph.ts';

export function checkCombLoops(design: Design, m: ModuleIR): Diagnostic[] {
  const g = buildCombGraph(design, m);
  return findCycles(g).map((cycle) => {
    const sigs = cycle.filter((v) => v >= g.nodeCount).map((v) => m.signals[v - g.nodeCount]!);
    const nodes = cycle.filter((v) => v < g.nodeCount).map((v) => m.nodes[v]!);
    const names = sigs.map((s) => s.name);
    const loc = sigs[0]?.loc ?? nodes[0]!.loc;
    const path = names.length > 0 ? `${names.join(' -> ')} -> ${names[0]}` : 'through instance ports';
    return diagnostic('NPG203', `combinational loop in module '${m.name}': ${path}`, loc, [
      ...sigs.map((s) => ({ message: `'${s.name}' is on the loop`, loc: s.loc })),
      ...nodes.filter((n) => n.kind === 'op' || n.kind === 'instOut').map((n) => ({ message: `${n.kind === 'op' ? n.op : 'instance output'} on the loop`, loc: n.loc })),
    ]);
  });
}
