/**
 * The typed, immutable IR: plain data discriminated by `kind`. Every node and signal carries
 * its type and the user's source location. Nodes live in a module's `nodes` array and refer to
 * each other by index, so shared subexpressions stay shared (the IR is a DAG, not a tree).
 */
import type { BitsType } from '../types/bits.ts';
import type { SourceLoc } from '../diagnostics/loc.ts';
import type { OpName, OpParams } from '../ops/names.ts';

export type NodeId = number;
export type SignalId = number;

interface NodeBase {
  readonly id: NodeId;
  readonly type: BitsType;
  readonly loc: SourceLoc;
  /**
   * A name hint (`Sig.named`, or a generator's choice): the emitter gives the node its own net
   * of this name (legalized and made unique). Semantics never depend on it.
   */
  readonly name?: string;
}

/** A constant; `value` is the exact value (negative for signed types when the sign bit is set). */
export interface ConstNode extends NodeBase {
  readonly kind: 'const';
  readonly value: bigint;
}

/** Reads a port, wire or register (a register reads as its current state). */
export interface ReadNode extends NodeBase {
  readonly kind: 'read';
  readonly signal: SignalId;
}

/** An operator application; the op table (`dsl/ops`) defines its type rule and evaluation. */
export interface OpNode extends NodeBase {
  readonly kind: 'op';
  readonly op: OpName;
  readonly args: readonly NodeId[];
  readonly params: OpParams;
}

/** An output port of a submodule instance. */
export interface InstOutNode extends NodeBase {
  readonly kind: 'instOut';
  readonly instance: number;
  readonly port: string;
}

export type Node = ConstNode | ReadNode | OpNode | InstOutNode;

export type SignalKind = 'input' | 'output' | 'wire' | 'reg';

/**
 * A register: clocked by the module's clock on the rising edge. With `resetValue`, a
 * synchronous active-high reset loads it; with `enable`, it holds its value when enable is 0.
 */
export interface RegSpec {
  readonly resetValue?: bigint;
  readonly enable?: NodeId;
}

export interface Signal {
  readonly id: SignalId;
  readonly name: string;
  readonly kind: SignalKind;
  readonly type: BitsType;
  readonly loc: SourceLoc;
  /** The port's role, when the module created it implicitly. */
  readonly role?: 'clock' | 'reset';
  readonly reg?: RegSpec;
}

/** `target` (an output, wire, or a register's next state) is driven by node `value`. */
export interface Connect {
  readonly target: SignalId;
  readonly value: NodeId;
  readonly loc: SourceLoc;
}

export interface Instance {
  readonly name: string;
  readonly module: string;
  readonly loc: SourceLoc;
  /** Input port name → driving node. Clock and reset are connected to the parent's implicitly. */
  readonly inputs: Readonly<Record<string, NodeId>>;
}

export interface ModuleIR {
  readonly kind: 'module';
  readonly name: string;
  readonly loc: SourceLoc;
  readonly signals: readonly Signal[];
  readonly nodes: readonly Node[];
  readonly connects: readonly Connect[];
  readonly instances: readonly Instance[];
  readonly clock?: SignalId;
  readonly reset?: SignalId;
  /** Contract lines for the generated header: formats, rounding, overflow, latency. */
  readonly doc: readonly string[];
  /** Cycles from inputs to the outputs that reflect them, when the generator states it. */
  readonly latency?: number;
}

/** A design: modules in dependency order (children before parents); the last is the top. */
export interface Design {
  readonly kind: 'design';
  readonly top: string;
  readonly modules: readonly ModuleIR[];
}

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`internal error: unhandled ${what}: ${JSON.stringify(x)}`);
}

export function topModule(design: Design): ModuleIR {
  const m = design.modules.find((x) => x.name === design.top);
  if (!m) throw new Error(`internal error: design has no module '${design.top}'`);
  return m;
}

export function findModule(design: Design, name: string): ModuleIR {
  const m = design.modules.find((x) => x.name === name);
  if (!m) throw new Error(`internal error: design has no module '${name}'`);
  return m;
}
