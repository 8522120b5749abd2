/** Bit-level read tracking for emitted nets, to gather unread bits into the `unused_*` idiom. */
import type { VExpr } from './ast.ts';
import { assertNever } from '../../dsl/ir/nodes.ts';

export class UsageTracker {
  private readonly widths = new Map<string, number>();
  private readonly used = new Map<string, Uint8Array>();

  declare(name: string, width: number): void {
    this.widths.set(name, width);
    this.used.set(name, new Uint8Array(width));
  }

  noteExpr(e: VExpr): void {
    switch (e.kind) {
      case 'ref': this.mark(e.name, 0, (this.widths.get(e.name) ?? 1) - 1); return;
      case 'index': this.mark(e.name, e.lo, e.hi); return;
      case 'lit': return;
      case 'unary': case 'signed': case 'repl': this.noteExpr(e.arg); return;
      case 'binary': this.noteExpr(e.a); this.noteExpr(e.b); return;
      case 'concat': e.parts.forEach((p) => this.noteExpr(p)); return;
      case 'cond': this.noteExpr(e.cond); this.noteExpr(e.a); this.noteExpr(e.b); return;
      default: assertNever(e, 'Verilog expression');
    }
  }

  /** Maximal runs of unread bits, as expressions, in declaration order. */
  unusedParts(): VExpr[] {
    const out: VExpr[] = [];
    for (const [name, bits] of this.used) {
      const width = bits.length;
      let i = width - 1;
      while (i >= 0) {
        if (bits[i] === 1) { i--; continue; }
        const hi = i;
        while (i >= 0 && bits[i] === 0) i--;
        const lo = i + 1;
        out.push(width === 1 ? { kind: 'ref', name } : { kind: 'index', name, hi, lo });
      }
    }
    return out;
  }

  private mark(name: string, lo: number, hi: number): void {
    const bits = this.used.get(name);
    if (!bits) return;
    for (let i = lo; i <= hi; i++) bits[i] = 1;
  }
}
