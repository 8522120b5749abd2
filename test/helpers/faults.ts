/**
 * Fault planting for checker tests: textual mutations of emitted Verilog, the kind of bug a
 * hand-written RTL has. Each mutation must match exactly once, so a change in the emitter
 * that makes a fault silently not apply fails the test instead of passing it.
 */
export interface Mutation {
  readonly name: string;
  readonly apply: (verilog: string) => string;
}

/** Replaces the single match of `pattern` (a RegExp without the g flag) using `replace`. */
export function replaceOnce(name: string, pattern: RegExp, replace: (m: RegExpExecArray) => string): Mutation {
  return {
    name,
    apply: (text) => {
      const all = [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g'))];
      if (all.length !== 1) throw new Error(`fault '${name}': pattern ${pattern} matched ${all.length} times (expected exactly 1)`);
      const m = pattern.exec(text)!;
      return text.slice(0, m.index) + replace(m) + text.slice(m.index + m[0].length);
    },
  };
}
