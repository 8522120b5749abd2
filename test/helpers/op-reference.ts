/**
 * An independent reference for every operator of the op table at small widths (operands of
 * 1..4 bits), for the exhaustive operator tests and their co-simulation twin.
 *
 * Nothing here calls the code under test to compute an expectation: types are plain
 * `{ w, s }` records, values are plain `number`s (exact at these widths), and bit-level ops
 * go through bit strings. The only DSL use is `buildOpsDesign`, which builds the design under
 * test (one output per case) from public `Sig` methods where one exists.
 */
import { captureLoc } from '../../dsl/diagnostics/loc.ts';
import { defineModule, SInt, UInt, type BitsType, type BuiltDesign, type ModuleBuilder, type Sig } from '../../dsl/index.ts';
import type { OpName, OpParams } from '../../dsl/ops/names.ts';

/** A reference type: width and signedness. */
export interface Ty {
  readonly w: number;
  readonly s: boolean;
}

export const ty = (w: number, s: boolean): Ty => ({ w, s });
export const tyName = (t: Ty): string => `${t.s ? 's' : 'u'}${t.w}`;
export const toBitsType = (t: Ty): BitsType => (t.s ? SInt(t.w) : UInt(t.w));

/** Where an operand comes from in the batched design: input x (4 bits), y (4 bits) or s (1 bit). */
export type Source = 'x' | 'y' | 's';

export interface OpCase {
  /** Unique, a legal identifier suffix. */
  readonly id: string;
  readonly op: OpName;
  readonly args: readonly Ty[];
  readonly sources: readonly Source[];
  readonly params: OpParams;
  /** The reference result type; undefined when the reference rule says the op is not allowed. */
  readonly result: Ty | undefined;
}

// ---------------------------------------------------------------------------------------------
// Values as plain numbers and bit strings (MSB first).

const P2 = (k: number): number => 2 ** k;

export function minOf(t: Ty): number {
  return t.s ? -P2(t.w - 1) : 0;
}

export function maxOf(t: Ty): number {
  return t.s ? P2(t.w - 1) - 1 : P2(t.w) - 1;
}

/** Every value of the type, ascending. */
export function valuesOf(t: Ty): number[] {
  const out: number[] = [];
  for (let v = minOf(t); v <= maxOf(t); v++) out.push(v);
  return out;
}

/** The w-bit two's-complement pattern of v as a '0'/'1' string, MSB first. */
export function bitStr(v: number, w: number): string {
  const m = P2(w);
  return (((v % m) + m) % m).toString(2).padStart(w, '0');
}

/** The value of a bit string read unsigned or two's complement. */
export function strVal(bits: string, signed: boolean): number {
  const u = parseInt(bits, 2);
  return signed && bits[0] === '1' ? u - P2(bits.length) : u;
}

export function wrapNum(v: number, t: Ty): number {
  return strVal(bitStr(v, t.w), t.s);
}

function zipBits(a: string, b: string, f: (p: string, q: string) => string): string {
  let out = '';
  for (let i = 0; i < a.length; i++) out += f(a[i]!, b[i]!);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reference type rules, written from the operator docs.

const COMPOSITE_BINARY = new Set<OpName>(['add', 'sub', 'mul', 'addWrap', 'subWrap', 'cmpEq', 'cmpNe', 'cmpLt', 'cmpLe', 'cmpGt', 'cmpGe']);
const PRIM_SAME_TYPE = new Set<OpName>(['addw', 'subw', 'mulw', 'and', 'or', 'xor']);
const PRIM_COMPARE = new Set<OpName>(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const U1 = ty(1, false);

/** Smallest type holding every value of both (mixed: the unsigned side needs one more bit). */
function joinTy(a: Ty, b: Ty): Ty {
  if (a.s === b.s) return ty(Math.max(a.w, b.w), a.s);
  const sw = a.s ? a.w : b.w;
  const uw = a.s ? b.w : a.w;
  return ty(Math.max(sw, uw + 1), true);
}

const isWidth = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n >= 1 && n <= 65536;
const isAmount = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n >= 0;
const same = (a: Ty, b: Ty): boolean => a.w === b.w && a.s === b.s;

export function refType(op: OpName, args: readonly Ty[], p: OpParams): Ty | undefined {
  const [a, b, c] = args;
  switch (op) {
    case 'add': return ty(joinTy(a!, b!).w + 1, joinTy(a!, b!).s);
    case 'sub': return ty(joinTy(a!, b!).w + 1, true);
    case 'mul': return ty(a!.w + b!.w, a!.s || b!.s);
    case 'neg': return ty(a!.w + 1, true);
    case 'addWrap': case 'subWrap': return a!.s === b!.s ? ty(Math.max(a!.w, b!.w), a!.s) : undefined;
    case 'cmpEq': case 'cmpNe': case 'cmpLt': case 'cmpLe': case 'cmpGt': case 'cmpGe': return U1;
    case 'shl': return isAmount(p.amount) ? ty(a!.w + p.amount, a!.s) : undefined;
    case 'shr': return isAmount(p.amount) ? ty(Math.max(a!.w - p.amount, 1), a!.s) : undefined;
    case 'wrap': case 'saturate': return isWidth(p.width) ? ty(p.width, a!.s) : undefined;
    case 'toSigned': return a!.s ? a! : ty(a!.w + 1, true);
    case 'select': return same(a!, U1) ? joinTy(b!, c!) : undefined;
    case 'addw': case 'subw': case 'mulw': case 'and': case 'or': case 'xor': return same(a!, b!) ? a! : undefined;
    case 'negw': case 'not': return a!;
    case 'eq': case 'ne': case 'lt': case 'le': case 'gt': case 'ge': return same(a!, b!) ? U1 : undefined;
    case 'redand': case 'redor': case 'redxor': return U1;
    case 'shld': case 'shrd': return b!.s ? undefined : a!;
    case 'concat': return args.length === 0 ? undefined : ty(args.reduce((n, t) => n + t.w, 0), false);
    case 'slice': {
      const { hi, lo } = p;
      if (hi === undefined || lo === undefined || !Number.isInteger(hi) || !Number.isInteger(lo)) return undefined;
      return lo >= 0 && lo <= hi && hi < a!.w ? ty(hi - lo + 1, false) : undefined;
    }
    case 'ext': return isWidth(p.width) && p.width >= a!.w ? ty(p.width, a!.s) : undefined;
    case 'asSigned': return ty(a!.w, true);
    case 'asUnsigned': return ty(a!.w, false);
    case 'mux': return same(a!, U1) && same(b!, c!) ? b! : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Reference evaluation on values (operands in range of their types).

export function refEval(c: Pick<OpCase, 'op' | 'args' | 'params'>, vals: readonly number[], result: Ty): number {
  const [a, b, d] = vals as [number, number, number];
  const p = c.params;
  const w0 = c.args[0]?.w ?? 0;
  const bitwise = (f: (p: string, q: string) => string): number => strVal(zipBits(bitStr(a, w0), bitStr(b, w0), f), result.s);
  switch (c.op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'neg': return -a;
    case 'addWrap': case 'addw': return wrapNum(a + b, result);
    case 'subWrap': case 'subw': return wrapNum(a - b, result);
    case 'mulw': return wrapNum(a * b, result);
    case 'negw': return wrapNum(-a, result);
    case 'cmpEq': case 'eq': return a === b ? 1 : 0;
    case 'cmpNe': case 'ne': return a !== b ? 1 : 0;
    case 'cmpLt': case 'lt': return a < b ? 1 : 0;
    case 'cmpLe': case 'le': return a <= b ? 1 : 0;
    case 'cmpGt': case 'gt': return a > b ? 1 : 0;
    case 'cmpGe': case 'ge': return a >= b ? 1 : 0;
    case 'shl': return a * P2(p.amount!);
    case 'shr': return Math.floor(a / P2(p.amount!));
    case 'wrap': return wrapNum(a, result);
    case 'saturate': return Math.min(maxOf(result), Math.max(minOf(result), a));
    case 'toSigned': case 'ext': return a;
    case 'select': case 'mux': return a === 1 ? b : d;
    case 'and': return bitwise((x, y) => (x === '1' && y === '1' ? '1' : '0'));
    case 'or': return bitwise((x, y) => (x === '1' || y === '1' ? '1' : '0'));
    case 'xor': return bitwise((x, y) => (x !== y ? '1' : '0'));
    case 'not': return strVal([...bitStr(a, w0)].map((x) => (x === '1' ? '0' : '1')).join(''), result.s);
    case 'redand': return bitStr(a, w0).includes('0') ? 0 : 1;
    case 'redor': return bitStr(a, w0).includes('1') ? 1 : 0;
    case 'redxor': return [...bitStr(a, w0)].filter((x) => x === '1').length % 2;
    case 'shld': return wrapNum(a * P2(b), result);
    case 'shrd': return Math.floor(a / P2(b));
    case 'concat': return strVal(vals.map((v, i) => bitStr(v, c.args[i]!.w)).join(''), false);
    case 'slice': {
      const s = bitStr(a, w0);
      return strVal(s.substring(w0 - 1 - p.hi!, w0 - p.lo!), false);
    }
    case 'asSigned': return strVal(bitStr(a, w0), true);
    case 'asUnsigned': return strVal(bitStr(a, w0), false);
  }
}

// ---------------------------------------------------------------------------------------------
// The case list.

/** Operand types swept: widths 1..4, unsigned and signed. */
export const SMALL_TYPES: readonly Ty[] = [1, 2, 3, 4].flatMap((w) => [ty(w, false), ty(w, true)]);

function mk(op: OpName, args: readonly Ty[], sources: readonly Source[], params: OpParams = {}): OpCase {
  const ps = Object.entries(params).map(([k, v]) => `${k}${String(v).replace('-', 'm').replace('.', 'p')}`).join('_');
  const id = [op, ...args.map(tyName), ...(ps ? [ps] : [])].join('_');
  return { id, op, args, sources, params, result: refType(op, args, params) };
}

/**
 * Every case, including ones the reference rule rejects (mixed signedness for same-type ops,
 * out-of-range slices, narrowing ext, signed shift amounts, bad select types, bad params).
 */
export function allOpCases(): OpCase[] {
  const T = SMALL_TYPES;
  const out: OpCase[] = [];
  const pairs = T.flatMap((a) => T.map((b) => [a, b] as const));
  for (const op of COMPOSITE_BINARY) for (const [a, b] of pairs) out.push(mk(op, [a, b], ['x', 'y']));
  for (const op of PRIM_SAME_TYPE) for (const [a, b] of pairs) out.push(mk(op, [a, b], ['x', 'y']));
  for (const op of PRIM_COMPARE) for (const [a, b] of pairs) out.push(mk(op, [a, b], ['x', 'y']));
  for (const op of ['shld', 'shrd'] as const) for (const [a, b] of pairs) out.push(mk(op, [a, b], ['x', 'y']));
  for (const [a, b] of pairs) out.push(mk('concat', [a, b], ['x', 'y']));
  for (const [a, b] of pairs) out.push(mk('concat', [a, b, U1], ['x', 'y', 's']));
  for (const a of T) {
    for (const op of ['neg', 'toSigned', 'negw', 'not', 'redand', 'redor', 'redxor', 'asSigned', 'asUnsigned'] as const) out.push(mk(op, [a], ['x']));
    out.push(mk('concat', [a], ['x']));
    for (const op of ['shl', 'shr'] as const) {
      for (let k = 0; k <= a.w + 1; k++) out.push(mk(op, [a], ['x'], { amount: k }));
      out.push(mk(op, [a], ['x'], { amount: -1 }), mk(op, [a], ['x'], { amount: 1.5 }));
    }
    for (const op of ['wrap', 'saturate', 'ext'] as const) {
      for (let n = 1; n <= 6; n++) out.push(mk(op, [a], ['x'], { width: n }));
      out.push(mk(op, [a], ['x'], { width: 0 }));
    }
    for (let hi = -1; hi <= a.w; hi++) for (let lo = -1; lo <= a.w; lo++) out.push(mk('slice', [a], ['x'], { hi, lo }));
    // The condition of select/mux: every small type (only UInt(1) is allowed).
    for (const sel of T) {
      for (const b of T) out.push(mk('select', [sel, a, b], ['s', 'x', 'y']));
      out.push(mk('mux', [sel, a, a], ['s', 'x', 'y']));
    }
    out.push(mk('mux', [U1, a, a.s ? ty(a.w, false) : ty(a.w === 4 ? 3 : a.w + 1, false)], ['s', 'x', 'y']));
  }
  return out;
}

/** The cases the reference rule accepts, each once (sorted as generated). */
export function validOpCases(): OpCase[] {
  const seen = new Set<string>();
  return allOpCases().filter((c) => {
    if (c.result === undefined || seen.has(c.id)) return false;
    seen.add(c.id);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// The batched design: inputs x: UInt(4), y: UInt(4), s: UInt(1); one output per case.

export const OPS_INPUTS = ['x', 'y', 's'] as const;

/** All 512 (x, y, s) rows: every operand pair of widths <= 4 with either condition value. */
export function allInputRows(): bigint[][] {
  const rows: bigint[][] = [];
  for (let x = 0; x < 16; x++) for (let y = 0; y < 16; y++) for (let s = 0; s < 2; s++) rows.push([BigInt(x), BigInt(y), BigInt(s)]);
  return rows;
}

/** The value operand i of a case sees for one input row (low bits of its source, read with its signedness). */
export function operandValue(c: OpCase, i: number, row: readonly bigint[]): number {
  const src = c.sources[i]!;
  const raw = Number(row[src === 'x' ? 0 : src === 'y' ? 1 : 2]!);
  const t = c.args[i]!;
  const low = raw % P2(t.w);
  return t.s && low >= P2(t.w - 1) ? low - P2(t.w) : low;
}

/** The reference output of a (valid) case for one input row. */
export function refOutput(c: OpCase, row: readonly bigint[]): number {
  return refEval(c, c.args.map((_t, i) => operandValue(c, i, row)), c.result!);
}

export const outputName = (i: number): string => `o${i}`;

/** Builds one case's op with the DSL's public methods (or `apply` for primitive ops without one). */
export function buildCase(m: ModuleBuilder, c: OpCase, ops: readonly Sig[]): Sig {
  const [a, b, d] = ops as [Sig, Sig, Sig];
  const p = c.params;
  switch (c.op) {
    case 'add': return a.add(b);
    case 'sub': return a.sub(b);
    case 'mul': return a.mul(b);
    case 'neg': return a.neg();
    case 'addWrap': return a.addWrap(b);
    case 'subWrap': return a.subWrap(b);
    case 'cmpEq': return a.eq(b);
    case 'cmpNe': return a.ne(b);
    case 'cmpLt': return a.lt(b);
    case 'cmpLe': return a.le(b);
    case 'cmpGt': return a.gt(b);
    case 'cmpGe': return a.ge(b);
    case 'shl': return a.shl(p.amount!);
    case 'shr': return a.shr(p.amount!);
    case 'wrap': return a.wrap(p.width!);
    case 'saturate': return a.saturate(p.width!);
    case 'toSigned': return a.toSigned();
    case 'select': return m.mux(a, b, d);
    case 'and': return a.and(b);
    case 'or': return a.or(b);
    case 'xor': return a.xor(b);
    case 'not': return a.not();
    case 'redand': return a.andR();
    case 'redor': return a.orR();
    case 'redxor': return a.xorR();
    case 'shld': return a.shlWrap(b);
    case 'shrd': return a.shr(b);
    case 'concat': return m.cat(...ops);
    case 'slice': return p.hi === p.lo ? a.bit(p.hi!) : a.slice(p.hi!, p.lo!);
    case 'ext': return a.ext(p.width!);
    case 'asSigned': return a.asSigned();
    case 'asUnsigned': return a.asUnsigned();
    default:
      // addw subw mulw negw eq ne lt le gt ge mux: primitive ops the public API only reaches through lowering.
      return a.apply(c.op, ops.map((o) => o.node), p, captureLoc());
  }
}

/** One design computing every case from shared inputs x, y, s; output `o<i>` is case i. */
export function buildOpsDesign(name: string, cases: readonly OpCase[]): BuiltDesign {
  return defineModule(name, (m) => {
    const results = buildCases(m, cases);
    cases.forEach((c, i) => m.output(outputName(i), toBitsType(c.result!)).drive(results[i]!));
  });
}

/** Where case `index`'s result lies in a packed output: bits [lsb, lsb + width) of output `p<output>`. */
export interface PackedCase {
  readonly index: number;
  readonly output: number;
  readonly lsb: number;
  readonly width: number;
  readonly signed: boolean;
}

/**
 * The cases of `buildOpsDesign` with their results concatenated into unsigned outputs `p<g>` of
 * at most `bits` bits (in case order, the first case of a group least significant). Same logic
 * per case; far fewer ports, so a testbench compares a few wide words instead of one port per case.
 */
export function buildPackedOpsDesign(name: string, cases: readonly OpCase[], bits: number): { design: BuiltDesign; packed: PackedCase[] } {
  const packed: PackedCase[] = [];
  let output = 0;
  let lsb = 0;
  cases.forEach((c, index) => {
    const width = c.result!.w;
    if (lsb > 0 && lsb + width > bits) [output, lsb] = [output + 1, 0];
    packed.push({ index, output, lsb, width, signed: c.result!.s });
    lsb += width;
  });
  const design = defineModule(name, (m) => {
    const results = buildCases(m, cases);
    for (let g = 0; g <= output; g++) {
      const parts = packed.filter((p) => p.output === g).reverse().map((p) => (p.signed ? results[p.index]!.asUnsigned() : results[p.index]!));
      m.output(`p${g}`, UInt(parts.reduce((w, q) => w + q.width, 0))).drive(m.cat(...parts));
    }
  });
  return { design, packed };
}

/** Case `p`'s value in its packed output word (two's complement when the case's result is signed). */
export function unpackCase(word: bigint, p: PackedCase): bigint {
  const raw = (word >> BigInt(p.lsb)) & ((1n << BigInt(p.width)) - 1n);
  return p.signed && raw >> BigInt(p.width - 1) === 1n ? raw - (1n << BigInt(p.width)) : raw;
}

/** Every case's result on shared inputs x, y, s (operands sliced and signed once per type). */
function buildCases(m: ModuleBuilder, cases: readonly OpCase[]): Sig[] {
  const inputs = { x: m.input('x', UInt(4)), y: m.input('y', UInt(4)), s: m.input('s', UInt(1)) };
  const cache = new Map<string, Sig>();
  const operand = (src: Source, t: Ty): Sig => {
    const key = `${src}${tyName(t)}`;
    let v = cache.get(key);
    if (v === undefined) {
      const raw = inputs[src];
      const low = t.w === raw.width ? raw : raw.slice(t.w - 1, 0);
      v = t.s ? low.asSigned() : low;
      cache.set(key, v);
    }
    return v;
  };
  return cases.map((c) => buildCase(m, c, c.args.map((t, k) => operand(c.sources[k]!, t))));
}
