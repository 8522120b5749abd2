/**
 * The `auto` accumulator of the integer generators, derived again with the golden library's
 * accumulator_width (not the DSL's), so a disagreement shows up as a port mismatch at verification.
 */
import { accumulatorWidth, intType } from '../golden/index.ts';
import { fixedFormat, fracBitsOf, type FixedFormat } from '../../formats/index.ts';

/** Exact accumulator format for k products, from the golden library's accumulator_width. */
export function goldenAutoAccumulator(a: FixedFormat, b: FixedFormat, k: number): FixedFormat {
  const signed = a.signed || b.signed;
  const w = accumulatorWidth({ type: intType(a.width, a.signed), narrow: false }, { type: intType(b.width, b.signed), narrow: false }, BigInt(k));
  // The golden width is for a signed accumulator; unsigned products need one bit less.
  const width = signed ? w : w - 1;
  return fixedFormat(width, width - fracBitsOf(a) - fracBitsOf(b), signed);
}

/** The accumulator a generator with these params uses: explicit, or `auto` sized for `terms` products. */
export function resolveAccumulator(p: { readonly a: FixedFormat; readonly b: FixedFormat; readonly accumulator: FixedFormat | 'auto' }, terms: number): FixedFormat {
  return p.accumulator === 'auto' ? goldenAutoAccumulator(p.a, p.b, terms) : p.accumulator;
}
