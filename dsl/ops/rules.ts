/** Shared pieces of type rules and lowerings. All width math is exact integer arithmetic. */
import { bitsType, formatType, isValidWidth, type BitsType } from '../types/bits.ts';
import type { Lowerer, LVal } from './types.ts';
import type { PrimOpName } from './names.ts';

/**
 * The narrowest type that holds every value of both `a` and `b` exactly. Mixed signedness:
 * the unsigned side needs one extra bit to become signed.
 */
export function unify(a: BitsType, b: BitsType): BitsType {
  if (a.signed === b.signed) return bitsType(Math.max(a.width, b.width), a.signed);
  const s = a.signed ? a : b;
  const u = a.signed ? b : a;
  return bitsType(Math.max(s.width, u.width + 1), true);
}

export function checkWidth(width: number | undefined, what: string): string | undefined {
  if (width === undefined) return `${what} is required`;
  if (!isValidWidth(width)) return `${what} must be an integer from 1 to 65536, got ${width}`;
  return undefined;
}

export function describe(args: readonly BitsType[]): string {
  return args.map(formatType).join(', ');
}

/** Type rule helper: all operands must have exactly the same type. */
export function sameTypes(args: readonly BitsType[], opName: string): BitsType | string {
  const first = args[0];
  if (!first) return `${opName} needs operands`;
  for (const t of args) {
    if (t.width !== first.width || t.signed !== first.signed) {
      return `${opName} needs operands of one type, got ${describe(args)}`;
    }
  }
  return first;
}

/**
 * Lowers a value-preserving conversion of `v` to type `t` (never narrower; unsigned to signed
 * needs at least one more bit). Emits `ext` and `asSigned` explicitly.
 */
export function extendTo(b: Lowerer, v: LVal, t: BitsType): LVal {
  if (v.type.signed === t.signed) {
    return v.type.width === t.width ? v : b.prim('ext', [v], { width: t.width });
  }
  if (!t.signed || t.width <= v.type.width) {
    throw new Error(`internal error: cannot extend ${formatType(v.type)} to ${formatType(t)} without loss`);
  }
  return b.prim('asSigned', [b.prim('ext', [v], { width: t.width })]);
}

/** Lowers keeping the low `width` bits of `v`, read with `v`'s signedness (modular narrowing). */
export function lowBits(b: Lowerer, v: LVal, width: number): LVal {
  if (width === v.type.width) return v;
  const s = b.prim('slice', [v], { hi: width - 1, lo: 0 });
  return v.type.signed ? b.prim('asSigned', [s]) : s;
}

/**
 * A comparison's result when the operand value ranges (inclusive) already decide it, e.g.
 * unsigned >= 0, or a value compared with itself (`sameNode`), else undefined. Folding these
 * keeps always-true/false compares out of the RTL, where `verilator -Wall` rightly flags them
 * (UNSIGNED, CMPCONST). A range with lo = hi is a known constant.
 */
export function decideCompare(prim: PrimOpName, sameNode: boolean, [xl, xh]: readonly [bigint, bigint], [yl, yh]: readonly [bigint, bigint]): boolean | undefined {
  if (sameNode) return prim === 'eq' || prim === 'le' || prim === 'ge';
  const lt = xh < yl ? true : xl >= yh ? false : undefined;
  const le = xh <= yl ? true : xl > yh ? false : undefined;
  const disjoint = xh < yl || yh < xl;
  const bothSame = xl === xh && yl === yh && xl === yl;
  switch (prim) {
    case 'lt': return lt;
    case 'le': return le;
    case 'gt': return le === undefined ? undefined : !le;
    case 'ge': return lt === undefined ? undefined : !lt;
    case 'eq': return disjoint ? false : bothSame ? true : undefined;
    case 'ne': return disjoint ? true : bothSame ? false : undefined;
    default: return undefined;
  }
}
