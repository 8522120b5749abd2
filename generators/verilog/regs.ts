/**
 * Registers → one always block per clock domain (npugen modules have one clock and one
 * synchronous reset): registers with a reset value load it under `if (rst)`, the others are
 * assigned after that `if`; registers sharing an enable share one `if (en)`.
 */
import type { ModuleIR, NodeId } from '../../dsl/ir/nodes.ts';
import { toBits } from '../../dsl/types/values.ts';
import type { VExpr, VItem, VStmt } from './ast.ts';
import type { UsageTracker } from './usage.ts';

export function alwaysBlock(m: ModuleIR, sigName: readonly string[], expr: readonly VExpr[], usage: UsageTracker): VItem[] {
  const regs = m.signals.filter((s) => s.kind === 'reg');
  if (regs.length === 0) return [];
  const next = new Map(m.connects.map((c) => [c.target, c.value]));
  const resetLoads: VStmt[] = [];
  const withReset: { lhs: string; rhs: VExpr; enable?: NodeId }[] = [];
  const without: typeof withReset = [];
  for (const s of regs) {
    const v = next.get(s.id);
    if (v === undefined) throw new Error(`internal error: register ${s.name} has no next value`);
    const load = { lhs: sigName[s.id]!, rhs: expr[v]!, ...(s.reg?.enable !== undefined ? { enable: s.reg.enable } : {}) };
    if (s.reg?.resetValue === undefined) { without.push(load); continue; }
    withReset.push(load);
    resetLoads.push({ kind: 'nb', lhs: load.lhs, rhs: { kind: 'lit', width: s.type.width, bits: toBits(s.reg.resetValue, s.type.width) } });
  }
  const body: VStmt[] = [];
  if (withReset.length > 0) {
    const rst: VExpr = { kind: 'ref', name: sigName[m.reset!]! };
    usage.noteExpr(rst);
    body.push({ kind: 'if', cond: rst, then: resetLoads, else: loads(withReset, expr, usage) });
  }
  body.push(...loads(without, expr, usage));
  usage.noteExpr({ kind: 'ref', name: sigName[m.clock!]! });
  return [{ kind: 'always', clock: sigName[m.clock!]!, body }];
}

/** Non-blocking loads in register order; consecutive loads under one enable share its `if`. */
function loads(list: readonly { lhs: string; rhs: VExpr; enable?: NodeId }[], expr: readonly VExpr[], usage: UsageTracker): VStmt[] {
  const out: VStmt[] = [];
  let group: { enable: NodeId; then: VStmt[] } | undefined;
  for (const l of list) {
    usage.noteExpr(l.rhs);
    const nb: VStmt = { kind: 'nb', lhs: l.lhs, rhs: l.rhs };
    if (l.enable === undefined) { group = undefined; out.push(nb); continue; }
    if (group?.enable === l.enable) { group.then.push(nb); continue; }
    group = { enable: l.enable, then: [nb] };
    const cond = expr[l.enable]!;
    usage.noteExpr(cond);
    out.push({ kind: 'if', cond, then: group.then });
  }
  return out;
}
