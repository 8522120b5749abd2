/**
 * Transaction model of `mx_dot` (golden `mxDotFp32`): the exact dot product of two MX blocks
 * (element · 2^(scale - 127)) rounded once to fp32 (RNE, overflow to ±Inf, subnormals kept).
 * Ports: a_scale, b_scale, a0..a31, b0..b31 -> y. Latency = pipeline_stages (0 = combinational).
 */
import { classifyFloat, mxDotFp32, mxFormat, type MxBlock, type MxFormat } from '../golden/index.ts';
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
  const special = (c: number): boolean => el.kind === 'float' && ['nan', 'inf'].includes(classifyFloat(el, c));
  /** A random element code; specials only one time in `rare`. */
  const randomElement = (rng: Rng, rare = 400): number => {
    for (;;) {
      const c = Number(rng.bigBits(w));
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
  return {
    inputs,
    outputs: [port('y', 32, 'fp32')],
    latency: p.pipeline_stages ?? 0,
    random: (count: number, rng: Rng) => Array.from({ length: count }, () => {
      // Some rows sparse (few non-zero lanes: sums with little cancellation, exact-zero sums).
      const sparse = rng.below(4) === 0;
      const el1 = (): number => (sparse && rng.below(3) !== 0 ? 0 : randomElement(rng));
      return row(randomScale(rng), randomScale(rng), fill(0).map(el1), fill(0).map(el1));
    }),
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

/** The `mx_dot` generator's model, from the params the generator was built with. */
export function mxDotGeneratorModel(p: GeneratorParams<typeof mxDotGenerator>): TransactionModel {
  return mxDotModel(p);
}
