/**
 * Flattening for the built-in simulator: the design's instance tree becomes one list of
 * evaluation steps over value slots, in combinational dependency order. Registers and top
 * inputs are the sources; every slot holds an exact `bigint` value.
 */
import type { BitsType } from '../../dsl/types/bits.ts';
import type { Design, ModuleIR, NodeId } from '../../dsl/ir/nodes.ts';
import { assertNever, findModule, topModule } from '../../dsl/ir/nodes.ts';
import type { OpName, OpParams } from '../../dsl/ops/names.ts';

export type Step =
  | { readonly kind: 'op'; readonly dst: number; readonly op: OpName; readonly args: readonly number[]; readonly argTypes: readonly BitsType[]; readonly params: OpParams; readonly type: BitsType }
  | { readonly kind: 'copy'; readonly dst: number; readonly src: number };

export interface FlatReg {
  readonly name: string;
  readonly slot: number;
  readonly next: number;
  readonly enable?: number;
  readonly resetValue?: bigint;
}

export interface Netlist {
  readonly slotCount: number;
  /** The type of the value each slot holds. */
  readonly slotTypes: readonly BitsType[];
  readonly consts: readonly { readonly slot: number; readonly value: bigint }[];
  readonly inputs: ReadonlyMap<string, { readonly slot: number; readonly type: BitsType }>;
  readonly outputs: ReadonlyMap<string, { readonly slot: number; readonly type: BitsType }>;
  readonly steps: readonly Step[];
  readonly regs: readonly FlatReg[];
  readonly resetSlot?: number;
}

interface Builder {
  slots: number;
  types: BitsType[];
  consts: { slot: number; value: bigint }[];
  /** Unordered steps; each knows the slots it reads. */
  steps: Step[];
  regs: FlatReg[];
}

/** Flattens `design` (any instance depth) into a netlist with steps in dependency order. */
export function flattenDesign(design: Design): Netlist {
  const b: Builder = { slots: 0, types: [], consts: [], steps: [], regs: [] };
  const top = topModule(design);
  const sigSlots = instantiate(design, top, b, '', new Map());
  const inputs = new Map<string, { slot: number; type: BitsType }>();
  const outputs = new Map<string, { slot: number; type: BitsType }>();
  for (const s of top.signals) {
    if (s.kind === 'input' && s.role === undefined) inputs.set(s.name, { slot: sigSlots[s.id]!, type: s.type });
    if (s.kind === 'output') outputs.set(s.name, { slot: sigSlots[s.id]!, type: s.type });
  }
  return {
    slotCount: b.slots,
    slotTypes: b.types,
    consts: b.consts,
    inputs,
    outputs,
    steps: schedule(b.steps, b.slots),
    regs: b.regs,
    ...(top.reset !== undefined ? { resetSlot: sigSlots[top.reset]! } : {}),
  };
}

/**
 * Allocates slots for one module instance. `bound` maps the module's input signal ids to slots
 * already allocated by the parent (so inputs need no copy). Returns each signal's slot.
 */
function instantiate(design: Design, m: ModuleIR, b: Builder, prefix: string, bound: ReadonlyMap<number, number>): number[] {
  const alloc = (t: BitsType): number => { b.types[b.slots] = t; return b.slots++; };
  const sig = m.signals.map((s) => bound.get(s.id) ?? alloc(s.type));
  const node: number[] = [];
  const childOut = new Map<string, number>();
  const slotOf = (id: NodeId): number => node[id]!;
  for (const n of m.nodes) {
    switch (n.kind) {
      case 'const': node[n.id] = alloc(n.type); b.consts.push({ slot: node[n.id]!, value: n.value }); break;
      case 'read': node[n.id] = sig[n.signal]!; break;
      case 'instOut': node[n.id] = alloc(n.type); childOut.set(`${n.instance}.${n.port}`, node[n.id]!); break;
      case 'op': break;
      default: assertNever(n, 'node kind');
    }
  }
  for (const n of m.nodes) {
    if (n.kind !== 'op') continue;
    node[n.id] = alloc(n.type);
  }
  for (const n of m.nodes) {
    if (n.kind !== 'op') continue;
    b.steps.push({ kind: 'op', dst: node[n.id]!, op: n.op, args: n.args.map(slotOf), argTypes: n.args.map((a) => m.nodes[a]!.type), params: n.params, type: n.type });
  }
  for (const c of m.connects) {
    const s = m.signals[c.target]!;
    if (s.kind === 'reg') continue;
    b.steps.push({ kind: 'copy', dst: sig[s.id]!, src: slotOf(c.value) });
  }
  for (const s of m.signals) {
    if (s.kind !== 'reg') continue;
    const c = m.connects.find((x) => x.target === s.id);
    if (!c) throw new Error(`internal error: register ${s.name} has no next value`);
    b.regs.push({
      name: prefix + s.name,
      slot: sig[s.id]!,
      next: slotOf(c.value),
      ...(s.reg?.enable !== undefined ? { enable: slotOf(s.reg.enable) } : {}),
      ...(s.reg?.resetValue !== undefined ? { resetValue: s.reg.resetValue } : {}),
    });
  }
  m.instances.forEach((inst, i) => {
    const child = findModule(design, inst.module);
    const childBound = new Map<number, number>();
    for (const cs of child.signals) {
      if (cs.kind !== 'input') continue;
      if (cs.role === 'clock') continue;
      if (cs.role === 'reset') childBound.set(cs.id, sig[m.reset!]!);
      else childBound.set(cs.id, slotOf(inst.inputs[cs.name]!));
    }
    const childSigs = instantiate(design, child, b, `${prefix}${inst.name}.`, childBound);
    for (const cs of child.signals) {
      const dst = childOut.get(`${i}.${cs.name}`);
      if (cs.kind === 'output' && dst !== undefined) b.steps.push({ kind: 'copy', dst, src: childSigs[cs.id]! });
    }
  });
  return sig;
}

function reads(s: Step): readonly number[] {
  return s.kind === 'op' ? s.args : [s.src];
}

/** Orders steps so each runs after the steps writing the slots it reads (Kahn's algorithm). */
function schedule(steps: readonly Step[], slotCount: number): Step[] {
  const writer = new Int32Array(slotCount).fill(-1);
  steps.forEach((s, i) => { writer[s.dst] = i; });
  const indeg = new Int32Array(steps.length);
  const users: number[][] = steps.map(() => []);
  steps.forEach((s, i) => {
    for (const r of reads(s)) {
      const w = writer[r]!;
      if (w >= 0) { indeg[i]!++; users[w]!.push(i); }
    }
  });
  const ready: number[] = [];
  indeg.forEach((d, i) => { if (d === 0) ready.push(i); });
  const out: Step[] = [];
  while (ready.length > 0) {
    const i = ready.pop()!;
    out.push(steps[i]!);
    for (const u of users[i]!) if (--indeg[u]! === 0) ready.push(u);
  }
  if (out.length !== steps.length) throw new Error('internal error: combinational loop reached the simulator (the checker should have reported NPG203)');
  return out;
}
