/**
 * Composite (user-facing) operators. Widths grow so results are exact unless the op's name
 * says it wraps or saturates. Mixed signedness is allowed where exact: the unsigned operand is
 * first widened by one bit to signed (see `unify`).
 */
import { bitsType, formatType, maxValue, minValue, type BitsType } from '../types/bits.ts';
import { wrapTo } from '../types/values.ts';
import type { CompositeOpName, PrimOpName } from './names.ts';
import { checkWidth, decideCompare, describe, extendTo, lowBits, unify } from './rules.ts';
import type { CompositeOpDef, EvalFn, Lowerer, LVal } from './types.ts';

/** add: result unify(a, b) widened by one bit; exact. */
function addType(args: readonly BitsType[]): BitsType {
  const u = unify(args[0]!, args[1]!);
  return bitsType(u.width + 1, u.signed);
}

/** sub: like add, but always signed (unsigned operands may give a negative difference). */
function subType(args: readonly BitsType[]): BitsType {
  return bitsType(unify(args[0]!, args[1]!).width + 1, true);
}

/** Extend both operands to the result type and apply a modular primitive: exact since the result holds every outcome. */
function lowerBinary(prim: PrimOpName) {
  return (b: Lowerer, [x, y]: readonly LVal[], _p: unknown, t: BitsType): LVal => b.prim(prim, [extendTo(b, x!, t), extendTo(b, y!, t)]);
}

/** Inclusive value range of a lowering value: exact for constants, the type's range otherwise. */
function rangeOf(v: LVal): [bigint, bigint] {
  return v.value !== undefined ? [v.value, v.value] : [minValue(v.type), maxValue(v.type)];
}

/** The comparison's result when the operand ranges already decide it (see `decideCompare`). */
function decided(prim: PrimOpName, x: LVal, y: LVal): boolean | undefined {
  return decideCompare(prim, x.id === y.id, rangeOf(x), rangeOf(y));
}

function compareOp(prim: PrimOpName, name: string, f: (a: bigint, b: bigint) => boolean): CompositeOpDef {
  return {
    arity: 2,
    doc: `${name}: compares the values exactly (any widths, mixed signedness); result UInt(1). Folded to a constant when the operand ranges decide it.`,
    type: () => bitsType(1, false),
    eval: ([a, b]) => (f(a!, b!) ? 1n : 0n),
    lower: (b, [x, y]) => {
      const d = decided(prim, x!, y!);
      if (d !== undefined) return b.constant(d ? 1n : 0n, bitsType(1, false));
      const t = unify(x!.type, y!.type);
      return b.prim(prim, [extendTo(b, x!, t), extendTo(b, y!, t)]);
    },
  };
}

function wrapRule(name: string) {
  return ([a, c]: readonly BitsType[]): BitsType | string =>
    a!.signed !== c!.signed ? `${name} needs operands of one signedness, got ${describe([a!, c!])}` : bitsType(Math.max(a!.width, c!.width), a!.signed);
}

const wrapEval: EvalFn = ([a], _args, _p, t) => wrapTo(a!, t);

export const COMPOSITE_OPS = {
  add: { arity: 2, doc: 'add: exact sum; result width max(wa, wb) + 1 (after unifying signedness).', type: addType, eval: ([a, b]) => a! + b!, lower: lowerBinary('addw') },
  sub: { arity: 2, doc: 'sub: exact difference; result signed, width max(wa, wb) + 1 (after unifying signedness).', type: subType, eval: ([a, b]) => a! - b!, lower: lowerBinary('subw') },
  mul: {
    arity: 2,
    doc: 'mul: exact product; result width wa + wb, signed if either operand is signed.',
    type: ([a, b]) => bitsType(a!.width + b!.width, a!.signed || b!.signed),
    eval: ([a, b]) => a! * b!,
    lower: lowerBinary('mulw'),
  },
  neg: { arity: 1, doc: 'neg: exact negation; result signed, width w + 1.', type: ([a]) => bitsType(a!.width + 1, true), eval: ([a]) => -a!, lower: (b, [x], _p, t) => b.prim('negw', [extendTo(b, x!, t)]) },
  addWrap: { arity: 2, doc: 'addWrap: sum modulo 2^max(wa, wb); operands of one signedness.', type: wrapRule('addWrap'), eval: ([a, b], _x, _p, t) => wrapTo(a! + b!, t), lower: lowerBinary('addw') },
  subWrap: { arity: 2, doc: 'subWrap: difference modulo 2^max(wa, wb); operands of one signedness.', type: wrapRule('subWrap'), eval: ([a, b], _x, _p, t) => wrapTo(a! - b!, t), lower: lowerBinary('subw') },
  cmpEq: compareOp('eq', 'cmpEq', (a, b) => a === b),
  cmpNe: compareOp('ne', 'cmpNe', (a, b) => a !== b),
  cmpLt: compareOp('lt', 'cmpLt', (a, b) => a < b),
  cmpLe: compareOp('le', 'cmpLe', (a, b) => a <= b),
  cmpGt: compareOp('gt', 'cmpGt', (a, b) => a > b),
  cmpGe: compareOp('ge', 'cmpGe', (a, b) => a >= b),
  shl: {
    arity: 1,
    doc: 'shl {amount}: a * 2^amount exactly; result width w + amount, same signedness.',
    type: ([a], p) => (p.amount === undefined || !Number.isInteger(p.amount) || p.amount < 0 ? 'shl needs an integer amount >= 0' : bitsType(a!.width + p.amount, a!.signed)),
    eval: ([a], _x, p) => a! << BigInt(p.amount!),
    lower: (b, [x], p) => {
      if (p.amount === 0) return x!;
      const c = b.prim('concat', [x!, b.constant(0n, bitsType(p.amount!, false))]);
      return x!.type.signed ? b.prim('asSigned', [c]) : c;
    },
  },
  shr: {
    arity: 1,
    doc: 'shr {amount}: floor(a / 2^amount) (arithmetic when signed); result width max(w - amount, 1), same signedness.',
    type: ([a], p) => (p.amount === undefined || !Number.isInteger(p.amount) || p.amount < 0 ? 'shr needs an integer amount >= 0' : bitsType(Math.max(a!.width - p.amount, 1), a!.signed)),
    eval: ([a], _x, p) => a! >> BigInt(p.amount!),
    lower: (b, [x], p, t) => {
      const k = p.amount!;
      const w = x!.type.width;
      if (k === 0) return x!;
      if (k >= w) return x!.type.signed ? b.prim('asSigned', [b.prim('slice', [x!], { hi: w - 1, lo: w - 1 })]) : b.constant(0n, t);
      const s = b.prim('slice', [x!], { hi: w - 1, lo: k });
      return x!.type.signed ? b.prim('asSigned', [s]) : s;
    },
  },
  wrap: {
    arity: 1,
    doc: 'wrap {width}: a modulo 2^width, same signedness (keeps the low bits; widens exactly if width >= w).',
    type: ([a], p) => checkWidth(p.width, 'wrap width') ?? bitsType(p.width!, a!.signed),
    eval: wrapEval,
    lower: (b, [x], p) => (p.width! >= x!.type.width ? extendTo(b, x!, bitsType(p.width!, x!.type.signed)) : lowBits(b, x!, p.width!)),
  },
  saturate: {
    arity: 1,
    doc: 'saturate {width}: a clamped to the range of width bits of the same signedness.',
    type: ([a], p) => checkWidth(p.width, 'saturate width') ?? bitsType(p.width!, a!.signed),
    eval: ([a], _x, _p, t) => (a! > maxValue(t) ? maxValue(t) : a! < minValue(t) ? minValue(t) : a!),
    lower: lowerSaturate,
  },
  toSigned: {
    arity: 1,
    doc: 'toSigned: the same value as a signed type; unsigned UInt(w) becomes SInt(w + 1), signed is unchanged.',
    type: ([a]) => (a!.signed ? a! : bitsType(a!.width + 1, true)),
    eval: ([a]) => a!,
    lower: (b, [x], _p, t) => extendTo(b, x!, t),
  },
  select: {
    arity: 3,
    doc: 'select(sel, a, b): a when sel is 1, else b; result unify(a, b) so neither arm loses a value.',
    type: ([s, a, c]) => (s!.width !== 1 || s!.signed ? `select condition must be UInt(1), got ${formatType(s!)}` : unify(a!, c!)),
    eval: ([s, a, c]) => (s === 1n ? a! : c!),
    lower: (b, [s, x, y], _p, t) => b.prim('mux', [s!, extendTo(b, x!, t), extendTo(b, y!, t)]),
  },
} as const satisfies Record<CompositeOpName, CompositeOpDef>;

function lowerSaturate(b: Lowerer, [x]: readonly LVal[], p: { width?: number }, t: BitsType): LVal {
  const src = x!.type;
  const width = p.width!;
  if (width >= src.width) return extendTo(b, x!, t);
  const hi = b.constant(maxValue(t), src);
  const over = b.prim('gt', [x!, hi]);
  const low = lowBits(b, x!, width);
  if (!src.signed) return b.prim('mux', [over, b.constant(maxValue(t), t), low]);
  const under = b.prim('lt', [x!, b.constant(minValue(t), src)]);
  const clampLow = b.prim('mux', [under, b.constant(minValue(t), t), low]);
  return b.prim('mux', [over, b.constant(maxValue(t), t), clampLow]);
}
