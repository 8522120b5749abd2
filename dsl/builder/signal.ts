/**
 * `Sig`: the user's handle on a value inside a module under construction. Every method builds
 * one IR node through the op table and records the caller's source location. Width rules are
 * those of the op table (`dsl/ops`): results never lose bits unless the method's name says how
 * (`wrap`, `saturate`, `addWrap`, `subWrap`, `shlWrap`, `slice`).
 */
import { captureLoc, type SourceLoc } from '../diagnostics/loc.ts';
import { bitsType, fitsType, formatType, isValidWidth, typeOfConst, type BitsType } from '../types/bits.ts';
import type { NodeId } from '../ir/nodes.ts';
import type { OpName, OpParams } from '../ops/names.ts';
import type { ModuleContext } from './context.ts';

/** A value operand: a signal, or an integer constant typed to match its peer. */
export type Operand = Sig | bigint | number;

export class Sig {
  constructor(
    /** @internal */ readonly ctx: ModuleContext,
    /** @internal */ readonly node: NodeId,
    readonly type: BitsType,
  ) {}

  get width(): number {
    return this.type.width;
  }

  get signed(): boolean {
    return this.type.signed;
  }

  // Arithmetic: exact, widths grow.
  /** Exact sum; width max(wa, wb) + 1 (mixed signedness: the unsigned side gains a bit first). */
  add(b: Operand): Sig { return this.binary('add', b, captureLoc()); }
  /** Exact difference; always signed, width max(wa, wb) + 1. */
  sub(b: Operand): Sig { return this.binary('sub', b, captureLoc()); }
  /** Exact product; width wa + wb, signed if either side is signed. */
  mul(b: Operand): Sig { return this.binary('mul', b, captureLoc()); }
  /** Exact negation; SInt(w + 1). */
  neg(): Sig { return this.apply('neg', [this.node], {}, captureLoc()); }
  /** Sum modulo 2^max(wa, wb); operands of one signedness. */
  addWrap(b: Operand): Sig { return this.binary('addWrap', b, captureLoc()); }
  /** Difference modulo 2^max(wa, wb); operands of one signedness. */
  subWrap(b: Operand): Sig { return this.binary('subWrap', b, captureLoc()); }

  // Comparisons: exact on values, any widths; UInt(1).
  eq(b: Operand): Sig { return this.binary('cmpEq', b, captureLoc()); }
  ne(b: Operand): Sig { return this.binary('cmpNe', b, captureLoc()); }
  lt(b: Operand): Sig { return this.binary('cmpLt', b, captureLoc()); }
  le(b: Operand): Sig { return this.binary('cmpLe', b, captureLoc()); }
  gt(b: Operand): Sig { return this.binary('cmpGt', b, captureLoc()); }
  ge(b: Operand): Sig { return this.binary('cmpGe', b, captureLoc()); }

  // Bitwise: operands of one type (a constant takes this signal's type).
  and(b: Operand): Sig { return this.binary('and', b, captureLoc(), true); }
  or(b: Operand): Sig { return this.binary('or', b, captureLoc(), true); }
  xor(b: Operand): Sig { return this.binary('xor', b, captureLoc(), true); }
  not(): Sig { return this.apply('not', [this.node], {}, captureLoc()); }
  /** AND of all bits; UInt(1). */
  andR(): Sig { return this.apply('redand', [this.node], {}, captureLoc()); }
  /** OR of all bits; UInt(1). */
  orR(): Sig { return this.apply('redor', [this.node], {}, captureLoc()); }
  /** XOR of all bits (parity); UInt(1). */
  xorR(): Sig { return this.apply('redxor', [this.node], {}, captureLoc()); }

  // Shifts.
  /** By a constant: exact a * 2^k, width w + k. */
  shl(amount: number): Sig { return this.apply('shl', [this.node], { amount }, captureLoc()); }
  /** By an unsigned signal: a << s keeping width w (bits shifted out are lost). */
  shlWrap(amount: Sig): Sig { return this.apply('shld', [this.node, amount.node], {}, captureLoc()); }
  /**
   * floor(a / 2^k): arithmetic when signed, logical when unsigned. By a constant the width
   * becomes max(w - k, 1); by an unsigned signal it stays w.
   */
  shr(amount: number | Sig): Sig {
    const loc = captureLoc();
    return typeof amount === 'number' ? this.apply('shr', [this.node], { amount }, loc) : this.apply('shrd', [this.node, amount.node], {}, loc);
  }

  // Structure and explicit conversions.
  /** Bits hi..lo inclusive as UInt(hi - lo + 1). */
  slice(hi: number, lo: number): Sig { return this.apply('slice', [this.node], { hi, lo }, captureLoc()); }
  /** Bit i as UInt(1). */
  bit(i: number): Sig { return this.apply('slice', [this.node], { hi: i, lo: i }, captureLoc()); }
  /** Sign- or zero-extends to a width >= w (value unchanged). */
  ext(width: number): Sig { return this.apply('ext', [this.node], { width }, captureLoc()); }
  /** Keeps the low `width` bits (modulo 2^width), same signedness. The explicit truncation. */
  wrap(width: number): Sig { return this.apply('wrap', [this.node], { width }, captureLoc()); }
  /** Clamps to the range of `width` bits, same signedness. */
  saturate(width: number): Sig { return this.apply('saturate', [this.node], { width }, captureLoc()); }
  /** Same bits, read as signed. */
  asSigned(): Sig { return this.apply('asSigned', [this.node], {}, captureLoc()); }
  /** Same bits, read as unsigned. */
  asUnsigned(): Sig { return this.apply('asUnsigned', [this.node], {}, captureLoc()); }
  /** Same value as a signed type: UInt(w) becomes SInt(w + 1). */
  toSigned(): Sig { return this.apply('toSigned', [this.node], {}, captureLoc()); }

  /** `this ? a : b` for a UInt(1) condition; the result type holds both arms (see `select`). */
  choose(a: Operand, b: Operand): Sig {
    const loc = captureLoc();
    const peer = a instanceof Sig ? a.type : b instanceof Sig ? b.type : this.type;
    return this.apply('select', [this.node, toSig(this.ctx, a, peer, loc).node, toSig(this.ctx, b, peer, loc).node], {}, loc);
  }

  /**
   * Gives this value a name hint and returns it: the emitted Verilog carries it on its own net
   * (legalized, made unique), e.g. `a.mul(b).named('prod')`. No effect on semantics or widths.
   */
  named(name: string): this {
    this.ctx.nameNode(this.node, name);
    return this;
  }

  /** The name this value carries: its name hint, or the name of the port, wire or register it reads. */
  get nameHint(): string | undefined {
    const n = this.ctx.nodes[this.node]!;
    return n.name ?? (n.kind === 'read' ? this.ctx.signals[n.signal]!.name : undefined);
  }

  /** A constant of an explicit type in this signal's module (NPG104 if it does not fit). */
  constantOf(value: bigint, type: BitsType): Sig {
    const loc = captureLoc();
    if (!fitsType(value, type)) this.ctx.report('NPG104', `constant ${value} does not fit ${formatType(type)}`, loc);
    return new Sig(this.ctx, this.ctx.constNode(value, type, loc), type);
  }

  /** @internal */
  apply(op: OpName, args: readonly NodeId[], params: OpParams, loc: SourceLoc): Sig {
    const id = this.ctx.opNode(op, args, params, loc);
    return new Sig(this.ctx, id, this.ctx.nodes[id]!.type);
  }

  private binary(op: OpName, b: Operand, loc: SourceLoc, sameType = false): Sig {
    const other = toSig(this.ctx, b, this.type, loc, sameType);
    return this.apply(op, [this.node, other.node], {}, loc);
  }
}

/**
 * Turns an operand into a signal of this module. A constant gets the narrowest type of its
 * peer's signedness (or exactly the peer's type for bitwise ops); a constant that cannot be
 * represented is reported (NPG104) rather than silently wrapped.
 */
export function toSig(ctx: ModuleContext, v: Operand, peer: BitsType, loc: SourceLoc, sameType = false): Sig {
  if (v instanceof Sig) {
    if (v.ctx !== ctx) {
      ctx.report('NPG105', `a signal of module '${v.ctx.name}' was used inside module '${ctx.name}'; connect it through an instance port`, loc);
    }
    return v;
  }
  const value = typeof v === 'bigint' ? v : integerOf(ctx, v, loc);
  let type = sameType ? peer : value < 0n && !peer.signed ? typeOfConst(value, true) : typeOfConst(value, peer.signed);
  if (!fitsType(value, type)) {
    ctx.report('NPG104', `constant ${value} does not fit ${formatType(type)}`, loc);
    type = typeOfConst(value, value < 0n || peer.signed);
  }
  return new Sig(ctx, ctx.constNode(value, type, loc), type);
}

function integerOf(ctx: ModuleContext, v: number, loc: SourceLoc): bigint {
  if (!Number.isSafeInteger(v)) {
    ctx.report('NPG105', `constant ${v} is not a safe integer; pass a bigint (e.g. ${Number.isFinite(v) ? Math.trunc(v) : 0}n)`, loc);
    return 0n;
  }
  return BigInt(v);
}

/** Checks a width argument of a DSL call; reports NPG103 and returns 1 when invalid. */
export function checkedWidth(ctx: ModuleContext, width: number, what: string, loc: SourceLoc): number {
  if (isValidWidth(width)) return width;
  ctx.report('NPG103', `${what}: width must be an integer from 1 to 65536, got ${width}`, loc);
  return 1;
}

export { bitsType };
