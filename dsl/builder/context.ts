/**
 * The mutable state behind one module under construction. Only the builder touches it; `freeze`
 * turns it into the immutable `ModuleIR`. Operator type errors are recorded as diagnostics and
 * the node is marked poisoned, so building continues and every error is reported together.
 */
import { captureLoc, type SourceLoc } from '../diagnostics/loc.ts';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { DiagnosticCode } from '../diagnostics/codes.ts';
import type { BitsType } from '../types/bits.ts';
import type { Connect, Instance, ModuleIR, Node, NodeId, Signal, SignalId } from '../ir/nodes.ts';
import type { OpName, OpParams } from '../ops/names.ts';
import { opDef } from '../ops/table.ts';
import { formatType } from '../types/bits.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class ModuleContext {
  readonly signals: Signal[] = [];
  readonly nodes: Node[] = [];
  readonly connects: Connect[] = [];
  readonly instances: Instance[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly doc: string[] = [];
  readonly poisoned = new Set<NodeId>();
  /** Child designs' modules, in dependency order, gathered from instances. */
  readonly childModules: ModuleIR[] = [];
  clock: SignalId | undefined;
  latency: number | undefined;
  reset: SignalId | undefined;

  constructor(readonly name: string, readonly loc: SourceLoc) {}

  report(code: DiagnosticCode, message: string, loc: SourceLoc): void {
    this.diagnostics.push(diagnostic(code, message, loc));
  }

  addSignal(s: Omit<Signal, 'id'>): SignalId {
    const id = this.signals.length;
    this.signals.push({ ...s, id });
    return id;
  }

  /** Adds a register spec after the fact (enable may be created after the register). */
  setReg(id: SignalId, reg: NonNullable<Signal['reg']>): void {
    const s = this.signals[id] as Mutable<Signal>;
    s.reg = reg;
  }

  constNode(value: bigint, type: BitsType, loc: SourceLoc): NodeId {
    const id = this.nodes.length;
    this.nodes.push({ kind: 'const', id, type, loc, value });
    return id;
  }

  readNode(signal: SignalId, loc: SourceLoc): NodeId {
    const id = this.nodes.length;
    this.nodes.push({ kind: 'read', id, type: this.signals[signal]!.type, loc, signal });
    return id;
  }

  instOutNode(instance: number, port: string, type: BitsType, loc: SourceLoc): NodeId {
    const id = this.nodes.length;
    this.nodes.push({ kind: 'instOut', id, type, loc, instance, port });
    return id;
  }

  /** Sets a node's name hint (the last one given wins). */
  nameNode(id: NodeId, name: string): void {
    this.nodes[id] = { ...this.nodes[id]!, name };
  }

  /** Applies an op; on a type-rule violation reports NPG102/NPG105 and returns a poisoned node. */
  opNode(op: OpName, args: readonly NodeId[], params: OpParams, loc: SourceLoc): NodeId {
    const argTypes = args.map((a) => this.nodes[a]!.type);
    const anyPoisoned = args.some((a) => this.poisoned.has(a));
    const rule = opDef(op).type(argTypes, params);
    let type: BitsType;
    if (typeof rule === 'string') {
      if (!anyPoisoned) this.report('NPG102', `${op}(${argTypes.map(formatType).join(', ')}): ${rule}`, loc);
      type = argTypes[0] ?? { kind: 'bits', width: 1, signed: false };
    } else {
      type = rule;
    }
    const id = this.nodes.length;
    this.nodes.push({ kind: 'op', id, type, loc, op, args, params });
    if (typeof rule === 'string' || anyPoisoned) this.poisoned.add(id);
    return id;
  }

  freeze(): ModuleIR {
    const m: ModuleIR = {
      kind: 'module',
      name: this.name,
      loc: this.loc,
      signals: this.signals,
      nodes: this.nodes,
      connects: this.connects,
      instances: this.instances,
      ...(this.clock !== undefined ? { clock: this.clock } : {}),
      ...(this.reset !== undefined ? { reset: this.reset } : {}),
      doc: this.doc,
      ...(this.latency !== undefined ? { latency: this.latency } : {}),
    };
    return deepFreeze(m);
  }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

export { captureLoc };
