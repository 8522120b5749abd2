/**
 * Transaction models of the requantizer presets, from the golden accelerator stages:
 * - gemmini: saturateInt(act(x), int8) after `gemminiRoundingShift` (round half to even), with
 *   relu applied to the int32 before the shift as in `gemminiAccScale`'s order (the RTL applies
 *   it after: the two orders agree, and the comparison checks that). Latency 2.
 * - nvdla: `nvdlaCvt` (round half away, saturate to int8/int16). Latency 4.
 * Every port value is inside the golden functions' domains, so stimulus is unconstrained.
 */
import { INT8, gemminiRoundingShift, intType, nvdlaCvt, saturateInt } from '../golden/index.ts';
import type { FixedFormat } from '../../formats/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { codeRange, portOf, randomCode } from './ports.ts';
import { logUniform } from './requantizer.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { requantizerGenerator } from '../../dsl/npu/requantizer.ts';
import { requantModel } from './requantizer.ts';
import { requantFp32Model } from './requantizer-fp32.ts';
import type { Port } from '../../formats/port.ts';

export interface PresetModelParams {
  readonly input: FixedFormat;
  readonly output: FixedFormat;
  readonly per_channel: boolean;
  readonly channels: number;
  readonly activation: 'none' | 'relu' | 'relu6';
}

const int = (w: number, signed = true): FixedFormat => ({ kind: 'fixed', width: w, intBits: w, signed });

function lanePorts(base: string, f: FixedFormat, p: PresetModelParams): Port[] {
  return p.per_channel ? Array.from({ length: p.channels }, (_, i) => portOf(`${base}${i}`, f)) : [portOf(base, f)];
}

export function gemminiModel(p: PresetModelParams): TransactionModel {
  const C = p.channels;
  const nS = p.per_channel ? C : 1;
  const [xlo, xhi] = codeRange(p.input);
  const relu = p.activation === 'relu';
  const row = (xs: readonly bigint[], shifts: readonly number[]): bigint[] => [...xs, ...shifts.slice(0, nS).map(BigInt)];
  const corners = (): StimulusRow[] => {
    const cases: [bigint, number][] = [];
    for (const x of [xlo, xhi, 0n, 1n, -1n, 127n, 128n, -128n, -129n]) for (const s of [0, 1, 30, 31]) cases.push([x, s]);
    // Ties: x = k * 2^(s-1) for odd k, both parities of the quotient, both signs (half to even).
    for (let s = 1; s <= 31; s++) for (const k of [1n, 3n, 5n, 255n, 257n]) for (const sg of [1n, -1n]) cases.push([sg * k << BigInt(s - 1), s]);
    // Saturation edges after the shift.
    for (const s of [0, 4]) for (const q of [-130n, -129n, -128n, -127n, 126n, 127n, 128n, 129n]) cases.push([q << BigInt(s), s]);
    return cases.map((_, j) => row(
      Array.from({ length: C }, (_, i) => cases[p.per_channel ? (j + i) % cases.length : j]![0]).map((x) => (x < xlo ? xlo : x > xhi ? xhi : x)),
      Array.from({ length: nS }, (_, i) => cases[(j + i) % cases.length]![1]),
    ));
  };
  return {
    inputs: [...Array.from({ length: C }, (_, i) => portOf(`x${i}`, p.input)), ...lanePorts('shift', int(5, false), p)],
    outputs: Array.from({ length: C }, (_, i) => portOf(`y${i}`, int(8))),
    latency: 2,
    random: (count: number, rng: Rng) => Array.from({ length: count }, () => row(Array.from({ length: C }, () => logUniform(rng, xlo, xhi)), Array.from({ length: nS }, () => rng.below(32)))),
    corners,
    exhaustive: () => undefined,
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map((r) => Array.from({ length: C }, (_, i) => {
      const x = r[i]!;
      const acted = relu && x < 0n ? 0n : x;
      return saturateInt(gemminiRoundingShift(acted, Number(r[C + (p.per_channel ? i : 0)]!)), INT8);
    })),
  };
}

export function nvdlaModel(p: PresetModelParams): TransactionModel {
  const C = p.channels;
  const nS = p.per_channel ? C : 1;
  const [xlo, xhi] = codeRange(p.input);
  const outType = intType(p.output.width, true);
  const row = (xs: readonly bigint[], offset: bigint, scalings: readonly bigint[], shifters: readonly number[]): bigint[] => [...xs, offset, ...scalings.slice(0, nS), ...shifters.slice(0, nS).map(BigInt)];
  const I32_MIN = -(1n << 31n);
  const I32_MAX = (1n << 31n) - 1n;
  const corners = (): StimulusRow[] => {
    const cases: [bigint, bigint, bigint, number][] = [];
    // Extremes: x - offset spans +-(2^32 - 1); scaling -2^15 .. 2^15 - 1.
    for (const [x, off] of [[xhi, I32_MIN], [xlo, I32_MAX], [0n, 0n], [xlo, 0n], [xhi, 0n], [1n, 0n], [-1n, 0n]] as const) for (const sc of [-32768n, 32767n, 0n, 1n, -1n]) for (const sh of [0, 1, 16, 31]) cases.push([x, off, sc, sh]);
    // Ties (away from zero): (x - offset) * scaling = k * 2^(sh-1), k odd, both signs.
    for (let sh = 1; sh <= 31; sh++) for (const k of [1n, 3n, 255n]) for (const sg of [1n, -1n]) { const d = (sg * k) << BigInt(sh - 1); if (d >= xlo && d <= xhi) { cases.push([d, 0n, 1n, sh]); cases.push([d + 5n, 5n, 1n, sh]); } }
    // Saturation edges of the output.
    const [qmin, qmax] = codeRange(p.output);
    for (const q of [qmin - 1n, qmin, qmin + 1n, qmax - 1n, qmax, qmax + 1n]) { cases.push([q, 0n, 1n, 0]); cases.push([q * 2n + 1n, 1n, 1n, 1]); }
    return cases.map((c, j) => row(
      Array.from({ length: C }, (_, i) => (p.per_channel ? cases[(j + i) % cases.length]![0] : c[0])),
      c[1],
      Array.from({ length: nS }, (_, i) => cases[(j + i) % cases.length]![2]),
      Array.from({ length: nS }, (_, i) => cases[(j + i) % cases.length]![3]),
    ));
  };
  return {
    inputs: [...Array.from({ length: C }, (_, i) => portOf(`x${i}`, p.input)), portOf('offset', int(32)), ...lanePorts('scaling', int(16), p), ...lanePorts('shifter', int(5, false), p)],
    outputs: Array.from({ length: C }, (_, i) => portOf(`y${i}`, p.output)),
    latency: 4,
    random: (count: number, rng: Rng) => Array.from({ length: count }, () => row(
      Array.from({ length: C }, () => logUniform(rng, xlo, xhi)),
      rng.below(4) === 0 ? randomCode(int(32), rng) : logUniform(rng, -(1n << 20n), 1n << 20n),
      Array.from({ length: nS }, () => randomCode(int(16), rng)),
      Array.from({ length: nS }, () => rng.below(32)),
    )),
    corners,
    exhaustive: () => undefined,
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map((r) => Array.from({ length: C }, (_, i) => {
      const j = p.per_channel ? i : 0;
      return nvdlaCvt(r[i]!, { offset: r[C]!, scaling: r[C + 1 + j]!, shifter: Number(r[C + 1 + nS + j]!), outType });
    })),
  };
}

/** The `requantizer` generator's model (TFLite, gemmini or nvdla per `preset`; fp32 per `scale`), from its params. */
export function requantizerGeneratorModel(p: GeneratorParams<typeof requantizerGenerator>): TransactionModel {
  if (p.scale === 'fp32') return requantFp32Model(p);
  if (p.preset === 'gemmini') return gemminiModel(p);
  if (p.preset === 'nvdla') return nvdlaModel(p);
  return requantModel(p);
}
