/** Prints the Verilog syntax tree. Deterministic; no semantics beyond what the tree says. */
import type { VExpr, VItem, VModule, VStmt } from './ast.ts';
import { assertNever } from '../../dsl/ir/nodes.ts';

function range(width: number): string {
  return width === 1 ? '' : `[${width - 1}:0] `;
}

export function printExpr(e: VExpr): string {
  switch (e.kind) {
    case 'ref': return e.name;
    case 'lit': return `${e.width}'h${e.bits.toString(16)}`;
    case 'index': return e.hi === e.lo ? `${e.name}[${e.hi}]` : `${e.name}[${e.hi}:${e.lo}]`;
    case 'unary': return `${e.op}${printOperand(e.arg)}`;
    case 'binary': return `${printOperand(e.a)} ${e.op} ${printOperand(e.b)}`;
    case 'signed': return `$signed(${printExpr(e.arg)})`;
    case 'concat': return `{${e.parts.map(printExpr).join(', ')}}`;
    case 'repl': return `{${e.count}{${printExpr(e.arg)}}}`;
    case 'cond': return `${printOperand(e.cond)} ? ${printOperand(e.a)} : ${printOperand(e.b)}`;
    default: return assertNever(e, 'Verilog expression');
  }
}

/** Operands of operators are parenthesized unless atomic, so precedence never matters. */
function printOperand(e: VExpr): string {
  const atomic = e.kind === 'ref' || e.kind === 'lit' || e.kind === 'index' || e.kind === 'signed' || e.kind === 'concat' || e.kind === 'repl';
  return atomic ? printExpr(e) : `(${printExpr(e)})`;
}

function printStmt(s: VStmt, indent: string): string[] {
  switch (s.kind) {
    case 'nb': return [`${indent}${s.lhs} <= ${printExpr(s.rhs)};`];
    case 'if': {
      const out = [`${indent}if (${printExpr(s.cond)}) begin`, ...s.then.flatMap((t) => printStmt(t, indent + '  '))];
      if (s.else && s.else.length > 0) out.push(`${indent}end else begin`, ...s.else.flatMap((t) => printStmt(t, indent + '  ')));
      out.push(`${indent}end`);
      return out;
    }
    default: return assertNever(s, 'Verilog statement');
  }
}

function trailing(comment: string | undefined): string {
  return comment ? `  // ${comment}` : '';
}

function printItem(it: VItem): string[] {
  switch (it.kind) {
    case 'comment': return [`  // ${it.text}`];
    case 'wire': return [`  wire ${range(it.width)}${it.name}${it.init ? ` = ${printExpr(it.init)}` : ''};${trailing(it.comment)}`];
    case 'reg': return [`  reg ${range(it.width)}${it.name};${trailing(it.comment)}`];
    case 'assign': return [`  assign ${it.lhs} = ${printExpr(it.rhs)};${trailing(it.comment)}`];
    case 'always': return [`  always @(posedge ${it.clock}) begin`, ...it.body.flatMap((s) => printStmt(s, '    ')), '  end'];
    case 'instance': {
      const conns = it.conns.map((c, i) => `    .${c.port}(${printExpr(c.expr)})${i + 1 < it.conns.length ? ',' : ''}`);
      return [...(it.comment ? [`  // ${it.comment}`] : []), `  ${it.module} ${it.name} (`, ...conns, '  );'];
    }
    default: return assertNever(it, 'Verilog item');
  }
}

export function printModule(m: VModule): string {
  const ports = m.ports.map((p, i) => `  ${p.dir === 'input' ? 'input ' : 'output'} wire ${range(p.width)}${p.name}${i + 1 < m.ports.length ? ',' : ''}${trailing(p.comment)}`);
  return [
    ...m.header.map((h) => `// ${h}`.trimEnd()),
    '`default_nettype none',
    '',
    `module ${m.name} (`,
    ...ports,
    ');',
    ...m.items.flatMap(printItem),
    'endmodule',
    '',
    '`default_nettype wire',
    '',
  ].join('\n');
}
