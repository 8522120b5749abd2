/**
 * Generator name → transaction model, built from the same parsed params the generator got.
 * Formats the generator derives itself (an `auto` accumulator) are derived here again with
 * the golden library, so a disagreement shows up as a port mismatch at verification.
 */
import { accumulatorWidth, intType } from '../golden/index.ts';
import { fixedFormat, fracBitsOf, type FixedFormat } from '../../dsl/types/format-string.ts';
import { macModel } from './mac.ts';
import type { TransactionModel } from './types.ts';

export type ModelFactory = (params: Readonly<Record<string, unknown>>) => TransactionModel;

/** Exact accumulator format for k products, from the golden library's accumulator_width. */
export function goldenAutoAccumulator(a: FixedFormat, b: FixedFormat, k: number): FixedFormat {
  const signed = a.signed || b.signed;
  const w = accumulatorWidth({ type: intType(a.width, a.signed), narrow: false }, { type: intType(b.width, b.signed), narrow: false }, BigInt(k));
  // The golden width is for a signed accumulator; unsigned products need one bit less.
  const width = signed ? w : w - 1;
  return fixedFormat(width, width - fracBitsOf(a) - fracBitsOf(b), signed);
}

export const MODELS: Readonly<Record<string, ModelFactory>> = {
  mac: (p) => {
    const a = p['a'] as FixedFormat;
    const b = p['b'] as FixedFormat;
    const acc = p['accumulator'] === 'auto' ? goldenAutoAccumulator(a, b, p['k'] as number) : (p['accumulator'] as FixedFormat);
    return macModel({ a, b, accumulator: acc, overflow: p['overflow'] as 'wrap' | 'saturate' });
  },
};
