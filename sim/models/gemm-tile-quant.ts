/**
 * Transaction model of `gemm_tile` with the quantized-layer options (`zero_points`, `bias`,
 * `scale: fp32 | none`), from the golden library: the `systolic_array` model's GEMMs on the
 * zero-point-free operands a - a_zp, b - b_zp[j] ((w + 1)-bit signed, exact `auto` or explicit
 * accumulator), wrapped to int32, + bias[j] (wrapping), then `requantizeFp32` (fp32) or nothing
 * (none). Zero points are read from the stimulus row of each beat; bias from the row where that
 * row of C leaves the array (e + array latency); the fp32 parameters one cycle later with bias.
 * Stimulus: segments of whole array transactions under one parameter set plus the cycles their
 * results need to be sampled (as the plain `gemm_tile` model).
 */
import { intFormat, type FixedFormat } from '../../formats/index.ts';
import { fp32ToNumber, requantizeFp32 } from '../golden/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import type { Port } from '../../formats/port.ts';
import { codeRange, portOf, randomCode } from './ports.ts';
import { systolicModel, type SystolicModelParams } from './systolic.ts';
import { randomFp32Multiplier } from './requantizer-fp32.ts';

export interface GemmTileQuantModelParams extends SystolicModelParams {
  readonly output: FixedFormat;
  readonly per_channel: boolean;
  readonly scale: 'fp32' | 'none';
  readonly zero_points: boolean;
  readonly bias: boolean;
  /** The array's accumulator for the (w + 1)-bit operands when zero_points (else `accumulator`). */
  readonly arrayAccumulator: FixedFormat;
}

export function gemmTileQuantModel(p: GemmTileQuantModelParams): TransactionModel {
  const C = p.cols;
  const ports = systolicModel(p);
  const ops = p.zero_points ? { a: intFormat(p.a.width + 1, true), b: intFormat(p.b.width + 1, true) } : { a: p.a, b: p.b };
  const arr = systolicModel({ ...p, ...ops, accumulator: p.arrayAccumulator });
  const nA = ports.inputs.length;
  const fp32 = p.scale === 'fp32';
  const nM = p.per_channel ? C : 1;
  const fpPort = (name: string): Port => ({ name, width: 32, signed: false, format: 'fp32' });
  const extra: Port[] = [
    ...(p.zero_points ? [portOf('a_zero_point', p.a), ...Array.from({ length: C }, (_, j) => portOf(`b_zero_point_${j}`, p.b))] : []),
    ...(p.bias ? Array.from({ length: C }, (_, j) => portOf(`bias_${j}`, intFormat(32, true))) : []),
    ...(fp32 ? [...(p.per_channel ? Array.from({ length: C }, (_, j) => fpPort(`multiplier_${j}`)) : [fpPort('multiplier')]), portOf('zero_point', p.output), portOf('out_min', p.output), portOf('out_max', p.output)] : []),
  ];
  const yFormat = fp32 ? p.output : intFormat(32, true);
  const outputs: Port[] = [...Array.from({ length: C }, (_, j) => portOf(`y_${j}`, yFormat, 'out_valid')), { name: 'out_valid', width: 1, signed: false, format: 'uint1' }];
  const biasStage = p.bias ? 1 : 0;
  const latency = arr.latency + biasStage + (fp32 ? 3 : 0);
  const [qmin, qmax] = codeRange(p.output);
  const zpCols = p.zero_points ? 1 + C : 0;
  const biasCol = nA + zpCols;
  const rqCol = biasCol + (p.bias ? C : 0);

  const randomParams = (rng: Rng): bigint[] => {
    const zps = p.zero_points ? [randomCode(p.a, rng), ...Array.from({ length: C }, () => randomCode(p.b, rng))] : [];
    const biases = p.bias ? Array.from({ length: C }, () => BigInt(rng.u32() | 0) >> BigInt(rng.below(32))) : [];
    if (!fp32) return [...zps, ...biases];
    const a = randomCode(p.output, rng);
    const b = randomCode(p.output, rng);
    const mults = Array.from({ length: nM }, () => (rng.below(4) === 0 ? randomFp32Multiplier(rng) : BigInt(new Uint32Array(new Float32Array([(1 + rng.below(1000)) * 2 ** -(10 + rng.below(14))]).buffer)[0]!)));
    return [...zps, ...biases, ...mults, randomCode(p.output, rng), a < b ? a : b, a < b ? b : a];
  };
  const segment = (arrayRows: readonly StimulusRow[], prm: readonly bigint[]): StimulusRow[] =>
    [...arrayRows, ...Array.from({ length: arr.latency + biasStage }, () => ports.inputs.map(() => 0n))].map((r) => [...r, ...prm]);
  const fullRange = (): bigint[] => (fp32 ? [0n, qmin, qmax] : []);

  return {
    inputs: [...ports.inputs, ...extra],
    outputs,
    latency,
    random: (count: number, rng: Rng) => {
      const segs = Math.max(2, Math.round(count / 400));
      const rows: StimulusRow[] = [];
      for (let i = 0; i < segs; i++) rows.push(...segment(ports.random(Math.max(1, Math.floor(count / segs) - arr.latency), rng), randomParams(rng)));
      return rows;
    },
    corners: () => {
      const base = ports.corners();
      const one = BigInt(0x3f800000);
      const zpsOf = (za: bigint, zb: bigint): bigint[] => (p.zero_points ? [za, ...Array<bigint>(C).fill(zb)] : []);
      const biasOf = (v: bigint): bigint[] => (p.bias ? Array<bigint>(C).fill(v) : []);
      const rq = (m: bigint, zp: bigint): bigint[] => (fp32 ? [...Array<bigint>(nM).fill(m), zp, ...fullRange().slice(1)] : []);
      const [alo, ahi] = codeRange(p.a);
      const [blo, bhi] = codeRange(p.b);
      return [
        ...segment(base, [...zpsOf(0n, 0n), ...biasOf(0n), ...rq(one, 0n)]),
        ...segment(base, [...zpsOf(ahi, blo), ...biasOf((1n << 31n) - 1n), ...rq(BigInt(0x3a800000), qmax)]),
        ...segment(base, [...zpsOf(alo, bhi), ...biasOf(-(1n << 31n)), ...rq(BigInt(0x7f7fffff), qmin)]),
      ];
    },
    exhaustive: () => undefined,
    expected: (stimulus: readonly StimulusRow[]) => {
      const zeroFree = stimulus.map((r) => {
        const row = r.slice(0, nA);
        if (!p.zero_points) return row;
        return row.map((v, i) => {
          const name = ports.inputs[i]!.name;
          if (name.startsWith('a_')) return v - r[nA]!;
          const j = /^b_(\d+)$/.exec(name);
          return j ? v - r[nA + 1 + Number(j[1])]! : v;
        });
      });
      const c = arr.expected(zeroFree);
      return c.map((row, e) => {
        if (row[C] !== 1n) return [...Array<bigint>(C).fill(0n), 0n];
        const at = (cycle: number, col: number): bigint => stimulus[cycle]?.[col] ?? 0n;
        const y = Array.from({ length: C }, (_, j) => {
          const acc = BigInt.asIntN(32, BigInt.asIntN(32, row[j]!) + (p.bias ? at(e + arr.latency, biasCol + j) : 0n));
          if (!fp32) return acc;
          const t = e + arr.latency + biasStage;
          const m = fp32ToNumber(Number(at(t, rqCol + (p.per_channel ? j : 0))));
          const [zp, lo, hi] = [at(t, rqCol + nM), at(t, rqCol + nM + 1), at(t, rqCol + nM + 2)];
          return BigInt(requantizeFp32(Number(acc), m, Number(zp), Number(lo), Number(hi)));
        });
        return [...y, 1n];
      });
    },
  };
}
