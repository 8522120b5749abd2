/**
 * Transaction model of `gemm_tile`: the `systolic_array` model's GEMMs (golden GEMM) followed,
 * per element, by the golden requantizer: y = clampInt(multiplyByQuantizedMultiplier(c, m, s,
 * rounding) + zero_point, lo, hi) with [lo, hi] = [qmin, qmax] (none), [zero_point, qmax]
 * (relu) or [zero_point, act_max] (relu6), m and s per column when per_channel.
 *
 * Timing: latency = array latency + requantizer latency. Expected row e (a row of C that the
 * array model places at e) uses the requantizer parameters of stimulus row e + array latency,
 * the cycle that row of C enters the requantizer (parameters after the end of the stimulus are
 * 0, as the testbench drives). Stimulus comes in segments: one parameter set held for a run of
 * whole array transactions and the cycles their results need to leave the array, so
 * `random(count)` is a cycle budget rounded to whole transactions (about count / 400 segments,
 * at least 2), and `corners()` pairs the array's corner GEMMs with extreme scales (multiplier
 * 2^31-1 / 2^30, shift 0 / -31 / 1, zero points at the ends of the range).
 */
import { clampInt, multiplyByQuantizedMultiplier, quantizeMultiplier } from '../golden/index.ts';
import type { FixedFormat } from '../../formats/index.ts';
import { formatName } from '../../formats/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { codeRange, portOf } from './ports.ts';
import { systolicModel, type SystolicModelParams } from './systolic.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { gemmTileGenerator } from '../../dsl/npu/gemm-tile.ts';
import { gemmTileQuantModel } from './gemm-tile-quant.ts';
import { intFormat } from '../../formats/index.ts';
import { resolveAccumulator } from './auto-accumulator.ts';
import type { Port } from '../../formats/port.ts';

export interface GemmTileModelParams extends SystolicModelParams {
  readonly output: FixedFormat;
  readonly per_channel: boolean;
  readonly rounding: 'double_round' | 'single_round';
  readonly activation: 'none' | 'relu' | 'relu6';
}

interface Scales {
  readonly m: readonly bigint[];
  readonly s: readonly number[];
  readonly zp: bigint;
  readonly actMax: bigint;
}

export function gemmTileModel(p: GemmTileModelParams): TransactionModel {
  const C = p.cols;
  const arr = systolicModel(p);
  const nA = arr.inputs.length;
  const nS = p.per_channel ? C : 1;
  const relu6 = p.activation === 'relu6';
  const int = (w: number): FixedFormat => ({ kind: 'fixed', width: w, intBits: w, signed: true });
  const lanes = (base: string, f: FixedFormat): Port[] => (p.per_channel ? Array.from({ length: C }, (_, j) => portOf(`${base}_${j}`, f)) : [portOf(base, f)]);
  const inputs: Port[] = [...arr.inputs, ...lanes('multiplier', int(32)), ...lanes('shift', int(8)), portOf('zero_point', p.output), ...(relu6 ? [portOf('act_max', p.output)] : [])];
  const outputs: Port[] = [...Array.from({ length: C }, (_, j) => portOf(`y_${j}`, p.output, 'out_valid')), { name: 'out_valid', width: 1, signed: false, format: 'uint1' }];
  const [qmin, qmax] = codeRange(p.output);
  const arrayLatency = arr.latency;
  const rqLatency = p.rounding === 'double_round' ? 4 : 3;
  const paramCols = (sc: Scales): bigint[] => [...sc.m, ...sc.s.map(BigInt), sc.zp, ...(relu6 ? [sc.actMax] : [])];
  const idle = (): bigint[] => arr.inputs.map(() => 0n);

  /** A segment: array rows under one parameter set, then the cycles until their results left the array. */
  const segment = (arrayRows: readonly StimulusRow[], sc: Scales): StimulusRow[] => {
    const tail = Array.from({ length: arrayLatency }, idle);
    return [...arrayRows, ...tail].map((r) => [...r, ...paramCols(sc)]);
  };
  const randomScales = (rng: Rng): Scales => {
    const one = () => {
      // Realistic scales 2^-1 .. 2^-20 (shift <= 0 keeps x * 2^shift inside int32 for double rounding).
      const q = quantizeMultiplier((0.5 + rng.below(1 << 20) / (1 << 21)) * 2 ** -rng.below(20));
      return q;
    };
    const qs = Array.from({ length: nS }, one);
    const zp = qmin + BigInt(rng.below(Number(qmax - qmin) + 1));
    return { m: qs.map((q) => q.multiplier), s: qs.map((q) => q.shift), zp, actMax: zp + BigInt(rng.below(Number(qmax - zp) + 1)) };
  };
  const fixedScales = (m: bigint, s: number, zp: bigint, actMax: bigint): Scales => ({ m: Array(nS).fill(m), s: Array(nS).fill(s), zp, actMax });

  return {
    inputs,
    outputs,
    latency: arrayLatency + rqLatency,
    random: (count: number, rng: Rng) => {
      const segs = Math.max(2, Math.round(count / 400));
      const rows: StimulusRow[] = [];
      for (let i = 0; i < segs; i++) rows.push(...segment(arr.random(Math.max(1, Math.floor(count / segs) - arrayLatency), rng), randomScales(rng)));
      return rows;
    },
    corners: () => {
      const base = arr.corners();
      const half = 1n << 30n;
      const max = (1n << 31n) - 1n;
      // m = 2^30, s = 1 is the identity (y = c + zp), inside the double-rounding domain while c * 2 fits int32.
      const s1 = p.accumulator.width <= 31 ? 1 : 0;
      return [
        ...segment(base, fixedScales(half, s1, 0n, qmax)),
        ...segment(base, fixedScales(max, 0, qmin, qmax)),
        ...segment(base, fixedScales(half, -31, qmax, qmax)),
        ...segment(base, fixedScales(max, -8, 0n, qmax / 2n)),
      ];
    },
    exhaustive: () => undefined,
    expected: (stimulus: readonly StimulusRow[]) => {
      const c = arr.expected(stimulus.map((r) => r.slice(0, nA)));
      return c.map((row, e) => {
        if (row[C] !== 1n) return [...Array<bigint>(C).fill(0n), 0n];
        const prm = stimulus[e + arrayLatency]?.slice(nA) ?? Array<bigint>(2 * nS + 2).fill(0n);
        const zp = prm[2 * nS]!;
        const [lo, hi] = p.activation === 'none' ? [qmin, qmax] : [zp, relu6 ? prm[2 * nS + 1]! : qmax];
        const y = Array.from({ length: C }, (_, j) => {
          const k = p.per_channel ? j : 0;
          return clampInt(multiplyByQuantizedMultiplier(row[j]!, prm[k]!, Number(prm[nS + k]!), p.rounding) + zp, lo, hi);
        });
        return [...y, 1n];
      });
    },
  };
}

export function describeGemmTileModel(p: GemmTileModelParams): string {
  return `gemm_tile ${p.dataflow} ${p.rows}x${p.cols} ${formatName(p.a)} x ${formatName(p.b)} -> ${formatName(p.accumulator)} -> ${formatName(p.output)} (${p.rounding}, ${p.activation})`;
}

/** The `gemm_tile` generator's model, from the params the generator was built with. */
export function gemmTileGeneratorModel(p: GeneratorParams<typeof gemmTileGenerator>): TransactionModel {
  const terms = p.dataflow === 'weight_stationary' ? p.rows : p.k;
  if (p.scale !== 'int' || p.zero_points || p.bias) {
    // The array sees the zero-point-free (w + 1)-bit operands; its auto accumulator is sized for them.
    const ops = p.zero_points ? { a: intFormat(p.a.width + 1, true), b: intFormat(p.b.width + 1, true) } : { a: p.a, b: p.b };
    return gemmTileQuantModel({ ...p, accumulator: resolveAccumulator(p, terms), arrayAccumulator: resolveAccumulator({ ...ops, accumulator: p.accumulator }, terms) });
  }
  // Weight-stationary reduces over the grid's rows; output-stationary over k streamed beats.
  return gemmTileModel({ ...p, accumulator: resolveAccumulator(p, terms) });
}
