/**
 * Exact worst-case accumulator format for k products of two fixed-point formats: the narrowest
 * code width holding every sum of k products (computed from the operand ranges' corners with
 * bigint, not the 16 + log2 k rule of thumb), with the products' fraction bits.
 */
import { fixedFormat, fracBitsOf, type FixedFormat } from '../../formats/fixed.ts';

function codeRange(f: FixedFormat): [bigint, bigint] {
  return f.signed ? [-(1n << BigInt(f.width - 1)), (1n << BigInt(f.width - 1)) - 1n] : [0n, (1n << BigInt(f.width)) - 1n];
}

function bitLength(v: bigint): number {
  let n = 0;
  for (let x = v; x > 0n; x >>= 1n) n++;
  return n;
}

/** Smallest width of the given signedness holding [lo, hi] (at least 1). */
export function widthFor(lo: bigint, hi: bigint, signed: boolean): number {
  if (!signed) return Math.max(bitLength(hi), 1);
  const need = (v: bigint) => (v >= 0n ? bitLength(v) : bitLength(-v - 1n)) + 1;
  return Math.max(need(lo), need(hi));
}

/** Range of a sum of k products a*b (codes). */
export function productSumRange(a: FixedFormat, b: FixedFormat, k: number): [bigint, bigint] {
  const [alo, ahi] = codeRange(a);
  const [blo, bhi] = codeRange(b);
  const corners = [alo * blo, alo * bhi, ahi * blo, ahi * bhi];
  const kk = BigInt(k);
  return [kk * corners.reduce((x, y) => (y < x ? y : x)), kk * corners.reduce((x, y) => (y > x ? y : x))];
}

/** The exact accumulator format for k products: signed when either operand is signed. */
export function autoAccumulator(a: FixedFormat, b: FixedFormat, k: number): FixedFormat {
  const signed = a.signed || b.signed;
  const [lo, hi] = productSumRange(a, b, k);
  const width = widthFor(lo, hi, signed);
  return fixedFormat(width, width - (fracBitsOf(a) + fracBitsOf(b)), signed);
}
