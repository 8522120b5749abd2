/**
 * Fault planting for checker tests: textual mutations of emitted Verilog, the kind of bug a
 * hand-written RTL has. Each mutation must match exactly once, so a change in the emitter
 * that makes a fault silently not apply fails the test instead of passing it. IR faults (below)
 * do the same on a built design.
 */
import type { Design, ModuleIR, Node, NodeId } from '../../dsl/ir/nodes.ts';

export interface Mutation {
  readonly name: string;
  readonly apply: (verilog: string) => string;
}

/** Replaces the single match of `pattern` (a RegExp without the g flag) using `replace`. */
export function replaceOnce(name: string, pattern: RegExp, replace: (m: RegExpExecArray) => string): Mutation {
  return {
    name,
    apply: (text) => {
      const all = [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g'))];
      if (all.length !== 1) throw new Error(`fault '${name}': pattern ${pattern} matched ${all.length} times (expected exactly 1)`);
      const m = pattern.exec(text)!;
      return text.slice(0, m.index) + replace(m) + text.slice(m.index + m[0].length);
    },
  };
}

/*
 * IR faults: mutations of a built design, for checkers that run the built-in simulator on the IR
 * (or emit it). The production generators carry no fault options; a test plants the fault here.
 * Each names exactly one place and throws when it is not there, like `replaceOnce`.
 */

/** The one module of `design` holding a signal or instance called `name` (throws unless exactly one). */
function moduleWith(design: Design, name: string, what: 'signal' | 'instance'): ModuleIR {
  const found = design.modules.filter((m) => (what === 'signal' ? m.signals.some((s) => s.name === name) : m.instances.some((i) => i.name === name)));
  if (found.length !== 1) throw new Error(`fault: ${what} '${name}' is in ${found.length} modules (expected exactly 1)`);
  return found[0]!;
}

function replaceModule<D extends Design>(design: D, old: ModuleIR, next: ModuleIR): D {
  return { ...design, modules: design.modules.map((m) => (m === old ? next : m)) };
}

/**
 * Register `reg` bypassed: every reader sees the value it would have stored (its next value) one
 * cycle early, e.g. a skew delay line one stage short (reg `a_2_skew_2` of a 3-row array).
 */
export function bypassRegister<D extends Design>(design: D, reg: string): D {
  const m = moduleWith(design, reg, 'signal');
  const sig = m.signals.find((s) => s.name === reg)!;
  if (sig.kind !== 'reg') throw new Error(`fault: '${reg}' is a ${sig.kind}, not a register`);
  const next = m.connects.filter((c) => c.target === sig.id);
  if (next.length !== 1) throw new Error(`fault: register '${reg}' has ${next.length} next values`);
  const reads = new Set(m.nodes.filter((n) => n.kind === 'read' && n.signal === sig.id).map((n) => n.id));
  if (reads.size === 0) throw new Error(`fault: register '${reg}' is never read`);
  const to = next[0]!.value;
  const map = (id: NodeId): NodeId => (reads.has(id) ? to : id);
  const nodes: Node[] = m.nodes.map((n) => (n.kind === 'op' ? { ...n, args: n.args.map(map) } : n));
  const connects = m.connects.map((c) => ({ ...c, value: map(c.value) }));
  const instances = m.instances.map((i) => ({ ...i, inputs: Object.fromEntries(Object.entries(i.inputs).map(([k, v]) => [k, map(v)])) }));
  const signals = m.signals.map((s) => (s.reg?.enable === undefined ? s : { ...s, reg: { ...s.reg, enable: map(s.reg.enable) } }));
  return replaceModule(design, m, { ...m, nodes, connects, instances, signals });
}

/** The drivers of input `port` of instances `a` and `b` (one module) crossed, e.g. two lanes of B swapped at the array's edge. */
export function swapInstanceInputs<D extends Design>(design: D, port: string, a: string, b: string): D {
  const m = moduleWith(design, a, 'instance');
  const [ia, ib] = [m.instances.find((i) => i.name === a)!, m.instances.find((i) => i.name === b)];
  if (ib === undefined) throw new Error(`fault: instance '${b}' is not beside '${a}'`);
  const [da, db] = [ia.inputs[port], ib.inputs[port]];
  if (da === undefined || db === undefined) throw new Error(`fault: '${a}' and '${b}' must both have input '${port}'`);
  const instances = m.instances.map((i) => (i === ia ? { ...i, inputs: { ...i.inputs, [port]: db } } : i === ib ? { ...i, inputs: { ...i.inputs, [port]: da } } : i));
  return replaceModule(design, m, { ...m, instances });
}

export type ArrayFault = 'short_skew' | 'swap_b_lanes';

/**
 * A systolic array's planted faults (in `design` or in its `_array` child): `short_skew` makes the
 * last A row's skew delay line one stage short; `swap_b_lanes` crosses B lanes 0 and 1 where
 * they enter the first PE row (after their skews, so they also arrive a cycle off).
 */
export function plantArrayFault<D extends Design>(design: D, fault: ArrayFault, p: { readonly rows: number; readonly dataflow: 'output_stationary' | 'weight_stationary' }): D {
  const os = p.dataflow === 'output_stationary';
  if (fault === 'short_skew') return bypassRegister(design, `a_${os ? p.rows - 1 : 0}_skew_${p.rows - 1}`);
  return swapInstanceInputs(design, os ? 'b' : 'w_in', 'pe_0_0', 'pe_0_1');
}
