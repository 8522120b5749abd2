/**
 * Connectivity checks: every output, wire and register driven exactly once (NPG201, NPG202),
 * inputs never driven (NPG205), instance ports connected (NPG206), inputs read (NPG204).
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Connect, Design, ModuleIR } from '../ir/nodes.ts';
import { findModule } from '../ir/nodes.ts';

export function checkDrivers(m: ModuleIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  const drivers = new Map<number, Connect[]>();
  for (const c of m.connects) drivers.set(c.target, [...(drivers.get(c.target) ?? []), c]);
  for (const s of m.signals) {
    const ds = drivers.get(s.id) ?? [];
    if (s.kind === 'input') {
      for (const d of ds) out.push(diagnostic('NPG205', `input '${s.name}' cannot be driven inside module '${m.name}'`, d.loc, [{ message: 'declared here', loc: s.loc }]));
      continue;
    }
    if (ds.length === 0) {
      const how = s.kind === 'reg' ? 'set its next value with .next(value)' : 'drive it with .drive(value)';
      out.push(diagnostic('NPG201', `${s.kind} '${s.name}' is never driven; ${how}`, s.loc));
    } else if (ds.length > 1) {
      out.push(diagnostic('NPG202', `${s.kind} '${s.name}' has ${ds.length} drivers`, ds[1]!.loc, ds.map((d, i) => ({ message: `driver ${i + 1}`, loc: d.loc }))));
    }
  }
  return out;
}

export function checkInstancePorts(design: Design, m: ModuleIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const inst of m.instances) {
    const child = findModule(design, inst.module);
    const ports = child.signals.filter((s) => s.kind === 'input' && s.role === undefined);
    for (const p of ports) {
      if (!(p.name in inst.inputs)) out.push(diagnostic('NPG206', `instance '${inst.name}' of '${child.name}' leaves input '${p.name}' unconnected`, inst.loc));
    }
    for (const name of Object.keys(inst.inputs)) {
      if (!ports.some((p) => p.name === name)) {
        const known = ports.map((p) => p.name).join(', ') || 'none';
        out.push(diagnostic('NPG206', `instance '${inst.name}' of '${child.name}' has no input '${name}' (inputs: ${known})`, inst.loc));
      }
    }
  }
  return out;
}

/** Node ids read by anything: op arguments, connects, register enables, instance inputs. */
export function referencedNodes(m: ModuleIR): Set<number> {
  const used = new Set<number>();
  for (const n of m.nodes) if (n.kind === 'op') for (const a of n.args) used.add(a);
  for (const c of m.connects) used.add(c.value);
  for (const s of m.signals) if (s.reg?.enable !== undefined) used.add(s.reg.enable);
  for (const i of m.instances) for (const v of Object.values(i.inputs)) used.add(v);
  return used;
}

export function checkUnusedInputs(m: ModuleIR): Diagnostic[] {
  const used = referencedNodes(m);
  const read = new Set<number>();
  for (const n of m.nodes) if (n.kind === 'read' && used.has(n.id)) read.add(n.signal);
  return m.signals
    .filter((s) => s.kind === 'input' && s.role === undefined && !read.has(s.id))
    .map((s) => diagnostic('NPG204', `input '${s.name}' of module '${m.name}' is never read`, s.loc));
}
