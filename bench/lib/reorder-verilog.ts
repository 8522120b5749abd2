/**
 * A semantics-preserving reordering of npugen's Verilog, for measuring how much of a QoR
 * difference is only the order yosys and ABC see the same logic in: every `wire [..] x = e;`
 * becomes a declaration `wire [..] x;` (in place, in the original order) plus a continuous
 * `assign x = e;`, and the assigns are written, after the declarations, in reverse order (`rev`)
 * or shuffled with a seed (`shuf<N>`). Continuous assignments are order-independent, so the
 * module's function (and its gate-level logic before mapping) is unchanged.
 */
const WIRE = /^(\s*)wire (\[[^\]]+\] )?(\w+) = (.*?);(\s*\/\/.*)?$/;

/** Mulberry32: a small seeded generator for the shuffle (any fixed permutation would do). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type ReorderMode = 'rev' | `shuf${number}`;

export function isReorderMode(s: string): s is ReorderMode {
  return s === 'rev' || /^shuf\d+$/.test(s);
}

/** The text of one module file reordered (see the module doc); text without such wires is returned as is. */
export function reorderVerilog(text: string, mode: ReorderMode): string {
  const lines = text.split('\n');
  const decls: string[] = [];
  const assigns: string[] = [];
  const out: string[] = [];
  let first = -1;
  for (const l of lines) {
    const m = WIRE.exec(l);
    if (!m) {
      out.push(l);
      continue;
    }
    if (first < 0) first = out.length;
    decls.push(`  wire ${m[2] ?? ''}${m[3]};`);
    assigns.push(`  assign ${m[3]} = ${m[4]};`);
  }
  if (first < 0) return text;
  if (mode === 'rev') assigns.reverse();
  else {
    const r = rng(Number(mode.slice(4)));
    for (let i = assigns.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [assigns[i], assigns[j]] = [assigns[j]!, assigns[i]!];
    }
  }
  // The assigns go before the first statement after the declarations (always, assign or endmodule).
  let end = first;
  while (end < out.length && !/^\s*(always|endmodule|assign)/.test(out[end]!)) end++;
  return [...out.slice(0, first), ...decls, ...out.slice(first, end), ...assigns, ...out.slice(end)].join('\n');
}
