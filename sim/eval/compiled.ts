/**
 * The compiled engine of the built-in simulator (its default): the pass pipeline's output,
 * flattened (netlist.ts) and compiled to JavaScript source (codegen.ts), then run through
 * `new Function`. Exact: `number` arithmetic only where provably exact (≤ 32-bit values), `bigint`
 * above; checked against the reference interpreter and against Icarus and Verilator by the
 * differential tests.
 *
 * Cycle contract (the same as the generated testbench): `step(inputs)` applies the inputs,
 * settles combinational logic, samples every output, then applies one rising clock edge.
 */
import type { Design } from '../../dsl/ir/nodes.ts';
import { formatType, maxValue, minValue, type BitsType } from '../../dsl/types/bits.ts';
import { flattenDesign, type Netlist } from './netlist.ts';
import { generateCode, initialValue, isWide, parityB, parityN, WIDTH_TABLE } from './codegen.ts';

type Settle = (N: Float64Array, B: bigint[], parityN: (v: number) => number, parityB: (v: bigint) => number, Wd: readonly number[]) => void;
type Edge = (N: Float64Array, B: bigint[], rst: boolean, Wd: readonly number[]) => void;
type Apply = (inputs: Readonly<Record<string, bigint>>, N: Float64Array, B: bigint[], fail: (i: number, x: bigint | undefined) => never) => void;
type Sample = (N: Float64Array, B: bigint[]) => Record<string, bigint>;

interface Port {
  readonly name: string;
  readonly slot: number;
  readonly type: BitsType;
  readonly wide: boolean;
  /** The port's value range, precomputed (as numbers for narrow ports). */
  readonly min: number | bigint;
  readonly max: number | bigint;
}

/** Generated code storing input port `i` (a property of `inputs`) in its slot, range-checked. */
function applyPortCode(p: Port, i: number): string {
  const key = JSON.stringify(p.name);
  if (p.wide) return `x = inputs[${key}]; if (x === undefined || x < ${p.min}n || x > ${p.max}n) fail(${i}, x); B[${p.slot}] = x;`;
  return `x = inputs[${key}]; if (x === undefined) fail(${i}, x); v = Number(x); if (!(v >= ${p.min} && v <= ${p.max})) fail(${i}, x); N[${p.slot}] = v;`;
}

export class CompiledSimulator {
  readonly netlist: Netlist;
  private readonly N: Float64Array;
  private readonly B: bigint[];
  private readonly settleFns: readonly Settle[];
  private readonly edgeFn: Edge;
  /** A fresh mutable copy, so the optimizer cannot treat the widths as constants. */
  private readonly widths: number[] = [...WIDTH_TABLE];
  private readonly inPorts: readonly Port[];
  private readonly outPorts: readonly Port[];
  private readonly anyWidePort: boolean;
  /** `step`'s port traffic, generated per design: constant keys and slots, so property accesses stay monomorphic. */
  private readonly applyInputs: Apply;
  private readonly sampleOutputs: Sample;

  /** `design` must be lowered (the pipeline's output); `Simulator` passes it so. */
  constructor(design: Design) {
    const net = flattenDesign(design);
    this.netlist = net;
    this.N = new Float64Array(net.slotCount);
    this.B = new Array<bigint>(net.slotCount).fill(0n);
    for (const c of net.consts) this.write(c.slot, initialValue(net.slotTypes[c.slot]!, c.value));
    const code = generateCode(net);
    this.settleFns = code.settle.map((body) => new Function('N', 'B', 'parityN', 'parityB', 'Wd', `'use strict';\n${body}`) as Settle);
    this.edgeFn = new Function('N', 'B', 'rst', 'Wd', `'use strict';\n${code.edge}`) as Edge;
    const port = ([name, p]: [string, { slot: number; type: BitsType }]): Port => {
      const wide = isWide(p.type);
      const [min, max] = wide ? [minValue(p.type), maxValue(p.type)] : [Number(minValue(p.type)), Number(maxValue(p.type))];
      return { name, slot: p.slot, type: p.type, wide, min, max };
    };
    this.inPorts = [...net.inputs].map(port);
    this.outPorts = [...net.outputs].map(port);
    this.anyWidePort = [...this.inPorts, ...this.outPorts].some((p) => p.wide);
    this.applyInputs = new Function('inputs', 'N', 'B', 'fail', `'use strict';\nlet x, v;\n${this.inPorts.map(applyPortCode).join('\n')}`) as Apply;
    // A record built as one object literal (ports named __proto__ would set the prototype: built key by key then).
    const literal = this.outPorts.every((p) => p.name !== '__proto__');
    const value = (p: Port): string => (p.wide ? `B[${p.slot}]` : `BigInt(N[${p.slot}])`);
    this.sampleOutputs = literal
      ? (new Function('N', 'B', `'use strict';\nreturn { ${this.outPorts.map((p) => `${JSON.stringify(p.name)}: ${value(p)}`).join(', ')} };`) as Sample)
      : (N, B) => {
        const out: Record<string, bigint> = {};
        for (const p of this.outPorts) Object.defineProperty(out, p.name, { value: p.wide ? B[p.slot]! : BigInt(N[p.slot]!), enumerable: true, writable: true, configurable: true });
        return out;
      };
  }

  /** Holds reset high for `cycles` cycles with all data inputs at 0. */
  reset(cycles = 1): void {
    const zeros: Record<string, bigint> = {};
    for (const p of this.inPorts) zeros[p.name] = 0n;
    for (let i = 0; i < cycles; i++) this.step(zeros, true);
  }

  /** One cycle: apply inputs, settle, sample outputs, clock edge. Returns the sampled outputs. */
  step(inputs: Readonly<Record<string, bigint>>, reset = false): Record<string, bigint> {
    this.applyInputs(inputs, this.N, this.B, this.fail);
    this.settle(reset);
    const out = this.sampleOutputs(this.N, this.B);
    this.edgeFn(this.N, this.B, reset, this.widths);
    return out;
  }

  /** The error of input `i` with value `x` (undefined: missing). */
  private readonly fail = (i: number, x: bigint | undefined): never => {
    const p = this.inPorts[i]!;
    if (x === undefined) throw new Error(`missing value for input '${p.name}'`);
    throw new Error(`value ${x} for input '${p.name}' does not fit ${formatType(p.type)}`);
  };

  /**
   * The same cycle on `number`s, for ports of 32 bits or fewer (the caller guarantees each value
   * fits its port): `inputs[i]` for the i-th data input, outputs written to `outputs[i]`.
   */
  stepNumbers(inputs: ArrayLike<number>, outputs: Float64Array, reset = false): void {
    if (this.anyWidePort) throw new Error('stepNumbers needs every port to be 32 bits or narrower; use step');
    const ins = this.inPorts;
    for (let i = 0; i < ins.length; i++) this.N[ins[i]!.slot] = inputs[i]!;
    this.settle(reset);
    const outs = this.outPorts;
    for (let i = 0; i < outs.length; i++) outputs[i] = this.N[outs[i]!.slot]!;
    this.edgeFn(this.N, this.B, reset, this.widths);
  }

  private settle(reset: boolean): void {
    if (this.netlist.resetSlot !== undefined) this.N[this.netlist.resetSlot] = reset ? 1 : 0;
    for (const f of this.settleFns) f(this.N, this.B, parityN, parityB, this.widths);
  }

  private write(slot: number, v: number | bigint): void {
    if (typeof v === 'bigint') this.B[slot] = v;
    else this.N[slot] = v;
  }
}
