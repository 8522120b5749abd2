/**
 * Type checks on connections: a sink may be driven by a value of the same signedness and at
 * most its width (widening is value-preserving and made explicit by lowering); anything else
 * needs an explicit op (NPG101). Register enables must be UInt(1).
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Design, ModuleIR } from '../ir/nodes.ts';
import { findModule } from '../ir/nodes.ts';
import { formatType, type BitsType } from '../types/bits.ts';

/** Whether a value of type `v` may drive a sink of type `sink` without an explicit op. */
export function isAssignable(v: BitsType, sink: BitsType): boolean {
  return v.signed === sink.signed && v.width <= sink.width;
}

function fixHint(v: BitsType, sink: BitsType): string {
  if (v.signed !== sink.signed) {
    return sink.signed ? 'convert with .toSigned() (exact, one more bit) or .asSigned() (reinterpret)' : 'convert with .asUnsigned() (reinterpret) or clamp first';
  }
  return `narrow explicitly with .wrap(${sink.width}) or .saturate(${sink.width})`;
}

export function mismatch(what: string, v: BitsType, sink: BitsType): string {
  return `${what}: cannot drive ${formatType(sink)} from a ${formatType(v)} value; ${fixHint(v, sink)}`;
}

export function checkTypes(design: Design, m: ModuleIR, poisoned: ReadonlySet<number>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of m.connects) {
    const s = m.signals[c.target]!;
    const v = m.nodes[c.value]!;
    if (poisoned.has(v.id) || isAssignable(v.type, s.type)) continue;
    out.push(diagnostic('NPG101', mismatch(`${s.kind} '${s.name}'`, v.type, s.type), c.loc, [
      { message: `'${s.name}' declared as ${formatType(s.type)} here`, loc: s.loc },
      { message: `value of type ${formatType(v.type)} built here`, loc: v.loc },
    ]));
  }
  for (const s of m.signals) {
    const en = s.reg?.enable;
    if (en === undefined) continue;
    const t = m.nodes[en]!.type;
    if (t.width !== 1 || t.signed) out.push(diagnostic('NPG102', `enable of register '${s.name}' must be UInt(1), got ${formatType(t)}`, s.loc));
  }
  for (const inst of m.instances) {
    const child = findModule(design, inst.module);
    for (const [port, node] of Object.entries(inst.inputs)) {
      const p = child.signals.find((x) => x.name === port && x.kind === 'input');
      const v = m.nodes[node]!;
      if (!p || poisoned.has(node) || isAssignable(v.type, p.type)) continue;
      out.push(diagnostic('NPG101', mismatch(`input '${port}' of instance '${inst.name}'`, v.type, p.type), inst.loc, [{ message: `value built here`, loc: v.loc }]));
    }
  }
  return out;
}
