/**
 * Stacking the GEMMs of several input sets into one: when every set's spec has the same B,
 * zero points, bias and output stage (constant weights), their A rows concatenate into one
 * M = sum(m) GEMM. Exact: each output row depends only on its own row of A. One hardware run per
 * layer instead of one per input set.
 */
import type { QuantGemmOutput, QuantGemmSpec } from '../sim/layers/quant-gemm.ts';

function sameArray(x: ArrayLike<number> | undefined, y: ArrayLike<number> | undefined): boolean {
  if (x === y) return true;
  if (x === undefined || y === undefined || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function sameZp(x: number | Int32Array, y: number | Int32Array): boolean {
  return typeof x === 'number' || typeof y === 'number' ? x === y : sameArray(x, y);
}

/** True when `s` differs from `t` only in m and A's codes. */
export function stackable(s: QuantGemmSpec, t: QuantGemmSpec): boolean {
  const so = s.output;
  const to = t.output;
  const sameOut = so.kind === 'int32' ? to.kind === 'int32'
    : to.kind === 'requant' && so.type === to.type && so.zeroPoint === to.zeroPoint && so.min === to.min && so.max === to.max && sameArray(so.multiplier, to.multiplier);
  return s.k === t.k && s.n === t.n && s.a.type === t.a.type && s.a.zeroPoint === t.a.zeroPoint && s.b.type === t.b.type
    && sameZp(s.b.zeroPoint, t.b.zeroPoint) && sameArray(s.b.data, t.b.data) && sameArray(s.bias, t.bias) && sameOut;
}

/** One spec whose A is the row concatenation of `specs`' (all stackable with the first). */
export function stackSpecs(specs: readonly QuantGemmSpec[]): QuantGemmSpec {
  const first = specs[0]!;
  const m = specs.reduce((a, s) => a + s.m, 0);
  const a = new (first.a.data.constructor as new (n: number) => Int8Array | Uint8Array)(m * first.k);
  let off = 0;
  for (const s of specs) {
    a.set(s.a.data, off);
    off += s.a.data.length;
  }
  return { ...first, m, a: { ...first.a, data: a } };
}

/** Splits a stacked output back into the parts of `specs` (row blocks of m x n). */
export function unstackOutput(y: QuantGemmOutput, specs: readonly QuantGemmSpec[]): QuantGemmOutput[] {
  let off = 0;
  return specs.map((s) => {
    const part = y.slice(off, off + s.m * s.n);
    off += s.m * s.n;
    return part;
  });
}
