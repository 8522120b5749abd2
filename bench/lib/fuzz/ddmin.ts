/**
 * Delta debugging (Zeller and Hildebrandt's ddmin): a subset of `items` that still makes
 * `fails` true and from which no single chunk at the final granularity can be removed. Here an
 * item is a node replaced by a constant; `fails(removed)` builds and simulates the design with
 * those nodes replaced. `budget` caps the calls (a Verilator build per call is ~10 s).
 */
export interface DdminResult<T> {
  /** Items whose removal keeps the failure (the minimized case removes all of them). */
  readonly removed: readonly T[];
  readonly calls: number;
  /** The budget ran out before 1-minimality was reached. */
  readonly exhausted: boolean;
}

export async function ddmin<T>(items: readonly T[], fails: (removed: readonly T[]) => Promise<boolean> | boolean, budget = 500): Promise<DdminResult<T>> {
  let kept = [...items];
  let removed: T[] = [];
  let calls = 0;
  let n = 2;
  while (kept.length > 0) {
    const size = Math.ceil(kept.length / n);
    let progressed = false;
    for (let start = 0; start < kept.length; start += size) {
      if (calls >= budget) return { removed, calls, exhausted: true };
      const chunk = kept.slice(start, start + size);
      const trial = [...removed, ...chunk];
      calls++;
      if (await fails(trial)) {
        removed = trial;
        kept = [...kept.slice(0, start), ...kept.slice(start + size)];
        n = Math.max(n - 1, 2);
        progressed = true;
        break;
      }
    }
    if (!progressed) {
      if (size <= 1) break;
      n = Math.min(n * 2, kept.length);
    }
  }
  return { removed, calls, exhausted: false };
}
