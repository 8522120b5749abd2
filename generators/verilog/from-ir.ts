/**
 * Lowered IR → Verilog syntax tree, one module at a time. Requires lowered IR (primitive ops
 * only, equal operand widths). An op becomes a sized wire when it has a name hint, is read more
 * than once, or cannot be nested without changing its meaning (inline.ts); otherwise it is
 * written inside its one reader. Reads use the signal's own name; signedness appears only as
 * explicit `$signed` on compares, signed multiplies and arithmetic right shifts. All registers
 * share one always block per clock (regs.ts). Bits that nothing reads are gathered into one
 * `unused_*` wire, the Verilator-recognized idiom, so `-Wall` stays clean without pragmas.
 */
import type { Design, ModuleIR, Node, OpNode } from '../../dsl/ir/nodes.ts';
import { assertNever, findModule } from '../../dsl/ir/nodes.ts';
import { isPrimOp, type PrimOpName } from '../../dsl/ops/names.ts';
import { toBits } from '../../dsl/types/values.ts';
import type { SourceLoc } from '../../dsl/diagnostics/loc.ts';
import type { VBinaryOp, VExpr, VItem, VModule, VPort } from './ast.ts';
import { NameTable } from './names.ts';
import { UsageTracker } from './usage.ts';
import { inlinable, readersOf } from './inline.ts';
import { alwaysBlock } from './regs.ts';

export interface EmitOptions {
  /** Formats a location for a comment; absent: no location comments. */
  readonly where?: (loc: SourceLoc) => string;
  /** First header lines (tool and version). */
  readonly banner: readonly string[];
}

type PrimPrinter = (args: readonly VExpr[], n: OpNode, argNodes: readonly Node[]) => VExpr;

const bin = (op: VBinaryOp): PrimPrinter => ([a, b]) => ({ kind: 'binary', op, a: a!, b: b! });
const cmp = (op: VBinaryOp): PrimPrinter => ([a, b], _n, [x]) =>
  x!.type.signed ? { kind: 'binary', op, a: { kind: 'signed', arg: a! }, b: { kind: 'signed', arg: b! } } : { kind: 'binary', op, a: a!, b: b! };

/** How each primitive prints; a primitive added to the table and missing here fails to compile. */
const PRINT = {
  addw: bin('+'), subw: bin('-'),
  // The low w bits of a product do not depend on signedness, but synthesis does: Yosys 0.23's
  // ice40_dsp maps an unsigned multiply of sign-extended operands to an unsigned SB_MAC16 with
  // zero-extended inputs (a miscompile, caught by gate-level verification). Marking signed
  // operands $signed lets it see the signed multiply it is.
  mulw: ([a, b], _n, [x]) => (x!.type.signed ? { kind: 'binary', op: '*', a: { kind: 'signed', arg: a! }, b: { kind: 'signed', arg: b! } } : { kind: 'binary', op: '*', a: a!, b: b! }),
  negw: ([a]) => ({ kind: 'unary', op: '-', arg: a! }),
  and: bin('&'), or: bin('|'), xor: bin('^'),
  not: ([a]) => ({ kind: 'unary', op: '~', arg: a! }),
  eq: bin('=='), ne: bin('!='), lt: cmp('<'), le: cmp('<='), gt: cmp('>'), ge: cmp('>='),
  redand: ([a]) => ({ kind: 'unary', op: '&', arg: a! }),
  redor: ([a]) => ({ kind: 'unary', op: '|', arg: a! }),
  redxor: ([a]) => ({ kind: 'unary', op: '^', arg: a! }),
  shld: bin('<<'),
  shrd: ([a, s], n) => (n.type.signed ? { kind: 'binary', op: '>>>', a: { kind: 'signed', arg: a! }, b: s! } : { kind: 'binary', op: '>>', a: a!, b: s! }),
  concat: (args) => ({ kind: 'concat', parts: args }),
  slice: ([a], n, [x]) => sliceOf(a!, n.params.hi!, n.params.lo!, x!.type.width),
  ext: ([a], n, [x]) => {
    const w = x!.type.width;
    const pad = n.type.width - w;
    if (pad === 0) return a!;
    const sign = x!.type.signed ? sliceOf(a!, w - 1, w - 1, w) : undefined;
    const fill: VExpr = sign === undefined ? { kind: 'lit', width: pad, bits: 0n } : pad === 1 ? sign : { kind: 'repl', count: pad, arg: sign };
    return { kind: 'concat', parts: [fill, a!] };
  },
  asSigned: ([a]) => a!,
  asUnsigned: ([a]) => a!,
  mux: ([s, a, b]) => ({ kind: 'cond', cond: s!, a: a!, b: b! }),
} as const satisfies Record<PrimOpName, PrimPrinter>;

export function sliceOf(a: VExpr, hi: number, lo: number, width: number): VExpr {
  // A 1-bit net is declared without a range, and Verilog forbids selecting bits of a scalar.
  if (width === 1) return a;
  if (a.kind === 'ref') return { kind: 'index', name: a.name, hi, lo };
  if (a.kind === 'lit') return { kind: 'lit', width: hi - lo + 1, bits: (a.bits >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n) };
  throw new Error(`internal error: slice of a ${a.kind} expression`);
}

export function moduleToVerilog(design: Design, m: ModuleIR, opts: EmitOptions): VModule {
  const names = new NameTable();
  const sigName = m.signals.map((s) => names.user(s.name));
  const instName = m.instances.map((i) => names.user(i.name));
  const note = locationNotes(opts.where);
  const usage = new UsageTracker();
  const readers = readersOf(m);
  const expr: VExpr[] = [];
  const items: VItem[] = [];
  const instOutName = new Map<string, string>();
  // Declare every signal before any expression marks bits of it as read.
  for (const s of m.signals) if (s.kind !== 'output') usage.declare(sigName[s.id]!, s.type.width);

  for (const n of m.nodes) {
    switch (n.kind) {
      case 'const': expr[n.id] = { kind: 'lit', width: n.type.width, bits: toBits(n.value, n.type.width) }; break;
      case 'read': expr[n.id] = { kind: 'ref', name: sigName[n.signal]! }; break;
      case 'instOut': {
        const name = names.fresh(`${instName[n.instance]!}_${n.port}`);
        instOutName.set(`${n.instance}.${n.port}`, name);
        usage.declare(name, n.type.width);
        items.push({ kind: 'wire', name, width: n.type.width });
        expr[n.id] = { kind: 'ref', name };
        break;
      }
      case 'op': {
        if (!isPrimOp(n.op)) throw new Error(`internal error: '${n.op}' reached the Verilog emitter; lower the design first`);
        const e = PRINT[n.op](n.args.map((a) => expr[a]!), n, n.args.map((a) => m.nodes[a]!));
        // A pass-through (asSigned, asUnsigned, 1-bit slice) emits nothing: its reads are noted where it is used.
        if (e.kind === 'ref' || e.kind === 'lit' || (n.name === undefined && inlinable(m, n, e, readers))) { expr[n.id] = e; break; }
        usage.noteExpr(e);
        const name = names.fresh(n.name !== undefined ? legalName(n.name) : `n${n.id}`);
        usage.declare(name, n.type.width);
        items.push({ kind: 'wire', name, width: n.type.width, init: e, ...note(n.loc) });
        expr[n.id] = { kind: 'ref', name };
        break;
      }
      default: assertNever(n, 'node kind');
    }
  }
  const decls: VItem[] = [];
  const ports: VPort[] = [];
  for (const s of m.signals) {
    const name = sigName[s.id]!;
    if (s.kind === 'input' || s.kind === 'output') ports.push({ dir: s.kind, name, width: s.type.width });
    if (s.kind === 'wire' || s.kind === 'reg') decls.push({ kind: s.kind, name, width: s.type.width, ...note(s.loc, s.type.signed ? 'signed' : 'unsigned') });
  }
  const assigns: VItem[] = [];
  for (const c of m.connects) {
    const s = m.signals[c.target]!;
    if (s.kind === 'reg') continue;
    const rhs = expr[c.value]!;
    usage.noteExpr(rhs);
    assigns.push({ kind: 'assign', lhs: sigName[s.id]!, rhs, ...note(c.loc) });
  }
  const always = alwaysBlock(m, sigName, expr, usage);
  const instItems: VItem[] = m.instances.map((inst, i) => instanceItem(findModule(design, inst.module), m, i, instName[i]!, expr, instOutName, sigName, usage, note(inst.loc).comment));
  const unused = usage.unusedParts();
  const tail: VItem[] = unused.length > 0 ? [{ kind: 'wire', name: names.fresh('unused_bits'), width: 1, init: { kind: 'unary', op: '&', arg: { kind: 'concat', parts: [{ kind: 'lit', width: 1, bits: 0n }, ...unused] } }, comment: 'bits nothing reads (Verilator\'s *unused* idiom)' }] : [];
  const source = opts.where ? [`Source: ${opts.where(m.loc)}`] : [];
  return { name: m.name, header: [...opts.banner, `Module ${m.name}`, ...m.doc.map((d) => `  ${d}`), ...source], ports, items: [...decls, ...items, ...instItems, ...assigns, ...always, ...tail] };
}

/**
 * Location comments, brief: a net's comment names its source line only when that differs from
 * the previous comment's (runs of nets from one line share one), plus an optional prefix.
 */
function locationNotes(where: ((loc: SourceLoc) => string) | undefined): (loc: SourceLoc, prefix?: string) => { comment?: string } {
  let last = '';
  return (loc, prefix) => {
    const at = where ? where(loc) : '';
    const fresh = at !== '' && at !== last;
    if (at !== '') last = at;
    const text = [prefix, fresh ? at : undefined].filter((x) => x !== undefined).join(' @ ');
    return text === '' ? {} : { comment: text };
  };
}

/** A name hint as a Verilog identifier: other characters become `_`, a leading digit gets `_`. */
function legalName(hint: string): string {
  const s = hint.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

function instanceItem(child: ModuleIR, m: ModuleIR, i: number, name: string, expr: readonly VExpr[], outs: ReadonlyMap<string, string>, sigName: readonly string[], usage: UsageTracker, comment: string | undefined): VItem {
  const inst = m.instances[i]!;
  const conns: { port: string; expr: VExpr }[] = [];
  // Ports in the child's declaration order; clock and reset follow the parent's.
  for (const p of child.signals) {
    let e: VExpr | undefined;
    if (p.kind === 'input' && p.role === 'clock') e = { kind: 'ref', name: sigName[m.clock!]! };
    else if (p.kind === 'input' && p.role === 'reset') e = { kind: 'ref', name: sigName[m.reset!]! };
    else if (p.kind === 'input') e = expr[inst.inputs[p.name]!]!;
    else if (p.kind === 'output') e = { kind: 'ref', name: outs.get(`${i}.${p.name}`)! };
    if (!e) continue;
    if (p.kind === 'input') usage.noteExpr(e);
    conns.push({ port: p.name, expr: e });
  }
  return { kind: 'instance', module: inst.module, name, conns, ...(comment !== undefined ? { comment } : {}) };
}
