/**
 * Primitive operators: what lowered IR contains and the Verilog printer emits. Operand types
 * are already equal where the op needs it, so no printer ever relies on Verilog's
 * context-dependent sizing or signedness.
 */
import { bitsType, formatType, type BitsType } from '../types/bits.ts';
import { fromBits, toBits, wrapTo, mask } from '../types/values.ts';
import type { PrimOpName } from './names.ts';
import { checkWidth, sameTypes } from './rules.ts';
import type { PrimOpDef, EvalFn, TypeRule } from './types.ts';

const U1 = bitsType(1, false);

function modular(rule: string, f: (a: bigint, b: bigint) => bigint): PrimOpDef {
  return {
    arity: 2,
    doc: `${rule}: operands of one type T, result T, wraps modulo 2^width.`,
    type: (args) => sameTypes(args, rule),
    eval: ([a, b], _args, _p, t) => wrapTo(f(a!, b!), t),
  };
}

function bitwise(name: string, f: (a: bigint, b: bigint) => bigint): PrimOpDef {
  return {
    arity: 2,
    doc: `${name}: bitwise on operands of one type T, result T.`,
    type: (args) => sameTypes(args, name),
    eval: ([a, b], args, _p, t) => fromBits(f(toBits(a!, args[0]!.width), toBits(b!, args[0]!.width)), t.width, t.signed),
  };
}

function compare(name: string, f: (a: bigint, b: bigint) => boolean): PrimOpDef {
  const rule: TypeRule = (args) => {
    const t = sameTypes(args, name);
    return typeof t === 'string' ? t : U1;
  };
  return { arity: 2, doc: `${name}: operands of one type (signed compare when signed), result UInt(1).`, type: rule, eval: ([a, b]) => (f(a!, b!) ? 1n : 0n) };
}

function reduce(name: string, f: (bits: bigint, width: number) => boolean): PrimOpDef {
  return { arity: 1, doc: `${name}: reduction over all bits, result UInt(1).`, type: () => U1, eval: ([a], args) => (f(toBits(a!, args[0]!.width), args[0]!.width) ? 1n : 0n) };
}

function popcountOdd(bits: bigint): boolean {
  let odd = false;
  for (let b = bits; b !== 0n; b >>= 1n) if ((b & 1n) === 1n) odd = !odd;
  return odd;
}

const shiftRule = (name: string): TypeRule => (args) => {
  const [a, s] = args;
  if (!a || !s) return `${name} needs a value and an amount`;
  if (s.signed) return `${name} needs an unsigned shift amount, got ${formatType(s)}`;
  return a;
};

/** Dynamic shifts: amounts at or beyond the width shift every bit out. */
const shldEval: EvalFn = ([a, s], _args, _p, t) => (s! >= BigInt(t.width) ? 0n : wrapTo(a! << s!, t));
const shrdEval: EvalFn = ([a, s], _args, _p, t) => (s! >= BigInt(t.width) ? (a! < 0n ? -1n : 0n) : a! >> s!);

export const PRIM_OPS = {
  addw: modular('addw', (a, b) => a + b),
  subw: modular('subw', (a, b) => a - b),
  mulw: modular('mulw', (a, b) => a * b),
  negw: { arity: 1, doc: 'negw: result of the operand\'s type, wraps (-MIN = MIN).', type: ([a]) => a!, eval: ([a], _x, _p, t) => wrapTo(-a!, t) },
  and: bitwise('and', (a, b) => a & b),
  or: bitwise('or', (a, b) => a | b),
  xor: bitwise('xor', (a, b) => a ^ b),
  not: { arity: 1, doc: 'not: bitwise complement, result of the operand\'s type.', type: ([a]) => a!, eval: ([a], _x, _p, t) => fromBits(~toBits(a!, t.width), t.width, t.signed) },
  eq: compare('eq', (a, b) => a === b),
  ne: compare('ne', (a, b) => a !== b),
  lt: compare('lt', (a, b) => a < b),
  le: compare('le', (a, b) => a <= b),
  gt: compare('gt', (a, b) => a > b),
  ge: compare('ge', (a, b) => a >= b),
  redand: reduce('redand', (bits, w) => bits === mask(w)),
  redor: reduce('redor', (bits) => bits !== 0n),
  redxor: reduce('redxor', popcountOdd),
  shld: { arity: 2, doc: 'shld: a << s (s unsigned), result of a\'s type, bits shifted out are lost.', type: shiftRule('shld'), eval: shldEval },
  shrd: { arity: 2, doc: 'shrd: a >> s (s unsigned), arithmetic (floor) when a is signed, logical otherwise; result of a\'s type.', type: shiftRule('shrd'), eval: shrdEval },
  concat: {
    arity: 'many',
    doc: 'concat: bits of the operands, first operand most significant; result UInt(sum of widths).',
    type: (args) => (args.length === 0 ? 'concat needs at least one operand' : bitsType(args.reduce((s, t) => s + t.width, 0), false)),
    eval: (vals, args) => vals.reduce((acc, v, i) => (acc << BigInt(args[i]!.width)) | toBits(v, args[i]!.width), 0n),
  },
  slice: {
    arity: 1,
    doc: 'slice {hi, lo}: bits hi..lo inclusive, 0 <= lo <= hi < width; result UInt(hi - lo + 1).',
    type: ([a], p) => {
      const { hi, lo } = p;
      if (hi === undefined || lo === undefined || !Number.isInteger(hi) || !Number.isInteger(lo)) return 'slice needs integer hi and lo';
      if (lo < 0 || hi < lo || hi >= a!.width) return `slice [${hi}:${lo}] is outside ${formatType(a!)} (need 0 <= lo <= hi < ${a!.width})`;
      return bitsType(hi - lo + 1, false);
    },
    eval: ([a], args, p) => (toBits(a!, args[0]!.width) >> BigInt(p.lo!)) & mask(p.hi! - p.lo! + 1),
  },
  ext: {
    arity: 1,
    doc: 'ext {width}: sign-extends (signed) or zero-extends (unsigned) to width >= the operand\'s; value unchanged.',
    type: ([a], p) => checkWidth(p.width, 'ext width') ?? (p.width! < a!.width ? `ext cannot narrow ${formatType(a!)} to width ${p.width}; use wrap or saturate` : bitsType(p.width!, a!.signed)),
    eval: ([a]) => a!,
  },
  asSigned: { arity: 1, doc: 'asSigned: the same bits read as signed.', type: ([a]) => bitsType(a!.width, true), eval: ([a], args) => fromBits(toBits(a!, args[0]!.width), args[0]!.width, true) },
  asUnsigned: { arity: 1, doc: 'asUnsigned: the same bits read as unsigned.', type: ([a]) => bitsType(a!.width, false), eval: ([a], args) => toBits(a!, args[0]!.width) },
  mux: {
    arity: 3,
    doc: 'mux(sel, a, b): a when sel is 1, else b; sel UInt(1), a and b of one type T, result T.',
    type: ([s, a, b]) => {
      if (s!.width !== 1 || s!.signed) return `mux select must be UInt(1), got ${formatType(s!)}`;
      return sameTypes([a!, b!], 'mux');
    },
    eval: ([s, a, b]) => (s === 1n ? a! : b!),
  },
} as const satisfies Record<PrimOpName, PrimOpDef>;

