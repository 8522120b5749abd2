/**
 * Transaction model of `requantizer` (preset none), from the golden library:
 * y = clampInt(multiplyByQuantizedMultiplier(x, m, s, rounding) + zero_point, lo, hi) with
 * [lo, hi] = [qmin, qmax] (none), [zero_point, qmax] (relu), [zero_point, act_max] (relu6).
 * Rows are independent. Stimulus stays inside the reference's domain (where TFLite's C code is
 * defined): see `dsl/npu/requantizer.ts`. Latency: 4 (double_round), 3 (single_round).
 */
import { clampInt, intType, multiplyByQuantizedMultiplier, type IntType } from '../golden/index.ts';
import type { FixedFormat } from '../../formats/index.ts';
import { formatName } from '../../formats/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { codeRange, portOf } from './ports.ts';
import type { Port } from '../../formats/port.ts';

export interface RequantModelParams {
  readonly input: FixedFormat;
  readonly output: FixedFormat;
  readonly per_channel: boolean;
  readonly channels: number;
  readonly rounding: 'double_round' | 'single_round';
  readonly activation: 'none' | 'relu' | 'relu6';
}

const I32_MIN = -(1n << 31n);
const I32_MAX = (1n << 31n) - 1n;

/**
 * A signed value with a uniformly chosen bit length (log-uniform magnitude) inside [lo, hi]:
 * covers small and large magnitudes alike, unlike a uniform draw over 2^32.
 */
export function logUniform(rng: Rng, lo: bigint, hi: bigint): bigint {
  const bits = rng.below(34);
  const mag = bits === 0 ? 0n : rng.bigBits(bits) | (1n << BigInt(bits - 1));
  const v = rng.below(2) === 0 ? mag : -mag;
  return v < lo ? lo : v > hi ? hi : v;
}

/** The int type of a format's codes, for the golden library. */
export function intTypeOf(f: FixedFormat): IntType {
  return intType(f.width, f.signed);
}

/** Port names in the generated top's order: x*, multiplier*, shift*, zero_point, act_max. */
function inputPorts(p: RequantModelParams): Port[] {
  const C = p.channels;
  const lanes = (base: string, f: FixedFormat): Port[] => (p.per_channel ? Array.from({ length: C }, (_, i) => portOf(`${base}${i}`, f)) : [portOf(base, f)]);
  const int = (w: number): FixedFormat => ({ kind: 'fixed', width: w, intBits: w, signed: true });
  return [
    ...Array.from({ length: C }, (_, i) => portOf(`x${i}`, p.input)),
    ...lanes('multiplier', int(32)),
    ...lanes('shift', int(8)),
    portOf('zero_point', p.output),
    ...(p.activation === 'relu6' ? [portOf('act_max', p.output)] : []),
  ];
}

/** One lane's scale: multiplier and shift. */
interface Scale { readonly m: bigint; readonly s: number }

export function requantModel(p: RequantModelParams): TransactionModel {
  const C = p.channels;
  const nScales = p.per_channel ? C : 1;
  const outT = intTypeOf(p.output);
  const [qmin, qmax] = codeRange(p.output);
  const [xlo, xhi] = codeRange(p.input);
  const relu6 = p.activation === 'relu6';
  const single = p.rounding === 'single_round';
  /** Inclusive x range for which x * 2^max(s,0) fits int32 (and the single-round result fits). */
  const xRange = (s: number): [bigint, bigint] => {
    if (s <= 0) return [xlo, xhi];
    const lim = 1n << BigInt(31 - s);
    return [-lim > xlo ? -lim : xlo, lim - 1n < xhi ? lim - 1n : xhi];
  };
  const clampX = (x: bigint, s: number): bigint => {
    const [lo, hi] = xRange(s);
    return x < lo ? lo : x > hi ? hi : x;
  };
  const pack = (xs: readonly bigint[], scales: readonly Scale[], zp: bigint, actMax: bigint): bigint[] => [
    ...xs.map((x, i) => clampX(x, scales[p.per_channel ? i : 0]!.s)),
    ...scales.map((sc) => sc.m),
    ...scales.map((sc) => BigInt(sc.s)),
    zp,
    ...(relu6 ? [actMax] : []),
  ];
  const randomScale = (rng: Rng): Scale => {
    const k = rng.below(16);
    // Mostly realistic shifts (-20..0), every legal shift sometimes.
    const s = k < 10 ? -rng.below(21) : -31 + rng.below(62);
    const m = k % 4 === 0 ? (single ? BigInt(rng.u32() >>> 1) : BigInt(rng.u32() | 0)) : BigInt((1 << 30) + rng.below(1 << 30)) * (single || k % 3 !== 0 ? 1n : -1n);
    return { m, s };
  };
  const scaleOf = (row: StimulusRow, i: number): Scale => {
    const j = p.per_channel ? i : 0;
    return { m: row[C + j]!, s: Number(row[C + nScales + j]!) };
  };
  const bounds = (zp: bigint, actMax: bigint): [bigint, bigint] => (p.activation === 'none' ? [qmin, qmax] : [zp, relu6 ? actMax : qmax]);

  const corners = (): StimulusRow[] => {
    const cases: [bigint, Scale][] = [];
    const add = (x: bigint, m: bigint, s: number): void => {
      if (single && m < 0n) return;
      const [lo, hi] = xRange(s);
      if (x >= lo && x <= hi) cases.push([x, { m, s }]);
    };
    const half = 1n << 30n;
    // Extremes of x, multiplier and shift (MIN*MIN is the SRDHM saturation).
    for (const x of [xlo, xhi, 0n, 1n, -1n]) for (const m of [I32_MIN, I32_MAX, 0n, 1n, -1n, half]) for (const s of [-31, -30, -1, 0, 1, 29, 30]) add(x, m, s);
    // x at the largest magnitude a left shift allows, every shift.
    for (let s = 1; s <= 30; s++) for (const m of [I32_MAX, half, I32_MIN]) { const [lo, hi] = xRange(s); add(lo, m, s); add(hi, m, s); }
    for (let j = 0n; j < 4n; j++) {
      // SRDHM ties: x*m = (2j+1) * 2^30 exactly (round half up).
      for (const sg of [1n, -1n]) add(sg * (2n * j + 1n), half, 0);
      // RoundingDivideByPOT ties (ties away from zero): m = 2^30, x even makes SRDHM = x/2 exact.
      for (let r = 1; r <= 31; r++) for (const sg of [1n, -1n]) add(sg * (2n * j + 1n) << BigInt(r), half, -r);
      // Single-rounding ties: x*m = (2j+1) * 2^(30-s).
      for (let s = -31; s <= 0; s++) for (const sg of [1n, -1n]) add(sg * (2n * j + 1n) << BigInt(-s), half, s);
      for (let s = 1; s <= 30; s++) { const m = (2n * j + 1n) << BigInt(30 - s); if (m <= I32_MAX) for (const sg of [1n, -1n]) add(sg, m, s); }
    }
    // Output saturation edges: with m = 2^30, s = 1 the scaled value is x itself.
    for (const edge of [qmin, qmax]) for (let d = -2n; d <= 2n; d++) add(edge + d, half, 1);
    const rows: StimulusRow[] = [];
    const zps = [0n, qmin, qmax, (qmin + qmax) / 2n];
    cases.forEach(([x], j) => {
      const zp = zps[j % zps.length]!;
      const actMax = j % 3 === 0 ? zp : j % 3 === 1 ? qmax : zp + (qmax - zp) / 2n;
      const scales = Array.from({ length: nScales }, (_, i) => cases[(j + i) % cases.length]![1]);
      const xs = Array.from({ length: C }, (_, i) => (p.per_channel ? cases[(j + i) % cases.length]![0] : x));
      rows.push(pack(xs, scales, zp, actMax));
    });
    // Saturation edges with zero points moving the result across qmin/qmax.
    for (const zp of [qmin, qmin + 1n, 0n, qmax - 1n, qmax]) for (const edge of [qmin - zp, qmax - zp]) for (let d = -1n; d <= 1n; d++) {
      const scale = { m: half, s: 1 };
      rows.push(pack(Array.from({ length: C }, () => edge + d), Array.from({ length: nScales }, () => scale), zp, qmax));
    }
    return rows;
  };

  return {
    inputs: inputPorts(p),
    outputs: Array.from({ length: C }, (_, i) => portOf(`y${i}`, p.output)),
    latency: single ? 3 : 4,
    random: (count: number, rng: Rng) => Array.from({ length: count }, () => {
      const scales = Array.from({ length: nScales }, () => randomScale(rng));
      const xs = Array.from({ length: C }, () => logUniform(rng, xlo, xhi));
      const zp = qmin + rng.bigBits(p.output.width);
      const actMax = zp + BigInt(rng.below(Number(qmax - zp) + 1));
      return pack(xs, scales, zp, actMax);
    }),
    corners,
    exhaustive: () => undefined,
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map((row) => {
      const zp = row[C + 2 * nScales]!;
      const [lo, hi] = bounds(zp, relu6 ? row[C + 2 * nScales + 1]! : qmax);
      return Array.from({ length: C }, (_, i) => {
        const { m, s } = scaleOf(row, i);
        return clampInt(multiplyByQuantizedMultiplier(row[i]!, m, s, p.rounding) + zp, lo, hi);
      });
    }),
  };
}

/**
 * Exhaustive sweeps of single operations (each <= 2^16 rows): (a) the output stage, y =
 * clamp(x + zero_point) for every x in [-2^(w-1).. ) x every zero point, through the identity
 * scale (m = 2^30, s = 1); (b) RoundingDivideByPOT / the single-rounding shift for every
 * shift -31..0 and every x in a 2048-value window.
 */
export function requantSweeps(p: RequantModelParams): { outputStage: StimulusRow[]; shiftRounding: StimulusRow[] } {
  const C = p.channels;
  const nScales = p.per_channel ? C : 1;
  const [qmin, qmax] = codeRange(p.output);
  const span = qmax - qmin + 1n;
  const row = (x: bigint, m: bigint, s: number, zp: bigint, actMax: bigint): bigint[] => [
    ...Array.from({ length: C }, () => x),
    ...Array.from({ length: nScales }, () => m),
    ...Array.from({ length: nScales }, () => BigInt(s)),
    zp,
    ...(p.activation === 'relu6' ? [actMax] : []),
  ];
  const outputStage: StimulusRow[] = [];
  // x covers [-span, span) clipped to 2^16 / span values per zero point, centred on 0.
  const xSpan = 65536n / span;
  for (let zp = qmin; zp <= qmax; zp++) for (let x = -xSpan / 2n; x < xSpan / 2n; x++) outputStage.push(row(x, 1n << 30n, 1, zp, qmax));
  const shiftRounding: StimulusRow[] = [];
  const [xlo, xhi] = codeRange(p.input);
  for (let s = -31; s <= 0; s++) for (let x = -1024n; x < 1024n; x++) {
    const v = x << BigInt(Math.min(-s, 20));
    if (v >= xlo && v <= xhi) shiftRounding.push(row(v, 1n << 30n, s, 0n, qmax));
  }
  return { outputStage, shiftRounding };
}

export function describeRequantModel(p: RequantModelParams): string {
  return `requantizer ${p.channels} x ${formatName(p.input)} -> ${formatName(p.output)} (${p.rounding}, ${p.activation}${p.per_channel ? ', per channel' : ''})`;
}

export { I32_MIN, I32_MAX };
