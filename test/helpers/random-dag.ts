/**
 * Random expression DAGs built with the public DSL API, valid by construction (no NPG error):
 * every operand is brought to the type its op needs with explicit conversions. Mixed widths
 * (1..70 bits, wider intermediate products), mixed signedness, constants, wires, registers
 * with and without reset and enable, mux, concatenation, slices, wide multiplies, static and
 * dynamic shifts (including amounts beyond the width).
 *
 * X-safety: the built-in simulator starts registers at 0 while Icarus starts them at X and
 * Verilator at random values, so a register without reset takes its next value only from
 * logic that is defined from time 0 (inputs, constants, no register) and has no enable: it is
 * defined after the first reset edge, like every register with reset.
 *
 * `randomBatch` puts many random modules under one top (shared inputs, one output per
 * instance: the concatenation of its outputs), so one simulator compile covers them all.
 */
import { defineModule, SInt, UInt, type BitsType, type BuiltDesign, type ModuleBuilder, type Reg, type Sig } from '../../dsl/index.ts';
import { fromBits } from '../../dsl/types/values.ts';
import { Rng } from '../../sim/random.ts';

export interface DagOptions {
  /** Widest value kept in the pool (wider products are narrowed before reuse). Default 70. */
  readonly maxWidth?: number;
  /** Number of random op steps. Default 12..40. */
  readonly steps?: number;
  /**
   * Random submodules (each a smaller random DAG) instantiated at random steps, their inputs
   * drawn from the pool and their outputs added to it. Default 0 (flat modules).
   */
  readonly submodules?: number;
}

interface Entry {
  readonly sig: Sig;
  /** 0: defined from time 0 (no register upstream); 1: defined after the first clock edge. */
  readonly level: 0 | 1;
  used: boolean;
}

/** Widest intermediate (products of two pool values, concatenations) at the default maxWidth. */
const MAX_PRODUCT = 140;

export const OP_KINDS = [
  'add', 'sub', 'mul', 'neg', 'addWrap', 'subWrap', 'eq', 'ne', 'lt', 'le', 'gt', 'ge',
  'and', 'or', 'xor', 'not', 'andR', 'orR', 'xorR', 'shl', 'shlWrap', 'shr', 'shrSig',
  'slice', 'bit', 'ext', 'wrap', 'saturate', 'asSigned', 'asUnsigned', 'toSigned',
  'mux', 'cat', 'wire', 'constant',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** What one random module contains (for coverage accounting in the tests). */
export interface DagStats {
  readonly ops: Partial<Record<OpKind, number>>;
  readonly regs: { readonly reset: number; readonly noReset: number; readonly enable: number };
  readonly maxWidth: number;
}

class DagBuilder {
  readonly pool: Entry[] = [];
  readonly wide: Entry[] = [];
  readonly ops: Partial<Record<OpKind, number>> = {};
  maxSeen = 1;
  private names = 0;

  /** Widest intermediate: MAX_PRODUCT, or a product of two of the widest pool values. */
  readonly maxProduct: number;

  constructor(readonly rng: Rng, readonly m: ModuleBuilder, readonly maxW: number) {
    this.maxProduct = Math.max(MAX_PRODUCT, 2 * maxW);
  }

  int(lo: number, hi: number): number {
    return lo + this.rng.below(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.rng.u32() < p * 0x100000000;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.rng.below(xs.length)]!;
  }

  name(prefix: string): string {
    return `${prefix}${this.names++}`;
  }

  /** A width skewed towards small values but reaching maxW. */
  width(max = this.maxW): number {
    const r = this.rng.below(8);
    const w = r < 4 ? this.int(1, 8) : r < 6 ? this.int(9, 33) : this.int(34, this.maxW);
    return Math.min(w, max);
  }

  type(max = this.maxW): BitsType {
    const w = this.width(max);
    return this.chance(0.5) ? SInt(w) : UInt(w);
  }

  /** A random value of the type. */
  value(t: BitsType): bigint {
    return fromBits(this.rng.bigBits(t.width), t.width, t.signed);
  }

  /** Mostly one of the newest entries (deep chains), sometimes any. */
  entry(filter?: (e: Entry) => boolean): Entry {
    const pool = filter ? this.pool.filter(filter) : this.pool;
    const e = this.chance(0.6) ? pool[Math.max(0, pool.length - 1 - this.rng.below(6))]! : this.pick(pool);
    e.used = true;
    return e;
  }

  add(sig: Sig, level: 0 | 1): Entry {
    this.maxSeen = Math.max(this.maxSeen, sig.width);
    const e: Entry = { sig, level, used: false };
    this.pool.push(e);
    return e;
  }

  count(k: OpKind): void {
    this.ops[k] = (this.ops[k] ?? 0) + 1;
  }

  /** The same value or bits as `v`, brought to exactly type `t` by a random explicit conversion. */
  coerce(v: Sig, t: BitsType): Sig {
    let x = v;
    if (x.signed !== t.signed) x = t.signed ? (this.chance(0.5) ? x.asSigned() : x.toSigned()) : x.asUnsigned();
    if (x.width > t.width) {
      const how = this.rng.below(3);
      if (how === 0) x = x.wrap(t.width);
      else if (how === 1) x = x.saturate(t.width);
      else {
        const lo = this.int(0, x.width - t.width);
        x = x.slice(lo + t.width - 1, lo);
        if (t.signed) x = x.asSigned();
      }
    } else if (x.width < t.width) {
      x = this.chance(0.5) ? x.ext(t.width) : x.wrap(t.width);
    }
    return x;
  }

  /** A UInt(1) condition derived from the pool. */
  cond(filter?: (e: Entry) => boolean): { sig: Sig; level: 0 | 1 } {
    const e = this.entry(filter);
    const s = e.sig;
    if (s.width === 1 && !s.signed && this.chance(0.5)) return { sig: s, level: e.level };
    const how = this.rng.below(5);
    const sig = how === 0 ? s.orR() : how === 1 ? s.xorR() : how === 2 ? s.andR() : how === 3 ? s.bit(this.int(0, s.width - 1)) : s.lt(this.value(s.type));
    return { sig, level: e.level };
  }

  /** An unsigned shift amount of 1..7 bits (may exceed the shifted value's width). */
  amount(): { sig: Sig; level: 0 | 1 } {
    const e = this.entry();
    let s = e.sig.signed ? e.sig.asUnsigned() : e.sig;
    const k = this.int(1, 7);
    if (s.width > k) s = s.slice(k - 1, 0);
    return { sig: s, level: e.level };
  }

  /** A constant operand for an op with peer `t`: a bigint, sometimes a number. */
  constant(t: BitsType, nonNegative = false): bigint | number {
    let v = this.value(this.chance(0.5) ? t : bitsOf(this.int(1, Math.min(t.width, 16)), t.signed));
    if (nonNegative && v < 0n) v = -v - 1n;
    return this.chance(0.3) && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  /** Instantiates `sub`: every input from the pool (coerced to its type); its outputs join the pool. */
  instantiate(sub: RandomModule, name: string): void {
    const mod = sub.design.modules.find((x) => x.name === sub.design.top)!;
    const conns: Record<string, Sig> = {};
    for (const p of mod.signals) {
      if (p.kind !== 'input' || p.role !== undefined) continue;
      conns[p.name] = this.coerce(this.entry().sig, p.type);
    }
    const outs = this.m.instance(name, sub.design, conns);
    // Level 1: a submodule's registers are defined only after the first reset edge.
    for (const sig of Object.values(outs)) this.add(sig, 1);
  }

  /** One random op; returns the new entry. */
  step(): void {
    const kind = this.pick(OP_KINDS);
    const a = this.entry();
    const x = a.sig;
    const w = x.width;
    let level: 0 | 1 = a.level;
    const other = (): Sig => {
      const b = this.entry();
      if (b.level > level) level = b.level;
      return b.sig;
    };
    let r: Sig;
    switch (kind) {
      case 'add': case 'sub': case 'mul': case 'eq': case 'ne': case 'lt': case 'le': case 'gt': case 'ge': {
        const b = this.chance(0.75) ? other() : this.constant(x.type);
        const op = kind;
        r = op === 'add' ? x.add(b) : op === 'sub' ? x.sub(b) : op === 'mul' ? x.mul(b) : op === 'eq' ? x.eq(b) : op === 'ne' ? x.ne(b) : op === 'lt' ? x.lt(b) : op === 'le' ? x.le(b) : op === 'gt' ? x.gt(b) : x.ge(b);
        break;
      }
      case 'addWrap': case 'subWrap': {
        let b: Sig | bigint | number;
        if (this.chance(0.75)) {
          const o = other();
          b = o.signed === x.signed ? o : x.signed ? o.asSigned() : o.asUnsigned();
        } else b = this.constant(x.type, !x.signed);
        r = kind === 'addWrap' ? x.addWrap(b) : x.subWrap(b);
        break;
      }
      case 'neg': r = x.neg(); break;
      case 'and': case 'or': case 'xor': {
        const b = this.chance(0.75) ? this.coerce(other(), x.type) : this.value(x.type);
        r = kind === 'and' ? x.and(b) : kind === 'or' ? x.or(b) : x.xor(b);
        break;
      }
      case 'not': r = x.not(); break;
      case 'andR': r = x.andR(); break;
      case 'orR': r = x.orR(); break;
      case 'xorR': r = x.xorR(); break;
      case 'shl': r = x.shl(this.int(0, Math.min(9, this.maxProduct - w))); break;
      case 'shr': r = x.shr(this.int(0, w + 2)); break;
      case 'shlWrap': case 'shrSig': {
        const s = this.amount();
        if (s.level > level) level = s.level;
        r = kind === 'shlWrap' ? x.shlWrap(s.sig) : x.shr(s.sig);
        break;
      }
      case 'slice': {
        const lo = this.int(0, w - 1);
        r = x.slice(this.int(lo, w - 1), lo);
        break;
      }
      case 'bit': r = x.bit(this.int(0, w - 1)); break;
      case 'ext': r = x.ext(this.int(w, Math.min(w + 12, this.maxProduct))); break;
      case 'wrap': r = x.wrap(this.width()); break;
      case 'saturate': r = x.saturate(this.width()); break;
      case 'asSigned': r = x.asSigned(); break;
      case 'asUnsigned': r = x.asUnsigned(); break;
      case 'toSigned': r = x.toSigned(); break;
      case 'mux': {
        const c = this.cond();
        if (c.level > level) level = c.level;
        const b = this.chance(0.7) ? other() : this.constant(x.type);
        r = this.chance(0.5) ? this.m.mux(c.sig, x, b) : this.m.mux(c.sig, b, x);
        break;
      }
      case 'cat': {
        const parts = [x];
        let total = w;
        for (let n = this.int(1, 3); n > 0; n--) {
          const p = other();
          if (total + p.width > this.maxProduct) break;
          parts.push(p);
          total += p.width;
        }
        r = this.m.cat(...parts);
        break;
      }
      case 'wire': {
        const t = x.signed ? SInt(Math.min(w + this.int(0, 3), this.maxProduct)) : UInt(Math.min(w + this.int(0, 3), this.maxProduct));
        const wire = this.m.wire(this.name('w'), t);
        wire.drive(x); // implicit widening of the same signedness
        r = wire;
        break;
      }
      case 'constant': {
        const t = this.type();
        r = this.m.constant(this.value(t), t);
        level = 0;
        break;
      }
    }
    this.count(kind);
    if (r.width > this.maxW) {
      this.maxSeen = Math.max(this.maxSeen, r.width);
      if (this.chance(0.4)) this.wide.push({ sig: r, level, used: false });
      const t = bitsOf(this.width(), r.signed);
      const how = this.rng.below(3);
      r = how === 0 ? r.wrap(t.width) : how === 1 ? r.saturate(t.width) : r.shr(r.width - t.width);
    }
    this.add(r, level);
  }
}

function bitsOf(width: number, signed: boolean): BitsType {
  return signed ? SInt(width) : UInt(width);
}

export interface RandomModule {
  readonly design: BuiltDesign;
  readonly stats: DagStats;
}

/** One random module named `name`; the same rng state gives the same module. */
export function randomDag(rng: Rng, name: string, options: DagOptions = {}): RandomModule {
  let stats: DagStats | undefined;
  // Submodules are built first: a module is defined completely before another one starts.
  const subs = Array.from({ length: options.submodules ?? 0 }, (_, k) =>
    randomDag(rng, `${name}_s${k}`, { ...(options.maxWidth === undefined ? {} : { maxWidth: options.maxWidth }), steps: 4 + rng.below(10) }));
  const design = defineModule(name, (m) => {
    const g = new DagBuilder(rng, m, options.maxWidth ?? 70);
    for (let i = g.int(1, 4); i > 0; i--) g.add(m.input(g.name('i'), g.type()), 0);
    const regs: { reg: Reg; reset: boolean }[] = [];
    const regStats = { reset: 0, noReset: 0, enable: 0 };
    for (let i = g.int(0, 3); i > 0; i--) {
      const t = g.type();
      const reset = g.chance(0.7);
      const enable = reset && g.chance(0.5) ? g.cond().sig : undefined;
      const reg = m.reg(g.name('r'), t, { ...(reset ? { reset: g.value(t) } : {}), ...(enable ? { enable } : {}) });
      regs.push({ reg, reset });
      g.add(reg, 1);
      regStats[reset ? 'reset' : 'noReset']++;
      if (enable) regStats.enable++;
    }
    const steps = options.steps ?? g.int(12, 40);
    const at = subs.map(() => g.int(0, steps));
    for (let i = 0; i <= steps; i++) {
      subs.forEach((sub, k) => { if (at[k] === i) g.instantiate(sub, `u_s${k}`); });
      if (i < steps) g.step();
    }
    for (const { reg, reset } of regs) {
      // A register without reset loads only values defined from time 0 (see the file comment).
      const src = g.entry(reset ? undefined : (e) => e.level === 0).sig;
      const narrower = src.signed === reg.signed && src.width <= reg.width && g.chance(0.5);
      reg.next(narrower ? src : g.coerce(src, reg.type));
    }
    // Outputs: the newest value, every value nothing consumed (so all logic is observable, up
    // to 8 outputs), and a wide intermediate when there is one.
    const outs = [g.pool[g.pool.length - 1]!, ...g.pool.filter((e) => !e.used && e.sig.width > 0).slice(-7), ...g.wide.slice(0, 1)];
    const seen = new Set<Sig>();
    let k = 0;
    for (const e of outs) {
      if (seen.has(e.sig)) continue;
      seen.add(e.sig);
      // Never narrower than the value: a product of a submodule's wide output can pass
      // maxProduct + 3 (an invalid design at --max-width 128 before).
      const t = bitsOf(Math.max(e.sig.width, Math.min(e.sig.width + (g.chance(0.3) ? g.int(1, 3) : 0), g.maxProduct + 3)), e.sig.signed);
      m.output(`o${k++}`, t).drive(e.sig);
    }
    stats = { ops: g.ops, regs: regStats, maxWidth: g.maxSeen };
  });
  return { design, stats: stats! };
}

/** The top's shared inputs of a batch whose widest value is `maxWidth` (the default set up to 70 bits). */
export function topInputs(maxWidth = 70): readonly { readonly name: string; readonly type: BitsType }[] {
  if (maxWidth <= 70) return TOP_INPUTS;
  return [{ name: 'uw', type: UInt(maxWidth) }, { name: 'sw', type: SInt(maxWidth) }, ...TOP_INPUTS];
}

/** The top's shared inputs: every child input is a slice of one of them. */
export const TOP_INPUTS: readonly { readonly name: string; readonly type: BitsType }[] = [
  { name: 'ua', type: UInt(70) }, { name: 'sa', type: SInt(70) }, { name: 'ub', type: UInt(37) }, { name: 'sb', type: SInt(13) },
  { name: 'uc', type: UInt(5) }, { name: 'sc', type: SInt(3) }, { name: 'ud', type: UInt(1) },
];

export interface RandomBatch {
  readonly design: BuiltDesign;
  readonly children: readonly RandomModule[];
  /** Per top output `y<i>`: the child's output names and widths, most significant first. */
  readonly layout: readonly { readonly port: string; readonly module: string; readonly fields: readonly { readonly name: string; readonly width: number; readonly signed: boolean }[] }[];
}

/** `count` random modules under one top `name`, all from `seed`. */
export function randomBatch(seed: number, count: number, name = 'rdag_top', options: DagOptions = {}): RandomBatch {
  const rng = new Rng(seed);
  const children = Array.from({ length: count }, (_, i) => randomDag(rng, `${name}_m${i}`, options));
  const layout: RandomBatch['layout'][number][] = [];
  const design = defineModule(name, (m) => {
    const ins = topInputs(options.maxWidth).map((p) => m.input(p.name, p.type));
    children.forEach((child, i) => {
      const mod = child.design.modules.find((x) => x.name === child.design.top)!;
      const conns: Record<string, Sig> = {};
      for (const p of mod.signals) {
        if (p.kind !== 'input' || p.role !== undefined) continue;
        const t = p.type;
        const direct = ins.filter((s) => s.signed === t.signed && s.width <= t.width);
        if (direct.length > 0 && rng.below(4) === 0) {
          conns[p.name] = direct[rng.below(direct.length)]!; // implicit widening at the port
          continue;
        }
        const wide = ins.filter((s) => s.width >= t.width);
        const src = wide[rng.below(wide.length)]!;
        const lo = rng.below(src.width - t.width + 1);
        const bits = t.width === src.width && lo === 0 ? src.asUnsigned() : src.slice(lo + t.width - 1, lo);
        conns[p.name] = t.signed ? bits.asSigned() : bits;
      }
      const outs = m.instance(`u${i}`, child.design, conns);
      const fields = mod.signals.filter((s) => s.kind === 'output').map((s) => ({ name: s.name, width: s.type.width, signed: s.type.signed }));
      const port = `y${i}`;
      const parts = fields.map((f) => outs[f.name]!);
      m.output(port, UInt(fields.reduce((n, f) => n + f.width, 0))).drive(m.cat(...parts));
      layout.push({ port, module: mod.name, fields });
    });
  });
  return { design, children, layout };
}

/** Splits a top output value into its child output fields (for mismatch reports). */
export function splitFields(value: bigint, fields: RandomBatch['layout'][number]['fields']): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  let shift = 0n;
  for (let i = fields.length - 1; i >= 0; i--) {
    const f = fields[i]!;
    const bits = (value >> shift) & ((1n << BigInt(f.width)) - 1n);
    out[f.name] = fromBits(bits, f.width, f.signed);
    shift += BigInt(f.width);
  }
  return out;
}
