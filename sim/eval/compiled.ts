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

/** Ports of at most this many bits are sampled from a shared table of their values' bigints. */
const TABLE_BITS = 8;
/** The bigints min..max of a port type of at most TABLE_BITS bits, by (signedness, width): shared by every simulator. */
const valueTables = new Map<string, readonly bigint[]>();

function valueTable(p: Port): readonly bigint[] {
  const key = `${p.type.signed}:${p.type.width}`;
  let t = valueTables.get(key);
  if (t === undefined) {
    const min = Number(p.min);
    valueTables.set(key, (t = Array.from({ length: Number(p.max) - min + 1 }, (_, i) => BigInt(min + i))));
  }
  return t;
}

/** A 64-bit scratch word seen as two int32 halves (`WORD_LO` the low one) and as a signed or unsigned bigint. */
const WORD_I32 = new Int32Array(2);
const WORD_I64 = new BigInt64Array(WORD_I32.buffer);
const WORD_U64 = new BigUint64Array(WORD_I32.buffer);
const WORD_LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/**
 * `step`'s output record, generated per design (constant keys and slots: one object literal, so
 * property stores stay monomorphic). Narrow values become bigints cheaply: ports of at most
 * TABLE_BITS bits from a shared table of their values' bigints; other ports of at most 32 bits
 * through the 64-bit scratch word (the value's two's complement halves written as int32s, read back
 * as a BigInt64Array or BigUint64Array element: exact, and several times cheaper than
 * `BigInt(number)`); wide values are bigints already.
 */
function sampleCode(ports: readonly Port[]): Sample {
  const T = ports.map((p) => (!p.wide && p.type.width <= TABLE_BITS ? valueTable(p) : []));
  const [lo, hi] = [WORD_LO, 1 - WORD_LO];
  const value = (p: Port, k: number): string => {
    if (p.wide) return `B[${p.slot}]`;
    if (p.type.width <= TABLE_BITS) return `T[${k}][N[${p.slot}] - (${p.min})]`;
    return p.type.signed
      ? `(v = N[${p.slot}], W[${lo}] = v, W[${hi}] = v < 0 ? -1 : 0, S[0])`
      : `(W[${lo}] = N[${p.slot}], W[${hi}] = 0, U[0])`;
  };
  // A port named __proto__ in a literal would set the prototype: such records are built key by key.
  const body = ports.every((p) => p.name !== '__proto__')
    ? `return { ${ports.map((p, k) => `${JSON.stringify(p.name)}: ${value(p, k)}`).join(', ')} };`
    : `const out = {};\n${ports.map((p, k) => `Object.defineProperty(out, ${JSON.stringify(p.name)}, { value: ${value(p, k)}, enumerable: true, writable: true, configurable: true });`).join('\n')}\nreturn out;`;
  const make = new Function('T', 'W', 'S', 'U', `'use strict';\nreturn function (N, B) {\nlet v;\n${body}\n};`) as (...tables: unknown[]) => Sample;
  return make(T, WORD_I32, WORD_I64, WORD_U64);
}

/** The per-design cycle functions (see `driverCode`). */
interface Driver {
  step(inputs: Readonly<Record<string, bigint>>, rst: boolean): Record<string, bigint>;
  stepNumbers(inputs: ArrayLike<number>, outputs: Float64Array, rst: boolean): void;
}

/**
 * Source of a factory of the design's `step` and `stepNumbers`: every call to the design's
 * generated functions (inputs, settle chunks, outputs, edge) sits in code generated for this design
 * alone, so each call site sees one function and V8 can inline it; through shared methods of
 * `CompiledSimulator` the same call sites would see every design's functions and stay megamorphic.
 */
function driverCode(net: Netlist, chunks: number, ins: readonly Port[], outs: readonly Port[]): string {
  const settle = [
    ...(net.resetSlot !== undefined ? [`N[${net.resetSlot}] = rst ? 1 : 0;`] : []),
    ...Array.from({ length: chunks }, (_, i) => `S${i}(N, B, parityN, parityB, Wd);`),
  ].join(' ');
  return `'use strict';
const [${Array.from({ length: chunks }, (_, i) => `S${i}`).join(', ')}] = S;
return {
  step(inputs, rst) { A(inputs, N, B, fail); ${settle} const out = O(N, B); E(N, B, rst, Wd); return out; },
  stepNumbers(inputs, outputs, rst) {
    ${ins.map((p, i) => `N[${p.slot}] = inputs[${i}];`).join(' ')}
    ${settle}
    ${outs.map((p, i) => `outputs[${i}] = N[${p.slot}];`).join(' ')}
    E(N, B, rst, Wd);
  },
};`;
}

export class CompiledSimulator {
  readonly netlist: Netlist;
  private readonly N: Float64Array;
  private readonly B: bigint[];
  /** A fresh mutable copy, so the optimizer cannot treat the widths as constants. */
  private readonly widths: number[] = [...WIDTH_TABLE];
  private readonly inPorts: readonly Port[];
  private readonly anyWidePort: boolean;
  private readonly driver: Driver;

  /** `design` must be lowered (the pipeline's output); `Simulator` passes it so. */
  constructor(design: Design) {
    const net = flattenDesign(design);
    this.netlist = net;
    this.N = new Float64Array(net.slotCount);
    this.B = new Array<bigint>(net.slotCount).fill(0n);
    for (const c of net.consts) this.write(c.slot, initialValue(net.slotTypes[c.slot]!, c.value));
    const code = generateCode(net);
    const settleFns = code.settle.map((body) => new Function('N', 'B', 'parityN', 'parityB', 'Wd', `'use strict';\n${body}`) as Settle);
    const edgeFn = new Function('N', 'B', 'rst', 'Wd', `'use strict';\n${code.edge}`) as Edge;
    const port = ([name, p]: [string, { slot: number; type: BitsType }]): Port => {
      const wide = isWide(p.type);
      const [min, max] = wide ? [minValue(p.type), maxValue(p.type)] : [Number(minValue(p.type)), Number(maxValue(p.type))];
      return { name, slot: p.slot, type: p.type, wide, min, max };
    };
    this.inPorts = [...net.inputs].map(port);
    const outPorts = [...net.outputs].map(port);
    this.anyWidePort = [...this.inPorts, ...outPorts].some((p) => p.wide);
    // Port traffic generated per design: constant keys and slots, so property accesses stay monomorphic.
    const applyInputs = new Function('inputs', 'N', 'B', 'fail', `'use strict';\nlet x, v;\n${this.inPorts.map(applyPortCode).join('\n')}`) as Apply;
    const makeDriver = new Function('N', 'B', 'A', 'S', 'O', 'E', 'parityN', 'parityB', 'Wd', 'fail', driverCode(net, settleFns.length, this.inPorts, outPorts));
    this.driver = makeDriver(this.N, this.B, applyInputs, settleFns, sampleCode(outPorts), edgeFn, parityN, parityB, this.widths, this.fail) as Driver;
  }

  /** Holds reset high for `cycles` cycles with all data inputs at 0. */
  reset(cycles = 1): void {
    const zeros: Record<string, bigint> = {};
    for (const p of this.inPorts) zeros[p.name] = 0n;
    for (let i = 0; i < cycles; i++) this.step(zeros, true);
  }

  /**
   * One cycle: apply inputs, settle, sample outputs, clock edge. Returns the sampled outputs, a
   * new record each cycle (bigint values; every input must be present and fit its port's type).
   */
  step(inputs: Readonly<Record<string, bigint>>, reset = false): Record<string, bigint> {
    return this.driver.step(inputs, reset);
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
    this.driver.stepNumbers(inputs, outputs, reset);
  }

  private write(slot: number, v: number | bigint): void {
    if (typeof v === 'bigint') this.B[slot] = v;
    else this.N[slot] = v;
  }
}
