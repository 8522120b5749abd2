/**
 * Transaction model of `gemm_tile` with the quantized-layer options (`zero_points`, `bias`,
 * `scale: int | fp32 | none`), from the golden library: the `systolic_array` model's GEMMs on the
 * zero-point-free operands a - a_zp, b - b_zp[j] ((w + 1)-bit signed, exact `auto` or explicit
 * accumulator), wrapped to int32, + bias[j] (wrapping), then the TFLite requantizer
 * y = clampInt(multiplyByQuantizedMultiplier(x, m, s, rounding) + zero_point, lo, hi) (int; [lo, hi]
 * as the plain `gemm_tile` model: [qmin, qmax], [zero_point, qmax] for relu, [zero_point, act_max]
 * for relu6; m and s per column when per_channel), `requantizeFp32` (fp32) or nothing (none).
 * Zero points are read from the stimulus row of each beat; bias from the row where that row of C
 * leaves the array (e + array latency); the requantizer parameters one cycle later with bias.
 * Stimulus: segments of whole array transactions under one parameter set plus the cycles their
 * results need to be sampled (as the plain `gemm_tile` model).
 */
import { intFormat, type FixedFormat } from '../../formats/index.ts';
import { clampInt, fp32ToNumber, multiplyByQuantizedMultiplier, quantizeMultiplier, requantizeFp32 } from '../golden/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import type { Port } from '../../formats/port.ts';
import { codeRange, portOf, randomCode } from './ports.ts';
import { systolicModel, type SystolicModelParams } from './systolic.ts';
import { randomFp32Multiplier } from './requantizer-fp32.ts';

export interface GemmTileQuantModelParams extends SystolicModelParams {
  readonly output: FixedFormat;
  readonly per_channel: boolean;
  readonly scale: 'int' | 'fp32' | 'none';
  /** scale int only: MultiplyByQuantizedMultiplier flavour and clamp. */
  readonly rounding: 'double_round' | 'single_round';
  readonly activation: 'none' | 'relu' | 'relu6';
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
  const int = p.scale === 'int';
  const relu6 = int && p.activation === 'relu6';
  const nM = p.per_channel ? C : 1;
  const lanes = (base: string, f: (name: string) => Port): Port[] => (p.per_channel ? Array.from({ length: C }, (_, j) => f(`${base}_${j}`)) : [f(base)]);
  const fpPort = (name: string): Port => ({ name, width: 32, signed: false, format: 'fp32' });
  const rqPorts: Port[] = fp32
    ? [...lanes('multiplier', fpPort), portOf('zero_point', p.output), portOf('out_min', p.output), portOf('out_max', p.output)]
    : int ? [...lanes('multiplier', (n) => portOf(n, intFormat(32, true))), ...lanes('shift', (n) => portOf(n, intFormat(8, true))), portOf('zero_point', p.output), ...(relu6 ? [portOf('act_max', p.output)] : [])]
      : [];
  const extra: Port[] = [
    ...(p.zero_points ? [portOf('a_zero_point', p.a), ...Array.from({ length: C }, (_, j) => portOf(`b_zero_point_${j}`, p.b))] : []),
    ...(p.bias ? Array.from({ length: C }, (_, j) => portOf(`bias_${j}`, intFormat(32, true))) : []),
    ...rqPorts,
  ];
  const yFormat = p.scale === 'none' ? intFormat(32, true) : p.output;
  const outputs: Port[] = [...Array.from({ length: C }, (_, j) => portOf(`y_${j}`, yFormat, 'out_valid')), { name: 'out_valid', width: 1, signed: false, format: 'uint1' }];
  const biasStage = p.bias ? 1 : 0;
  // The requantizer's own latency (fp32: 3; int: 4 for double rounding, 3 for single).
  const rqLatency = fp32 ? 3 : int ? (p.rounding === 'double_round' ? 4 : 3) : 0;
  const latency = arr.latency + biasStage + rqLatency;
  const [qmin, qmax] = codeRange(p.output);
  const zpCols = p.zero_points ? 1 + C : 0;
  const biasCol = nA + zpCols;
  const rqCol = biasCol + (p.bias ? C : 0);

  /** int: realistic scales 2^-1 .. 2^-20 (shift <= 0 keeps x * 2^shift inside int32), zero point, act_max >= zero point. */
  const randomIntScales = (rng: Rng): bigint[] => {
    const qs = Array.from({ length: nM }, () => quantizeMultiplier((0.5 + rng.below(1 << 20) / (1 << 21)) * 2 ** -rng.below(20)));
    const zp = qmin + BigInt(rng.below(Number(qmax - qmin) + 1));
    return [...qs.map((q) => q.multiplier), ...qs.map((q) => BigInt(q.shift)), zp, ...(relu6 ? [zp + BigInt(rng.below(Number(qmax - zp) + 1))] : [])];
  };
  const randomParams = (rng: Rng): bigint[] => {
    const zps = p.zero_points ? [randomCode(p.a, rng), ...Array.from({ length: C }, () => randomCode(p.b, rng))] : [];
    const biases = p.bias ? Array.from({ length: C }, () => BigInt(rng.u32() | 0) >> BigInt(rng.below(32))) : [];
    if (int) return [...zps, ...biases, ...randomIntScales(rng)];
    if (!fp32) return [...zps, ...biases];
    const a = randomCode(p.output, rng);
    const b = randomCode(p.output, rng);
    const mults = Array.from({ length: nM }, () => (rng.below(4) === 0 ? randomFp32Multiplier(rng) : BigInt(new Uint32Array(new Float32Array([(1 + rng.below(1000)) * 2 ** -(10 + rng.below(14))]).buffer)[0]!)));
    return [...zps, ...biases, ...mults, randomCode(p.output, rng), a < b ? a : b, a < b ? b : a];
  };
  const segment = (arrayRows: readonly StimulusRow[], prm: readonly bigint[]): StimulusRow[] =>
    [...arrayRows, ...Array.from({ length: arr.latency + biasStage }, () => ports.inputs.map(() => 0n))].map((r) => [...r, ...prm]);
  /** Requantizer corner parameters: fp32 multiplier m (binary32 code) or int m with shift s; zero point; int relu6 act_max. */
  const rq = (fpM: bigint, m: bigint, s: number, zp: bigint, actMax: bigint): bigint[] => {
    if (fp32) return [...Array<bigint>(nM).fill(fpM), zp, qmin, qmax];
    if (int) return [...Array<bigint>(nM).fill(m), ...Array<bigint>(nM).fill(BigInt(s)), zp, ...(relu6 ? [actMax] : [])];
    return [];
  };

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
      const zpsOf = (za: bigint, zb: bigint): bigint[] => (p.zero_points ? [za, ...Array<bigint>(C).fill(zb)] : []);
      const biasOf = (v: bigint): bigint[] => (p.bias ? Array<bigint>(C).fill(v) : []);
      const [alo, ahi] = codeRange(p.a);
      const [blo, bhi] = codeRange(p.b);
      const half = 1n << 30n;
      const max = (1n << 31n) - 1n;
      // int: m = 2^30, s = 1 is the identity (y = c + zp) while c * 2 fits int32 (no bias, accumulator <= 31 bits).
      const s1 = !p.bias && p.arrayAccumulator.width <= 31 ? 1 : 0;
      return [
        ...segment(base, [...zpsOf(0n, 0n), ...biasOf(0n), ...rq(BigInt(0x3f800000), half, s1, 0n, qmax)]),
        ...segment(base, [...zpsOf(ahi, blo), ...biasOf((1n << 31n) - 1n), ...rq(BigInt(0x3a800000), max, 0, qmax, qmax)]),
        ...segment(base, [...zpsOf(alo, bhi), ...biasOf(-(1n << 31n)), ...rq(BigInt(0x7f7fffff), half, -31, qmin, qmax)]),
        ...(int ? segment(base, [...zpsOf(ahi, bhi), ...biasOf(1n << 20n), ...rq(0n, max, -8, 0n, qmax / 2n)]) : []),
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
        // The requantizer samples its parameters with the row of C it takes (after the bias stage).
        const t = e + arr.latency + biasStage;
        const y = Array.from({ length: C }, (_, j) => {
          const acc = BigInt.asIntN(32, BigInt.asIntN(32, row[j]!) + (p.bias ? at(e + arr.latency, biasCol + j) : 0n));
          const k = p.per_channel ? j : 0;
          if (int) {
            const zp = at(t, rqCol + 2 * nM);
            const [lo, hi] = p.activation === 'none' ? [qmin, qmax] : [zp, relu6 ? at(t, rqCol + 2 * nM + 1) : qmax];
            return clampInt(multiplyByQuantizedMultiplier(acc, at(t, rqCol + k), Number(at(t, rqCol + nM + k)), p.rounding) + zp, lo, hi);
          }
          if (!fp32) return acc;
          const m = fp32ToNumber(Number(at(t, rqCol + k)));
          const [zp, lo, hi] = [at(t, rqCol + nM), at(t, rqCol + nM + 1), at(t, rqCol + nM + 2)];
          return BigInt(requantizeFp32(Number(acc), m, Number(zp), Number(lo), Number(hi)));
        });
        return [...y, 1n];
      });
    },
  };
}
