/**
 * Lowered IR (flattened, see netlist.ts) → JavaScript source for the compiled engine. Values keep
 * the IR's exact representation (a signed value is negative when its sign bit is set):
 * - slots of 32 bits or fewer are `number`s in a Float64Array `N` (exact: every value is below
 *   2^32 in magnitude); arithmetic wraps through int32 operators (`|0`, `>>>0`, shifts, `& mask`)
 *   and `Math.imul`, each exact for operands below 2^53, which sums and differences of 32-bit
 *   values are;
 * - wider slots are `bigint`s in an array `B`, wrapped with `BigInt.asIntN` / `BigInt.asUintN`.
 * Conversions between the two happen only where widths cross 32 bits (slice, ext, concat, shift
 * amounts). Constants are inlined as literals. The settle code is split into chunks so V8 still
 * optimizes each function on large designs.
 */
import type { BitsType } from '../../dsl/types/bits.ts';
import { assertNever } from '../../dsl/ir/nodes.ts';
import type { PrimOpName } from '../../dsl/ops/names.ts';
import type { Netlist, Step } from './netlist.ts';

/** Widths up to this many bits are held as `number`s. */
export const NUMBER_BITS = 32;
/** Steps per generated settle function. */
const CHUNK = 1000;

export const isWide = (t: BitsType): boolean => t.width > NUMBER_BITS;

export interface GeneratedCode {
  /** Bodies of `function (N, B)` that settle the combinational logic, run in order. */
  readonly settle: readonly string[];
  /** Body of `function (N, B, rst)` that applies one rising clock edge. */
  readonly edge: string;
}

export function generateCode(net: Netlist): GeneratedCode {
  const consts = new Map(net.consts.map((c) => [c.slot, c.value]));
  const chunkOf = (i: number): number => Math.floor(i / CHUNK);
  const shared = sharedSlots(net, chunkOf);
  const ref = (slot: number): string => {
    const t = net.slotTypes[slot]!;
    const c = consts.get(slot);
    // Negative literals are parenthesized so `-x` and `a - x` stay well-formed.
    if (c !== undefined) return c < 0n ? `(${c}${isWide(t) ? 'n' : ''})` : `${c}${isWide(t) ? 'n' : ''}`;
    if (!shared.has(slot)) return `s${slot}`;
    return isWide(t) ? `B[${slot}]` : `N[${slot}]`;
  };
  const store = (slot: number): string => (shared.has(slot) ? ref(slot) : `const s${slot}`);
  const lines = net.steps.map((s) => stepLine(s, ref, store));
  const settle: string[] = [];
  for (let i = 0; i < lines.length; i += CHUNK) settle.push(lines.slice(i, i + CHUNK).join('\n'));
  return { settle, edge: edgeCode(net, ref) };
}

/**
 * Slots that live in the state arrays: ports, registers and what the clock edge reads, and values
 * read by a later settle chunk. Every other slot is written once and read only inside its chunk,
 * so it becomes a local constant (V8 keeps those in registers).
 */
function sharedSlots(net: Netlist, chunkOf: (step: number) => number): Set<number> {
  const shared = new Set<number>();
  for (const p of [...net.inputs.values(), ...net.outputs.values()]) shared.add(p.slot);
  if (net.resetSlot !== undefined) shared.add(net.resetSlot);
  for (const r of net.regs) {
    shared.add(r.slot); shared.add(r.next);
    if (r.enable !== undefined) shared.add(r.enable);
  }
  const writtenIn = new Map<number, number>();
  net.steps.forEach((s, i) => writtenIn.set(s.dst, chunkOf(i)));
  net.steps.forEach((s, i) => {
    for (const r of s.kind === 'op' ? s.args : [s.src]) {
      const w = writtenIn.get(r);
      // Read before it is written in this settle (a register or input) or in another chunk: shared.
      if (w === undefined || w !== chunkOf(i)) shared.add(r);
    }
  });
  return shared;
}

function stepLine(s: Step, ref: (slot: number) => string, store: (slot: number) => string): string {
  if (s.kind === 'copy') return `${store(s.dst)} = ${ref(s.src)};`;
  return `${store(s.dst)} = ${opExpr(s.op as PrimOpName, s.args.map(ref), s.argTypes, s.type, s.params)};`;
}

const pow2 = (w: number): number => 2 ** w;
const mask = (w: number): string => `${pow2(w) - 1}`;

/** `x` (an integer-valued number expression) reduced into the range of `t` (≤ 32 bits). */
function wrapN(x: string, t: BitsType): string {
  const w = t.width;
  if (t.signed) return w === 32 ? `((${x}) | 0)` : `(((${x}) << ${32 - w}) >> ${32 - w})`;
  return w === 32 ? `((${x}) >>> 0)` : `((${x}) & ${mask(w)})`;
}

/**
 * The width argument of a `BigInt.asIntN`/`asUintN` call. Widths up to 64 are read from the
 * run-time array `Wd` (`Wd[w] === w`) instead of written as a constant: with a constant width
 * <= 64, Node 20's optimizing compiler (V8 11.3) lowers the call to 64-bit machine words and can
 * crash the process ("Phi of kRepTagged (SignedBigInt64) cannot be changed to kRepWord64", seen
 * in CI). A width it cannot see keeps the generic, correct bigint path.
 */
function widthArg(w: number): string {
  return w <= 64 ? `Wd[${w}]` : `${w}`;
}

/** The run-time width table the generated functions take as `Wd` (see `widthArg`). */
export const WIDTH_TABLE: readonly number[] = Array.from({ length: 65 }, (_, i) => i);

function wrapB(x: string, t: BitsType): string {
  return `BigInt.${t.signed ? 'asIntN' : 'asUintN'}(${widthArg(t.width)}, ${x})`;
}

/** The w-bit pattern of a number value of type `t`, as a non-negative number. */
function bitsN(x: string, t: BitsType): string {
  if (!t.signed) return x;
  return t.width === 32 ? `((${x}) >>> 0)` : `((${x}) & ${mask(t.width)})`;
}

/** The w-bit pattern of a value of type `t` as a non-negative bigint. */
function bitsB(x: string, t: BitsType): string {
  return isWide(t) ? (t.signed ? `BigInt.asUintN(${widthArg(t.width)}, ${x})` : x) : `BigInt(${bitsN(x, t)})`;
}

/** A shift amount as a number known to be below `limit` in the branch that uses it. */
function amountN(x: string, t: BitsType): string {
  return isWide(t) ? `Number(${x})` : x;
}

function opExpr(op: PrimOpName, a: readonly string[], at: readonly BitsType[], t: BitsType, p: { amount?: number; hi?: number; lo?: number; width?: number }): string {
  const wide = isWide(t);
  const [x, y, z] = a;
  const xt = at[0]!;
  const wrap = (e: string): string => (wide ? wrapB(e, t) : wrapN(e, t));
  switch (op) {
    case 'addw': return wrap(`${x} + ${y}`);
    case 'subw': return wrap(`${x} - ${y}`);
    case 'mulw': return wide ? wrapB(`${x} * ${y}`, t) : wrapN(`Math.imul(${x}, ${y})`, t);
    case 'negw': return wrap(`-${x}`);
    case 'and': case 'or': case 'xor': {
      const o = op === 'and' ? '&' : op === 'or' ? '|' : '^';
      // Sign-extended operands give a sign-extended result; only unsigned 32-bit needs >>> 0.
      return !wide && !t.signed && t.width === 32 ? `((${x} ${o} ${y}) >>> 0)` : `(${x} ${o} ${y})`;
    }
    case 'not':
      if (t.signed) return `(~${x})`;
      return wide ? wrapB(`~${x}`, t) : wrapN(`~${x}`, t);
    case 'eq': return `(${x} === ${y} ? 1 : 0)`;
    case 'ne': return `(${x} !== ${y} ? 1 : 0)`;
    case 'lt': return `(${x} < ${y} ? 1 : 0)`;
    case 'le': return `(${x} <= ${y} ? 1 : 0)`;
    case 'gt': return `(${x} > ${y} ? 1 : 0)`;
    case 'ge': return `(${x} >= ${y} ? 1 : 0)`;
    case 'redand': {
      const all = xt.signed ? '-1' : isWide(xt) ? `${(1n << BigInt(xt.width)) - 1n}` : mask(xt.width);
      return `(${x} === ${all}${isWide(xt) ? 'n' : ''} ? 1 : 0)`;
    }
    case 'redor': return `(${x} !== ${isWide(xt) ? '0n' : '0'} ? 1 : 0)`;
    case 'redxor': return isWide(xt) ? `parityB(${bitsB(x!, xt)})` : `parityN(${bitsN(x!, xt)})`;
    case 'shld': case 'shrd': return shiftExpr(op, x!, y!, xt, at[1]!, t);
    case 'concat': return concatExpr(a, at, t);
    case 'slice': return sliceExpr(x!, xt, p.hi!, p.lo!);
    case 'ext': return isWide(t) && !isWide(xt) ? `BigInt(${x})` : x!;
    case 'asSigned': return wide ? wrapB(x!, t) : wrapN(x!, t);
    case 'asUnsigned': return wide ? wrapB(x!, t) : bitsN(x!, xt);
    case 'mux': return `(${x} === 1 ? ${y} : ${z})`;
    default: return assertNever(op, 'primitive op');
  }
}

function shiftExpr(op: 'shld' | 'shrd', x: string, s: string, xt: BitsType, st: BitsType, t: BitsType): string {
  const w = t.width;
  const over = isWide(st) ? `${s} >= ${w}n` : `${s} >= ${w}`;
  const k = amountN(s, st);
  if (op === 'shld') {
    return isWide(t) ? `(${over} ? 0n : ${wrapB(`${x} << BigInt(${k})`, t)})` : `(${over} ? 0 : ${wrapN(`${x} << ${k}`, t)})`;
  }
  if (isWide(t)) return `(${over} ? (${x} < 0n ? -1n : 0n) : (${x} >> BigInt(${k})))`;
  return xt.signed ? `(${over} ? (${x} < 0 ? -1 : 0) : (${x} >> ${k}))` : `(${over} ? 0 : (${x} >>> ${k}))`;
}

/** Parts first-most-significant; a ≤ 32-bit result is built with exact multiplications. */
function concatExpr(a: readonly string[], at: readonly BitsType[], t: BitsType): string {
  if (!isWide(t)) {
    let e = '0';
    a.forEach((x, i) => { e = `(${e} * ${pow2(at[i]!.width)} + ${bitsN(x, at[i]!)})`; });
    return e;
  }
  let e = '0n';
  a.forEach((x, i) => { e = `((${e} << ${at[i]!.width}n) | ${bitsB(x, at[i]!)})`; });
  return e;
}

function sliceExpr(x: string, xt: BitsType, hi: number, lo: number): string {
  const r = hi - lo + 1;
  if (isWide(xt)) {
    const bits = `BigInt.asUintN(${widthArg(r)}, ${x} >> ${lo}n)`;
    return r > NUMBER_BITS ? bits : `Number(${bits})`;
  }
  if (r === 32) return `(${x} >>> 0)`;
  return `((${x} >>> ${lo}) & ${mask(r)})`;
}

/**
 * One rising edge: every register takes its next value computed from the old values. A register
 * is written in place as soon as every other register that reads its slot has been computed
 * (readers first: a shift chain is written from its far end), so few values stay live; only
 * registers on a read cycle (e.g. two that swap) go through a temporary computed before any write.
 */
function edgeCode(net: Netlist, ref: (slot: number) => string): string {
  const regs = net.regs;
  // readers[i]: the other registers whose next value reads register i's slot.
  const regOfSlot = new Map(regs.map((r, i) => [r.slot, i]));
  const readers = regs.map((): number[] => []);
  regs.forEach((r, j) => {
    for (const slot of new Set([r.next, ...(r.enable !== undefined ? [r.enable] : [])])) {
      const i = regOfSlot.get(slot);
      if (i !== undefined && i !== j) readers[i]!.push(j);
    }
  });
  // Readers are written before the register they read: Tarjan completes a component only after
  // every component reachable from it, i.e. after the registers that read it.
  const { onCycle: viaTemp, acyclicOrder: order } = stronglyConnected(readers);
  // Two straight-line bodies, under reset and not, so no register tests `rst`.
  const body = (rst: boolean): string => {
    const resetOf = (i: number): string | undefined => {
      const r = regs[i]!;
      return rst && r.resetValue !== undefined ? `${r.resetValue}${isWide(net.slotTypes[r.slot]!) ? 'n' : ''}` : undefined;
    };
    const value = (i: number): string => {
      const r = regs[i]!;
      return resetOf(i) ?? (r.enable !== undefined ? `(${ref(r.enable)} === 1 ? ${ref(r.next)} : ${ref(r.slot)})` : ref(r.next));
    };
    const lines: string[] = [];
    regs.forEach((_, i) => { if (viaTemp[i]) lines.push(`const r${i} = ${value(i)};`); });
    for (const i of order) {
      const r = regs[i]!;
      // An enabled register in place: stored only when enabled (holding is no store at all).
      lines.push(resetOf(i) === undefined && r.enable !== undefined ? `if (${ref(r.enable)} === 1) ${ref(r.slot)} = ${ref(r.next)};` : `${ref(r.slot)} = ${value(i)};`);
    }
    regs.forEach((r, i) => { if (viaTemp[i]) lines.push(`${ref(r.slot)} = r${i};`); });
    return lines.join('\n');
  };
  return `if (rst) {\n${body(true)}\n} else {\n${body(false)}\n}`;
}

/**
 * Tarjan's strongly connected components of the graph `edges` (iterative: chains may be long):
 * which nodes lie on a cycle of two or more nodes, and the other nodes in completion order (each
 * after every node reachable from it).
 */
function stronglyConnected(edges: readonly (readonly number[])[]): { onCycle: boolean[]; acyclicOrder: number[] } {
  const n = edges.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const out = new Array<boolean>(n).fill(false);
  const order: number[] = [];
  const stack: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root); onStack[root] = true;
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, k] = top;
      const w = edges[v]![k];
      if (w !== undefined) {
        top[1]++;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w); onStack[w] = true;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent[0]] = Math.min(low[parent[0]]!, low[v]!);
      if (low[v] === index[v]) {
        const scc: number[] = [];
        let x: number;
        do { x = stack.pop()!; onStack[x] = false; scc.push(x); } while (x !== v);
        if (scc.length > 1) for (const y of scc) out[y] = true;
        else order.push(v);
      }
    }
  }
  return { onCycle: out, acyclicOrder: order };
}

/** Runtime helpers the generated code calls. */
export function parityN(v: number): number {
  let x = v >>> 0;
  x ^= x >>> 16; x ^= x >>> 8; x ^= x >>> 4; x ^= x >>> 2; x ^= x >>> 1;
  return x & 1;
}

export function parityB(v: bigint): number {
  let p = 0;
  for (let x = v; x !== 0n; x >>= 32n) p ^= parityN(Number(x & 0xffffffffn));
  return p;
}

/** A slot's initial value in its representation. */
export function initialValue(t: BitsType, value = 0n): number | bigint {
  return isWide(t) ? value : Number(value);
}

