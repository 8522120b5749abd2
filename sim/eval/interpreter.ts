/**
 * The reference engine of the built-in simulator: exact (`bigint`) interpretation of whatever IR
 * it is given (unlowered or lowered) through the op table's own `eval` entries, so its semantics
 * are the IR's by construction. Tests compare the default engine (simulator.ts) against it.
 *
 * Cycle contract (the same as the generated testbench): `step(inputs)` applies the inputs,
 * settles combinational logic, samples every output, then applies one rising clock edge.
 */
import type { Design } from '../../dsl/ir/nodes.ts';
import { opDef } from '../../dsl/ops/table.ts';
import { fitsType, formatType } from '../../dsl/types/bits.ts';
import { flattenDesign, type Netlist, type Step } from './netlist.ts';

/** One step as a closure over the value array; operand buffers are reused (eval is synchronous). */
function compileStep(s: Step, v: bigint[]): () => void {
  if (s.kind === 'copy') {
    const { dst, src } = s;
    return () => { v[dst] = v[src]!; };
  }
  const f = opDef(s.op).eval;
  const { dst, args, argTypes, params, type } = s;
  const buf = new Array<bigint>(args.length).fill(0n);
  return () => {
    for (let i = 0; i < args.length; i++) buf[i] = v[args[i]!]!;
    v[dst] = f(buf, argTypes, params, type);
  };
}

export class Interpreter {
  readonly netlist: Netlist;
  private readonly v: bigint[];
  private readonly program: readonly (() => void)[];

  constructor(design: Design) {
    this.netlist = flattenDesign(design);
    this.v = new Array<bigint>(this.netlist.slotCount).fill(0n);
    for (const c of this.netlist.consts) this.v[c.slot] = c.value;
    this.program = this.netlist.steps.map((s) => compileStep(s, this.v));
  }

  /** Holds reset high for `cycles` cycles with all data inputs at 0. */
  reset(cycles = 1): void {
    const zeros: Record<string, bigint> = {};
    for (const name of this.netlist.inputs.keys()) zeros[name] = 0n;
    for (let i = 0; i < cycles; i++) this.step(zeros, true);
  }

  /** One cycle: apply inputs, settle, sample outputs, clock edge. Returns the sampled outputs. */
  step(inputs: Readonly<Record<string, bigint>>, reset = false): Record<string, bigint> {
    const v = this.v;
    for (const [name, port] of this.netlist.inputs) {
      const x = inputs[name];
      if (x === undefined) throw new Error(`missing value for input '${name}'`);
      if (!fitsType(x, port.type)) throw new Error(`value ${x} for input '${name}' does not fit ${formatType(port.type)}`);
      v[port.slot] = x;
    }
    if (this.netlist.resetSlot !== undefined) v[this.netlist.resetSlot] = reset ? 1n : 0n;
    this.settle();
    const out: Record<string, bigint> = {};
    for (const [name, port] of this.netlist.outputs) out[name] = v[port.slot]!;
    this.clockEdge(reset);
    return out;
  }

  private settle(): void {
    for (const run of this.program) run();
  }

  private clockEdge(reset: boolean): void {
    const v = this.v;
    const next = this.netlist.regs.map((r) => {
      if (reset && r.resetValue !== undefined) return r.resetValue;
      if (r.enable !== undefined && v[r.enable] !== 1n) return v[r.slot]!;
      return v[r.next]!;
    });
    this.netlist.regs.forEach((r, i) => { v[r.slot] = next[i]!; });
  }
}
