/**
 * Transaction model of `mx_dot` (golden `mxDotFp32`): the exact dot product of two MX blocks
 * (element · 2^(scale - 127)) rounded once to fp32 (RNE, overflow to ±Inf, subnormals kept).
 * Ports: a_scale, b_scale, a0..a31, b0..b31 -> y. Latency = pipeline_stages (0 = combinational).
 */
import { classifyFloat, decodeTable, fp32, mxDotFp32, mxFormat, numberRounder, sumToOdd, type MxBlock, type MxFormat } from '../golden/index.ts';
import { VectorSet } from '../vector-set.ts';
import { codeWriter, drawSet } from './float-fast.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { mxDotGenerator } from '../../dsl/npu/mx-dot.ts';
import type { Port } from '../../formats/port.ts';

export function mxDotModel(p: { readonly format: string; readonly pipeline_stages?: number }): TransactionModel {
  const fmt: MxFormat = mxFormat(p.format);
  const el = fmt.element;
  const n = fmt.blockSize;
  const w = el.width;
  const port = (name: string, width: number, format: string): Port => ({ name, width, signed: false, format });
  const inputs = [port('a_scale', 8, 'e8m0'), port('b_scale', 8, 'e8m0'), ...Array.from({ length: n }, (_, i) => port(`a${i}`, w, el.name)), ...Array.from({ length: n }, (_, i) => port(`b${i}`, w, el.name))];
  // NaN / Inf element codes, looked up once per code (classifyFloat per drawn element dominated the draws).
  const specials = Uint8Array.from({ length: 2 ** w }, (_, c) => (el.kind === 'float' && ['nan', 'inf'].includes(classifyFloat(el, c)) ? 1 : 0));
  const special = (c: number): boolean => specials[c] === 1;
  /** A random element code; specials only one time in `rare`. */
  const randomElement = (rng: Rng, rare = 400): number => {
    for (;;) {
      const c = rng.bits(w);
      if (!special(c) || rng.below(rare) === 0) return c;
    }
  };
  const randomScale = (rng: Rng): number => {
    const r = rng.below(20);
    if (r === 0) return rng.below(256);
    return 127 - 24 + rng.below(49);
  };
  const row = (sa: number, sb: number, as: readonly number[], bs: readonly number[]): bigint[] => [sa, sb, ...as, ...bs].map(BigInt);
  const fill = (v: number): number[] => Array.from({ length: n }, () => v);
  const maxCode = el.kind === 'float' ? el.maxCode : 0x7f;
  const signMask = 2 ** (w - 1);
  const minSub = 1;
  const one = el.kind === 'float' ? (el.bias << el.manBits) : 64;
  const outputs = [port('y', 32, 'fp32')];
  /** Some rows sparse (few non-zero lanes: sums with little cancellation, exact-zero sums). */
  const randomSet = (count: number, rng: Rng): VectorSet => drawSet(inputs, count, (r) => {
    const sparse = rng.below(4) === 0;
    r[0] = randomScale(rng);
    r[1] = randomScale(rng);
    for (let i = 2; i < 2 + 2 * n; i++) r[i] = sparse && rng.below(3) !== 0 ? 0 : randomElement(rng);
  });
  const fast = mxDotNumbers(fmt, outputs);
  return {
    inputs,
    outputs,
    latency: p.pipeline_stages ?? 0,
    randomSet,
    random: (count: number, rng: Rng) => randomSet(count, rng).toRows(),
    expectedStream: () => fast,
    corners: () => {
      const rows: bigint[][] = [];
      for (const [sa, sb] of [[127, 127], [254, 254], [0, 0], [1, 140], [255, 127], [127, 255], [127 - 100, 127 - 40], [200, 180]]) {
        rows.push(row(sa!, sb!, fill(0), fill(0)));
        rows.push(row(sa!, sb!, fill(signMask), fill(0)));
        rows.push(row(sa!, sb!, fill(signMask), fill(one)));
        rows.push(row(sa!, sb!, fill(maxCode), fill(maxCode)));
        rows.push(row(sa!, sb!, fill(maxCode + signMask), fill(maxCode)));
        rows.push(row(sa!, sb!, fill(minSub), fill(minSub)));
        rows.push(row(sa!, sb!, fill(0).map((_, i) => (i % 2 === 0 ? maxCode : maxCode + signMask)), fill(maxCode)));
        // One big product and one tiny one: fp32 ties and sticky bits.
        const as = fill(0);
        const bs = fill(0);
        as[0] = maxCode; bs[0] = one; as[31] = minSub; bs[31] = minSub;
        rows.push(row(sa!, sb!, as, bs));
        as[5] = minSub + 1; bs[5] = one;
        rows.push(row(sa!, sb!, as, bs));
      }
      // One lane at a time (wiring), specials in one lane.
      for (let i = 0; i < n; i++) {
        const as = fill(0);
        const bs = fill(one);
        as[i] = maxCode;
        rows.push(row(127, 127, as, bs));
        if (el.kind === 'float' && el.nanCode !== undefined) {
          as[i] = el.nanCode;
          rows.push(row(127, 127, as, bs));
        }
        if (el.kind === 'float' && el.infCode !== undefined) {
          as[i] = el.infCode;
          rows.push(row(127, 127, as, bs));
          bs[i] = 0;
          rows.push(row(127, 127, as, bs));
          bs[i] = one; as[(i + 1) % n] = el.infCode + signMask;
          rows.push(row(127, 127, as, bs));
        }
      }
      return rows;
    },
    exhaustive: () => undefined,
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map((r) => {
      const block = (scale: bigint, codes: readonly bigint[]): MxBlock => ({ format: fmt, scale: Number(scale), elements: codes.map(Number) });
      const a = block(r[0]!, r.slice(2, 2 + n));
      const b = block(r[1]!, r.slice(2 + n));
      return [BigInt(mxDotFp32(a, b))];
    }),
  };
}

/**
 * The expected vectors on Numbers: element products exact in binary64 (elements have at most 8
 * bits), their exact sum rounded to odd (`sumToOdd`), scaled exactly by 2^(sa + sb - 254), then
 * rounded to fp32 (`numberRounder`); a NaN scale, a NaN product (NaN element, Inf·0) or Infs sum
 * as IEEE binary64 does, as golden `exactSum`.
 */
function mxDotNumbers(fmt: MxFormat, outputs: readonly Port[]): (chunk: VectorSet) => VectorSet {
  const n = fmt.blockSize;
  const dec = decodeTable(fmt.element);
  const round = numberRounder(fp32, {});
  const products = new Float64Array(n);
  const partials: number[] = [];
  // Every partial sum is exact in binary64 when all products are multiples of one quantum and n
  // times the largest product is below 2^53 quanta (all formats but E5M2): a plain sum then.
  const finite = Array.from(dec).filter((x) => Number.isFinite(x) && x !== 0).map(Math.abs);
  const quantum = Math.min(...finite) ** 2;
  const plainSumIsExact = (n * Math.max(...finite) ** 2) / quantum < 2 ** 53;
  return (chunk) => {
    const out = VectorSet.alloc(outputs, chunk.length);
    const write = codeWriter(out, 0);
    // Every port is one byte: read the row bytes directly.
    const { view, start, stride } = chunk.bytes(0);
    const at = Array.from({ length: 2 + 2 * n }, (_, k) => chunk.bytes(k).start - start);
    for (let i = 0, o = start; i < chunk.length; i++, o += stride) {
      const sa = view[o + at[0]!]!;
      const sb = view[o + at[1]!]!;
      let special = 0; // the IEEE sum of the non-finite products, if any
      let allFinite = true;
      let plain = 0;
      for (let k = 0; k < n; k++) {
        const x = dec[view[o + at[2 + k]!]!]! * dec[view[o + at[2 + n + k]!]!]!;
        products[k] = x;
        plain = k === 0 ? x : plain + x; // left to right, as exactSum (signed zeros included)
        if (!Number.isFinite(x)) { special += x; allFinite = false; }
      }
      if (sa === 255 || sb === 255) write(i, round(NaN));
      else if (!allFinite) write(i, round(special));
      else write(i, round((plainSumIsExact ? plain : sumToOdd(products, n, partials)) * 2 ** (sa + sb - 254)));
    }
    return out;
  };
}

/** The `mx_dot` generator's model, from the params the generator was built with. */
export function mxDotGeneratorModel(p: GeneratorParams<typeof mxDotGenerator>): TransactionModel {
  return mxDotModel(p);
}
