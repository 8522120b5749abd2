/** Name checks: legal identifiers (NPG303), duplicates (NPG301), Verilog reserved words (NPG302). */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { SourceLoc } from '../diagnostics/loc.ts';
import type { ModuleIR } from '../ir/nodes.ts';
import { isReservedWord } from './reserved-words.ts';
import { IDENTIFIER_RULE, isIdentifier } from '../../formats/identifier.ts';

export function checkNames(m: ModuleIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, SourceLoc>();
  const named: { name: string; loc: SourceLoc; what: string }[] = [
    { name: m.name, loc: m.loc, what: 'module' },
    ...m.signals.map((s) => ({ name: s.name, loc: s.loc, what: s.kind })),
    ...m.instances.map((i) => ({ name: i.name, loc: i.loc, what: 'instance' })),
  ];
  for (const [i, n] of named.entries()) {
    if (!isIdentifier(n.name)) {
      out.push(diagnostic('NPG303', `${n.what} name '${n.name}' is not a legal identifier (${IDENTIFIER_RULE})`, n.loc));
      continue;
    }
    if (isReservedWord(n.name)) {
      out.push(diagnostic('NPG302', `${n.what} name '${n.name}' is a Verilog reserved word; it is emitted as '${n.name}_'`, n.loc));
    }
    if (i === 0) continue; // the module's own name lives in another namespace
    const prev = seen.get(n.name);
    if (prev) out.push(diagnostic('NPG301', `duplicate name '${n.name}' in module '${m.name}'`, n.loc, [{ message: 'first declared here', loc: prev }]));
    else seen.set(n.name, n.loc);
  }
  return out;
}
