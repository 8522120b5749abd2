/**
 * Transaction model of `mx_dot` (golden `mxDotFp32`): the exact dot product of two MX blocks
 * (element · 2^(scale - 127)) rounded once to fp32 (RNE, overflow to ±Inf, subnormals kept).
 * Ports: a_scale, b_scale, a0..a31, b0..b31 -> y. Latency = pipeline_stages (0 = combinational).
 */
import { classifyFloat, decodeTable, fp32, mxDotFp32, mxFormat, numberRounder, sumToOdd, type MxBlock, type MxFormat } from '../golden/index.ts';
import { VectorSet } from '../vector-set.ts';
import { codeWriter, scratchWords, weightedTable } from './float-fast.ts';
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
  const row = (sa: number, sb: number, as: readonly number[], bs: readonly number[]): bigint[] => [sa, sb, ...as, ...bs].map(BigInt);
  const fill = (v: number): number[] => Array.from({ length: n }, () => v);
  const maxCode = el.kind === 'float' ? el.maxCode : 0x7f;
  const signMask = 2 ** (w - 1);
  const minSub = 1;
  const one = el.kind === 'float' ? (el.bias << el.manBits) : 64;
  const outputs = [port('y', 32, 'fp32')];
  const randomSet = mxRandomSet(fmt, inputs);
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
 * Random rows, 2 + n rng words each (n = block size; every port one byte, in port order):
 *   - w0: a_scale = S[w0 >> 16], b_scale = S[w0 & 0xffff], S drawing 127 - 24 .. 127 + 24 (19 in 20)
 *     or any code 0..255 (1 in 20, NaN 255 included);
 *   - w1: the row is sparse when its top 2 bits are 0 (1 in 4);
 *   - words 2 + j: elements 2j (high 16 bits) and 2j + 1 (low 16 bits), a0..a(n-1) then b0..b(n-1),
 *     through E (dense rows) or Z (sparse rows): E draws every code, NaN and Inf codes with 1/400
 *     of the weight of the others; Z draws the code 0 with 2/3 of the weight, E's codes with 1/3.
 * (`weightedTable` turns the weights into 2^16-entry tables.)
 */
function mxRandomSet(fmt: MxFormat, inputs: readonly Port[]): (count: number, rng: Rng) => VectorSet {
  const el = fmt.element;
  const n = fmt.blockSize;
  const codes = 2 ** el.width;
  const scales = weightedTable(Array.from({ length: 256 }, (_, s) => 1 / 20 / 256 + (Math.abs(s - 127) <= 24 ? 19 / 20 / 49 : 0)));
  const elementWeight = Array.from({ length: codes }, (_, c) => (el.kind === 'float' && ['nan', 'inf'].includes(classifyFloat(el, c)) ? 1 / 400 : 1));
  const dense = weightedTable(elementWeight);
  const total = elementWeight.reduce((s, w) => s + w, 0);
  const sparse = weightedTable(elementWeight.map((w, c) => w / total / 3 + (c === 0 ? 2 / 3 : 0)));
  const W = 2 + n;
  return (count, rng) => {
    const w = scratchWords(count * W);
    rng.fillU32(w);
    const set = VectorSet.alloc(inputs, count);
    const b = set.buffer;
    const first = set.byteAt(0, 0);
    if (inputs.some((_, k) => set.byteAt(k, 0) !== first + k)) throw new Error('mx_dot random rows: ports are not consecutive bytes');
    for (let i = 0, r = 0, o = first; i < count; i++, r += W, o += set.rowBytes) {
      const head = w[r]!;
      b[o] = scales[head >>> 16]!;
      b[o + 1] = scales[head & 0xffff]!;
      const t = w[r + 1]! >>> 30 === 0 ? sparse : dense;
      for (let j = 0; j < n; j++) {
        const x = w[r + 2 + j]!;
        b[o + 2 + 2 * j] = t[x >>> 16]!;
        b[o + 3 + 2 * j] = t[x & 0xffff]!;
      }
    }
    return set;
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
