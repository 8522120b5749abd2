/**
 * The module builder: ports, wires, registers and instances. `defineModule` runs a body
 * function against a fresh builder and returns a `Design` (the module plus every module it
 * instantiates, children first). Generators are ordinary TypeScript functions around it.
 */
import { captureLoc, type SourceLoc } from '../diagnostics/loc.ts';
import { DesignError } from '../diagnostics/diagnostic.ts';
import { bitsType, fitsType, formatType, type BitsType } from '../types/bits.ts';
import type { Design, ModuleIR, SignalId, SignalKind } from '../ir/nodes.ts';
import { checkModule } from '../passes/check.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { ModuleContext } from './context.ts';
import { Sig, checkedWidth, toSig, type Operand } from './signal.ts';

/** `UInt(w)`: unsigned w-bit type, 1 <= w <= 65536. */
export function UInt(width: number): BitsType {
  return bitsType(width, false);
}

/** `SInt(w)`: two's-complement w-bit type, 1 <= w <= 65536. */
export function SInt(width: number): BitsType {
  return bitsType(width, true);
}

/** A signal that can be driven once: an output port or a wire. */
export class Drivable extends Sig {
  /** @internal */ constructor(ctx: ModuleContext, node: number, type: BitsType, readonly signal: SignalId) {
    super(ctx, node, type);
  }

  /**
   * Drives this signal from `value`. Widening of the same signedness is implicit (value
   * preserving); anything narrower or of other signedness is an error (NPG101): say how with
   * `wrap`, `saturate` or `toSigned`.
   */
  drive(value: Operand): void {
    const loc = captureLoc();
    const v = toSig(this.ctx, value, this.type, loc);
    this.ctx.connects.push({ target: this.signal, value: v.node, loc });
  }
}

/** A register: reads give the current state; `next` sets the value loaded on the clock edge. */
export class Reg extends Drivable {
  /** Sets the next state (same width rules as `drive`). */
  next(value: Operand): void {
    const loc = captureLoc();
    const v = toSig(this.ctx, value, this.type, loc);
    this.ctx.connects.push({ target: this.signal, value: v.node, loc });
  }
  override drive(value: Operand): void {
    this.next(value);
  }
}

export interface RegOptions {
  /** Value loaded by the synchronous, active-high reset; omit for a register without reset. */
  readonly reset?: bigint | number;
  /** When given, the register only loads `next` in cycles where enable is 1 (UInt(1)). */
  readonly enable?: Sig;
}

export class ModuleBuilder {
  /** @internal */ readonly ctx: ModuleContext;

  constructor(name: string, loc: SourceLoc) {
    this.ctx = new ModuleContext(name, loc);
  }

  get name(): string {
    return this.ctx.name;
  }

  /** An input port. */
  input(name: string, type: BitsType): Sig {
    const loc = captureLoc();
    const id = this.signal(name, 'input', type, loc);
    return new Sig(this.ctx, this.ctx.readNode(id, loc), this.ctx.signals[id]!.type);
  }

  /** An output port; drive it exactly once with `.drive(value)`. */
  output(name: string, type: BitsType): Drivable {
    return this.drivable(name, 'output', type, captureLoc());
  }

  /** A named wire; drive it exactly once with `.drive(value)`. */
  wire(name: string, type: BitsType): Drivable {
    return this.drivable(name, 'wire', type, captureLoc());
  }

  /** A register on the module's clock (`clk`, rising edge); see `RegOptions`. */
  reg(name: string, type: BitsType, options: RegOptions = {}): Reg {
    const loc = captureLoc();
    this.ensureClock(loc);
    const id = this.signal(name, 'reg', type, loc);
    const t = this.ctx.signals[id]!.type;
    const r = new Reg(this.ctx, this.ctx.readNode(id, loc), t, id);
    let resetValue: bigint | undefined;
    if (options.reset !== undefined) {
      this.ensureReset(loc);
      resetValue = BigInt(options.reset);
      if (!fitsType(resetValue, t)) this.ctx.report('NPG104', `reset value ${resetValue} of register '${name}' does not fit ${formatType(t)}`, loc);
    }
    this.ctx.setReg(id, {
      ...(resetValue !== undefined ? { resetValue } : {}),
      ...(options.enable !== undefined ? { enable: options.enable.node } : {}),
    });
    return r;
  }

  /** A constant of an explicit type (a constant that does not fit is an error). */
  constant(value: bigint | number, type: BitsType): Sig {
    const loc = captureLoc();
    const v = BigInt(value);
    if (!fitsType(v, type)) this.ctx.report('NPG104', `constant ${v} does not fit ${formatType(type)}`, loc);
    return new Sig(this.ctx, this.ctx.constNode(v, type, loc), type);
  }

  /** `sel ? a : b`; sel must be UInt(1); the result type holds both arms exactly. */
  mux(sel: Sig, a: Operand, b: Operand): Sig {
    const loc = captureLoc();
    const peer = a instanceof Sig ? a.type : b instanceof Sig ? b.type : bitsType(1, false);
    return sel.apply('select', [sel.node, toSig(this.ctx, a, peer, loc).node, toSig(this.ctx, b, peer, loc).node], {}, loc);
  }

  /** Concatenation, first operand most significant; UInt(sum of widths). */
  cat(...parts: Sig[]): Sig {
    const loc = captureLoc();
    if (parts.length === 0) {
      this.ctx.report('NPG105', 'cat needs at least one signal', loc);
      return this.constant(0n, bitsType(1, false));
    }
    return parts[0]!.apply('concat', parts.map((p) => p.node), {}, loc);
  }

  /**
   * Instantiates a submodule (a `Design` returned by `defineModule` or a generator). Every
   * input port except clock and reset must be connected; clock and reset follow the parent's.
   * Returns the instance's outputs by port name.
   */
  instance(name: string, child: Design, inputs: Readonly<Record<string, Operand>>): Record<string, Sig> {
    const loc = captureLoc();
    const mod = child.modules.find((m) => m.name === child.top)!;
    for (const m of child.modules) this.ctx.childModules.push(m);
    const index = this.ctx.instances.length;
    const conns: Record<string, number> = {};
    for (const [port, value] of Object.entries(inputs)) {
      const p = mod.signals.find((s) => s.name === port && s.kind === 'input' && s.role === undefined);
      const peer = p?.type ?? bitsType(1, false);
      conns[port] = toSig(this.ctx, value, peer, loc).node;
    }
    if (mod.clock !== undefined) this.ensureClock(loc);
    if (mod.reset !== undefined) this.ensureReset(loc);
    this.ctx.instances.push({ name, module: mod.name, loc, inputs: conns });
    const outs: Record<string, Sig> = {};
    for (const s of mod.signals) {
      if (s.kind !== 'output') continue;
      outs[s.name] = new Sig(this.ctx, this.ctx.instOutNode(index, s.name, s.type, loc), s.type);
    }
    return outs;
  }

  /** Adds a line to the generated module's header: state formats, rounding, overflow, latency. */
  doc(line: string): void {
    this.ctx.doc.push(line);
  }

  /**
   * States the module's latency: outputs reflect inputs applied `cycles` clock edges earlier.
   * Written into the header; testbenches and golden-model comparisons use it.
   */
  latency(cycles: number): void {
    const loc = captureLoc();
    if (!Number.isInteger(cycles) || cycles < 0) this.ctx.report('NPG105', `latency must be an integer >= 0, got ${cycles}`, loc);
    this.ctx.latency = cycles;
    this.ctx.doc.push(`latency: ${cycles} cycle(s)`);
  }

  /** The implicit clock input `clk` (created on first use). */
  clock(): Sig {
    const loc = captureLoc();
    return new Sig(this.ctx, this.ctx.readNode(this.ensureClock(loc), loc), bitsType(1, false));
  }

  private ensureClock(loc: SourceLoc): SignalId {
    if (this.ctx.clock === undefined) this.ctx.clock = this.ctx.addSignal({ name: 'clk', kind: 'input', type: bitsType(1, false), loc, role: 'clock' });
    return this.ctx.clock;
  }

  private ensureReset(loc: SourceLoc): SignalId {
    if (this.ctx.reset === undefined) this.ctx.reset = this.ctx.addSignal({ name: 'rst', kind: 'input', type: bitsType(1, false), loc, role: 'reset' });
    return this.ctx.reset;
  }

  private signal(name: string, kind: SignalKind, type: BitsType, loc: SourceLoc): SignalId {
    const width = checkedWidth(this.ctx, type.width, `${kind} '${name}'`, loc);
    return this.ctx.addSignal({ name, kind, type: bitsType(width, type.signed), loc });
  }

  private drivable(name: string, kind: 'output' | 'wire', type: BitsType, loc: SourceLoc): Drivable {
    const id = this.signal(name, kind, type, loc);
    return new Drivable(this.ctx, this.ctx.readNode(id, loc), this.ctx.signals[id]!.type, id);
  }
}

/** A design returned by `defineModule`, with the warnings and notes its checks produced. */
export interface BuiltDesign extends Design {
  readonly warnings: readonly Diagnostic[];
}

/**
 * Builds a module. Runs `body` with a fresh builder, checks the result, and returns the design
 * (children first, this module last). Throws `DesignError` carrying every error diagnostic;
 * warnings are kept on the result's `diagnostics`.
 */
export function defineModule(name: string, body: (m: ModuleBuilder) => void): BuiltDesign {
  const b = new ModuleBuilder(name, captureLoc());
  body(b);
  const mod: ModuleIR = b.ctx.freeze();
  const modules = dedupeModules([...b.ctx.childModules, mod], b.ctx);
  const design: Design = { kind: 'design', top: name, modules };
  const diags = [...b.ctx.diagnostics, ...checkModule(design, mod, b.ctx.poisoned)];
  if (diags.some((d) => d.severity === 'error')) throw new DesignError(diags);
  return Object.freeze({ ...design, warnings: diags.filter((d) => d.severity !== 'error') });
}

/** Keeps one copy of each module (the same object may come through several instances). */
function dedupeModules(mods: readonly ModuleIR[], ctx: ModuleContext): ModuleIR[] {
  const byName = new Map<string, ModuleIR>();
  for (const m of mods) {
    const prev = byName.get(m.name);
    if (prev === undefined) byName.set(m.name, m);
    else if (prev !== m && structuralKey(prev) !== structuralKey(m)) ctx.report('NPG304', `two different modules are named '${m.name}'; give each generated variant its own name`, m.loc);
  }
  return [...byName.values()];
}

/** Equal for modules built by the same code with the same parameters (locations included). */
function structuralKey(m: ModuleIR): string {
  return JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}
