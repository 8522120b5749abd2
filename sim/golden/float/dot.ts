import { decodeFloat, decodeFlushed } from './decode.ts';
import { exactAdd, exactMul } from './exact.ts';
import type { AnyFormat, FloatFormat } from './format.ts';
import { roundToFormat, type FloatRoundOptions } from './round.ts';
import { floatZero, type FloatValue } from './value.ts';

/**
 * Reduces `values` with a pairwise tree in a fixed order that hardware adder trees mirror: each level
 * adds adjacent pairs (v0+v1, v2+v3, ...) left to right; an odd element at the end of a level passes
 * up unchanged to the next level. One value is returned as is; an empty list gives +0.
 * Example with 5 leaves: ((v0+v1)+(v2+v3))+v4.
 */
export function treeReduce(values: readonly FloatValue[], addPair: (x: FloatValue, y: FloatValue) => FloatValue): FloatValue {
  if (values.length === 0) return floatZero(false);
  let level = values;
  while (level.length > 1) {
    const next: FloatValue[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(addPair(level[i] as FloatValue, level[i + 1] as FloatValue));
    if (level.length % 2 === 1) next.push(level[level.length - 1] as FloatValue);
    level = next;
  }
  return level[0] as FloatValue;
}

export interface FloatDotOptions extends FloatRoundOptions {
  /** Format of the `a` codes and of the `b` codes. */
  readonly aFormat: AnyFormat;
  readonly bFormat: AnyFormat;
  /** Format of the result. */
  readonly output: FloatFormat;
  /** `exact` (default): products kept exact; a format: each product rounded to it with these options. */
  readonly products?: 'exact' | FloatFormat;
  /** `exact` (default): tree sums exact; a format: each adder's result rounded to it with these options. */
  readonly sums?: 'exact' | FloatFormat;
  /** Optional accumulator input, added exactly to the tree root before the final rounding. */
  readonly addend?: { readonly format: AnyFormat; readonly code: number };
  /** Read subnormal inputs (a, b, addend) as signed zeros. */
  readonly flushInput?: boolean;
}

/**
 * Floating-point dot product Σ a_i·b_i with a defined accumulation order:
 * products (exact or rounded to `products`), reduced by `treeReduce` (each sum exact or rounded to
 * `sums`), plus `addend` if given, then one final rounding to `output` with these options.
 * With `products` and `sums` both `exact` the result is the correctly rounded exact dot product
 * (the tree order then only affects the sign of an exact zero). Specials follow `exact.ts`
 * (NaN in → NaN, Inf·0 → NaN, +Inf + -Inf → NaN).
 */
export function dotTree(a: readonly number[], b: readonly number[], opts: FloatDotOptions): number {
  if (a.length !== b.length) throw new RangeError(`dotTree: ${a.length} a lanes vs ${b.length} b lanes`);
  const flush = opts.flushInput ?? false;
  const mode = opts.rounding ?? 'rne';
  const through = (fmt: 'exact' | FloatFormat | undefined, v: FloatValue): FloatValue =>
    fmt === undefined || fmt === 'exact' ? v : decodeFloat(fmt, roundToFormat(fmt, v, opts));
  const products = a.map((code, i) =>
    through(opts.products, exactMul(decodeFlushed(opts.aFormat, code, flush), decodeFlushed(opts.bFormat, b[i] as number, flush))),
  );
  let root = treeReduce(products, (x, y) => through(opts.sums, exactAdd(x, y, mode)));
  if (opts.addend) root = exactAdd(root, decodeFlushed(opts.addend.format, opts.addend.code, flush), mode);
  return roundToFormat(opts.output, root, opts);
}
