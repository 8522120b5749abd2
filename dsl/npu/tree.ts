/**
 * Pipelined adder trees for the NPU generators: a balanced binary reduction of per-lane terms,
 * each node narrowed (explicitly) to the smallest width that holds every value it can take,
 * with pipeline registers placed between levels.
 */
import type { ModuleBuilder } from '../builder/module.ts';
import type { Sig } from '../builder/signal.ts';
import { atCallerLoc } from '../diagnostics/loc.ts';

/** A term of the reduction and the number of leaves it sums. */
export interface TreeTerm {
  readonly sig: Sig;
  readonly leaves: number;
}

export interface TreeOptions {
  /**
   * Width a node summing `leaves` leaves is narrowed to with `wrap` (modulo 2^width). Returning
   * the exact width of that many leaves makes the narrowing lossless.
   */
  readonly widthFor: (leaves: number) => number;
  /** Levels (1..depth) after which a register stage is inserted; 0 = after the leaves. */
  readonly cutsAfter: ReadonlySet<number>;
  /** Prefix of the register names (`<prefix>_l<level>_<index>`). */
  readonly prefix: string;
}

/** Number of adder levels of a balanced tree over n leaves: ceil(log2 n). */
export function treeDepth(n: number): number {
  let d = 0;
  for (let k = 1; k < n; k *= 2) d++;
  return d;
}

/**
 * Where `stages` pipeline registers go over `depth + 1` logic levels (level 0 = the leaves'
 * logic, e.g. the multipliers; levels 1..depth = adder levels): cut after level
 * ceil(j * (depth + 1) / stages) - 1 for j = 1..stages, so the last one registers the output and
 * the others split the path evenly. Stages beyond depth + 1 become extra output registers:
 * returned as `extra`.
 */
export function placeCuts(depth: number, stages: number): { cuts: Set<number>; extra: number } {
  const levels = depth + 1;
  const used = Math.min(stages, levels);
  const cuts = new Set<number>();
  for (let j = 1; j <= used; j++) cuts.add(Math.ceil((j * levels) / used) - 1);
  return { cuts, extra: stages - used };
}

function narrow(s: Sig, width: number): Sig {
  return s.width > width ? s.wrap(width) : s;
}

/**
 * Sums the terms with a balanced tree (pairs in order; an odd last term passes up a level).
 * Registers the level's terms at every cut; the registers have no reset (pure data path).
 */
export function adderTree(m: ModuleBuilder, terms: readonly TreeTerm[], o: TreeOptions): TreeTerm {
  return atCallerLoc(() => {
    if (terms.length === 0) throw new RangeError('adderTree: needs at least one term');
    const stage = (level: number, ts: readonly TreeTerm[]): TreeTerm[] => {
      if (!o.cutsAfter.has(level)) return [...ts];
      return ts.map((t, i) => {
        const r = m.reg(`${o.prefix}_l${level}_${i}`, t.sig.type);
        r.next(t.sig);
        return { sig: r, leaves: t.leaves };
      });
    };
    let level = 0;
    let cur = stage(0, terms.map((t) => ({ sig: narrow(t.sig, o.widthFor(t.leaves)), leaves: t.leaves })));
    while (cur.length > 1) {
      level++;
      const next: TreeTerm[] = [];
      for (let i = 0; i + 1 < cur.length; i += 2) {
        const l = cur[i]!;
        const r = cur[i + 1]!;
        const leaves = l.leaves + r.leaves;
        next.push({ sig: narrow(l.sig.add(r.sig), o.widthFor(leaves)), leaves });
      }
      if (cur.length % 2 === 1) next.push(cur[cur.length - 1]!);
      cur = stage(level, next);
    }
    return cur[0]!;
  });
}
