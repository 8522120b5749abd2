/**
 * Transaction model of `group_dot` / `group_gemm` (golden `sim/golden/accel/group-dot.ts`): the
 * beat protocol of the generator (en, first, group position, scales sampled on a group's first
 * beat) replayed cycle by cycle, each beat's arithmetic by the golden functions. Expected row i
 * is every column's fp32 accumulator after row i (latency 1).
 */
import { fp16, type FloatValue } from '../golden/index.ts';
import { accumulateGroup, activationFloatFormat, dequantFpBeat, dequantInt8Fp16, dequantWeightFp16, exactGroupSum, groupTerm, scaleGroupSum, type GroupActivation, type GroupDatapath } from '../golden/accel/group-dot.ts';
import { classifyFloat, type FloatFormat } from '../golden/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import type { Port } from '../../formats/port.ts';
import { flipSign, randomFloatCode } from './float-common.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { groupDotGenerator, groupGemmGenerator } from '../../dsl/npu/group-dot.ts';

export interface GroupDotModelParams {
  readonly datapath: GroupDatapath;
  readonly activation: GroupActivation;
  readonly group_size: number;
  readonly lanes: number;
  readonly cols: number;
}

const u = (name: string, width: number, format: string): Port => ({ name, width, signed: false, format });

/** Input ports in the generator's order: en, first, x*, x_scale (int8), then per column w*, scale, zero. */
export function groupDotPorts(p: GroupDotModelParams): { inputs: Port[]; outputs: Port[] } {
  const sfx = (c: number): string => (p.cols === 1 ? '' : `_c${c}`);
  const inputs: Port[] = [u('en', 1, 'uint1'), u('first', 1, 'uint1')];
  for (let i = 0; i < p.lanes; i++) inputs.push(p.activation === 'int8' ? { name: `x${i}`, width: 8, signed: true, format: 'int8' } : u(`x${i}`, 16, p.activation));
  if (p.activation === 'int8') inputs.push(u('x_scale', 16, 'fp16'));
  const outputs: Port[] = [];
  for (let c = 0; c < p.cols; c++) {
    for (let i = 0; i < p.lanes; i++) inputs.push(u(p.cols === 1 ? `w${i}` : `w_c${c}_${i}`, 4, 'uint4'));
    inputs.push(u(`scale${sfx(c)}`, 16, 'fp16'), u(`zero${sfx(c)}`, 4, 'uint4'));
    outputs.push(u(`acc_out${sfx(c)}`, 32, 'fp32'));
  }
  return { inputs, outputs };
}

/** Column state of the replay. */
interface Column { acc: number; scale: number; zero: number; terms: FloatValue[] }

/** A stateful replay of the generator's protocol: feed rows, read every column's accumulator. */
export function groupDotReplay(p: GroupDotModelParams): (row: StimulusRow) => number[] {
  const L = p.lanes;
  const beats = p.group_size / L;
  const xFormat: FloatFormat = p.activation === 'int8' ? fp16 : activationFloatFormat(p.activation);
  const cols: Column[] = Array.from({ length: p.cols }, () => ({ acc: 0, scale: 0, zero: 0, terms: [] }));
  let pos = 0;
  let xScaleHeld = 0;
  const colBase = 2 + L + (p.activation === 'int8' ? 1 : 0);
  return (r) => {
    const en = r[0] === 1n;
    const first = r[1] === 1n;
    const base = first ? 0 : pos;
    const start = base === 0;
    const end = base === beats - 1;
    const xIn = r.slice(2, 2 + L).map(Number);
    const xScale = p.activation === 'int8' ? (start ? Number(r[2 + L]!) : xScaleHeld) : undefined;
    for (const [c, col] of cols.entries()) {
      const o = colBase + c * (L + 2);
      const q = r.slice(o, o + L).map(Number);
      const s = start ? Number(r[o + L]!) : col.scale;
      const z = start ? Number(r[o + L + 1]!) : col.zero;
      if (first) col.acc = 0;
      if (start || first) col.terms = [];
      if (!en) continue;
      if (start) [col.scale, col.zero] = [s, z];
      if (p.datapath === 'dequant_fp') {
        const ws = q.map((qi) => dequantWeightFp16(qi, z, s));
        const xs = xScale === undefined ? xIn : xIn.map((x) => dequantInt8Fp16(x, xScale));
        col.acc = dequantFpBeat(col.acc, ws, xs, xFormat);
      } else {
        for (let i = 0; i < L; i++) col.terms.push(groupTerm(q[i]!, z, xIn[i]!, p.activation));
        if (end) {
          col.acc = accumulateGroup(col.acc, scaleGroupSum(exactGroupSum(col.terms), s, xScale));
          col.terms = [];
        }
      }
    }
    if (en) {
      if (start && xScale !== undefined) xScaleHeld = xScale;
      pos = end ? 0 : base + 1;
    } else pos = base;
    return cols.map((c) => c.acc);
  };
}

/** A float code for random vectors: near 2^(bias + center) mostly, specials about once in 400 draws. */
function randomCode(f: FloatFormat, rng: Rng, center: number, spread: number): number {
  for (;;) {
    let c: number;
    if (rng.below(16) === 0) c = Number(rng.bigBits(f.width));
    else {
      const e = Math.min(2 ** f.expBits - 2, Math.max(0, f.bias + center - spread + rng.below(2 * spread + 1)));
      c = (rng.below(2) === 0 ? 0 : f.signMask) + e * 2 ** f.manBits + Number(rng.bigBits(f.manBits));
    }
    const cls = classifyFloat(f, c);
    if ((cls !== 'nan' && cls !== 'inf') || rng.below(400) === 0) return c;
  }
}

export function groupDotModel(p: GroupDotModelParams): TransactionModel {
  const { inputs, outputs } = groupDotPorts(p);
  const L = p.lanes;
  const beats = p.group_size / L;
  const xFormat = p.activation === 'int8' ? undefined : activationFloatFormat(p.activation);
  /** One row from field values (absent columns repeat column 0's). */
  const row = (en: number, first: number, x: readonly number[], xScale: number, cols: readonly { w: readonly number[]; scale: number; zero: number }[]): bigint[] => {
    const out: bigint[] = [BigInt(en), BigInt(first), ...x.map(BigInt)];
    if (p.activation === 'int8') out.push(BigInt(xScale));
    for (let c = 0; c < p.cols; c++) {
      const col = cols[c] ?? cols[0]!;
      out.push(...col.w.map(BigInt), BigInt(col.scale), BigInt(col.zero));
    }
    return out;
  };
  const randomX = (rng: Rng): number => (xFormat ? randomCode(xFormat, rng, 0, 6) : rng.below(256) - 128);
  const randomScale = (rng: Rng): number => randomCode(fp16, rng, -6, 5);
  const random = (count: number, rng: Rng): bigint[][] => Array.from({ length: count }, () => {
    const cols = Array.from({ length: p.cols }, () => ({ w: Array.from({ length: L }, () => rng.below(16)), scale: randomScale(rng), zero: rng.below(16) }));
    return row(rng.below(8) === 0 ? 0 : 1, rng.below(6 * beats) === 0 ? 1 : 0, Array.from({ length: L }, () => randomX(rng)), randomScale(rng), cols);
  });
  /** A whole dot product of `groups` groups with constant fields per beat. */
  const dot = (groups: number, x: (beat: number, lane: number) => number, w: number, scale: number, zero: number, xScale = 0x3c00): bigint[][] =>
    Array.from({ length: groups * beats }, (_, b) => row(1, b === 0 ? 1 : 0, Array.from({ length: L }, (_, i) => x(b, i)), xScale, [{ w: Array.from({ length: L }, () => w), scale, zero }]));
  const corners = (): bigint[][] => {
    const rows: bigint[][] = [];
    const f = xFormat;
    const one = f ? f.bias << f.manBits : 1;
    const max = f ? f.maxCode : 127;
    const neg = (c: number): number => (f ? flipSign(f, c) : -c);
    const min = f ? flipSign(f, f.maxCode) : -128;
    for (const scale of [0x3c00, 0x7bff, 0x0001, 0x8000, 0x0400, 0x1c00, 0xfbff, 0x7c00, 0x7e00]) {
      rows.push(...dot(2, () => max, 15, scale, 0));
      rows.push(...dot(2, () => min, 0, scale, 15));
      rows.push(...dot(1, (_b, i) => (i % 2 === 0 ? max : neg(max)), 9, scale, 1));
      rows.push(...dot(1, () => one, 8, scale, 8));
    }
    if (f) {
      const specials = [f.nanCode!, f.infCode!, f.infCode! + f.signMask, 1, f.minNormalCode];
      for (const sp of specials) {
        rows.push(...dot(1, (b, i) => (b === 0 && i === 0 ? sp : one), 3, 0x3c00, 3));
        rows.push(...dot(1, (b, i) => (b === 0 && i === 0 ? sp : one), 4, 0x3c00, 3));
      }
      rows.push(...dot(1, (b, i) => (b === 0 && i === 0 ? f.infCode! : i === 1 ? f.infCode! + f.signMask : one), 4, 0x3c00, 3));
    } else {
      for (const xs of [0x7bff, 0x0001, 0x7c00, 0x7e00, 0x8000]) rows.push(...dot(1, () => -128, 0, 0x3c00, 15, xs));
    }
    // An idle cycle and a first without en between dot products.
    rows.push(row(0, 1, Array.from({ length: L }, () => 0), 0, [{ w: Array.from({ length: L }, () => 0), scale: 0, zero: 0 }]));
    return rows;
  };
  return {
    inputs,
    outputs,
    latency: 1,
    random,
    corners,
    exhaustive: () => undefined,
    expected: (stimulus: readonly StimulusRow[]) => {
      const step = groupDotReplay(p);
      return stimulus.map((r) => step(r).map(BigInt));
    },
  };
}

/** The `group_dot` generator's model (one column), from the params the generator was built with. */
export function groupDotGeneratorModel(p: GeneratorParams<typeof groupDotGenerator>): TransactionModel {
  return groupDotModel({ ...p, cols: 1 });
}

/** The `group_gemm` generator's model, from the params the generator was built with. */
export function groupGemmGeneratorModel(p: GeneratorParams<typeof groupGemmGenerator>): TransactionModel {
  return groupDotModel(p);
}
