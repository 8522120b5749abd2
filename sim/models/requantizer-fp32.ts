/**
 * Transaction model of `requantizer` with `scale: fp32`, from the golden library:
 * y = requantizeFp32(x, multiplier, zero_point, out_min, out_max) (onnxruntime MLAS order: fp32(x)
 * rne, fp32 multiply rne, rne to integer, + zero point, clamp). Rows are independent; latency 3.
 * Stimulus stays in the domain: finite multipliers and out_min <= out_max.
 */
import { fp32ToNumber, numberToFp32, requantizeFp32 } from '../golden/index.ts';
import type { FixedFormat } from '../../formats/fixed.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import type { Port } from '../../formats/port.ts';
import { codeRange, portOf } from './ports.ts';
import { logUniform } from './requantizer.ts';

export interface RequantFp32ModelParams {
  readonly input: FixedFormat;
  readonly output: FixedFormat;
  readonly per_channel: boolean;
  readonly channels: number;
}

const fp32Port = (name: string): Port => ({ name, width: 32, signed: false, format: 'fp32' });
const code = (x: number): bigint => BigInt(numberToFp32(x));

/** A random finite binary32 code: mostly realistic scales 2^-24 .. 4, sometimes any finite code or a power of two. */
export function randomFp32Multiplier(rng: Rng): bigint {
  const k = rng.below(20);
  if (k < 13) return code(Math.fround((1 + rng.below(1 << 23) / (1 << 23)) * 2 ** (-24 + rng.below(26))));
  if (k < 16) {
    const c = rng.u32();
    return ((c >>> 23) & 0xff) === 0xff ? BigInt((c & 0x807fffff) >>> 0) : BigInt(c); // exponent 255 (Inf/NaN) becomes a subnormal
  }
  if (k < 19) return code(2 ** -rng.below(32));
  return code([0, -0, 2 ** -149, 2 ** -126, 3.4028234663852886e38, -1][rng.below(6)]!);
}

export function requantFp32Model(p: RequantFp32ModelParams): TransactionModel {
  const C = p.channels;
  const nM = p.per_channel ? C : 1;
  const [qmin, qmax] = codeRange(p.output);
  const [xlo, xhi] = codeRange(p.input);
  const clampX = (x: bigint): bigint => (x < xlo ? xlo : x > xhi ? xhi : x);
  const row = (xs: readonly bigint[], ms: readonly bigint[], zp: bigint, lo: bigint, hi: bigint): bigint[] =>
    [...xs.map(clampX), ...ms, zp, lo, hi];
  const lanes = (v: bigint, n: number): bigint[] => Array<bigint>(n).fill(v);
  const inputs: Port[] = [
    ...Array.from({ length: C }, (_, i) => portOf(`x${i}`, p.input)),
    ...(p.per_channel ? Array.from({ length: C }, (_, i) => fp32Port(`multiplier${i}`)) : [fp32Port('multiplier')]),
    portOf('zero_point', p.output), portOf('out_min', p.output), portOf('out_max', p.output),
  ];

  const corners = (): StimulusRow[] => {
    const rows: bigint[][] = [];
    const add = (x: bigint, m: number, zp = 0n, lo = qmin, hi = qmax): void => { rows.push(row(lanes(x, C), lanes(code(m), nM), zp, lo, hi)); };
    // Extremes of x and of the multiplier: overflow to Inf, subnormal products, zero, signed zero.
    for (const x of [xlo, xhi, 0n, 1n, -1n]) for (const m of [0, -0, 1, -1, 2 ** -149, 2 ** -126, 3.4028234663852886e38, -3.4028234663852886e38, 2 ** -31, 0.5]) add(x, m);
    // int -> fp32 ties: x halfway between fp32 neighbours (quantum u = 2^(e-23)) at every binade
    // 2^24 .. 2^30, scaled by 2^-(e-5) into [32, 64) so that the fp32 rounding of x decides
    // whether the product is itself a tie: x = (j + 1/2) * 2^(e-5) + d for d around 0 and +-u.
    for (let e = 24; e <= 30; e++) {
      const u = 1n << BigInt(e - 23);
      const m = 2 ** -(e - 5);
      for (const j of [32n, 33n, 40n, 63n]) {
        const t = ((2n * j + 1n) << BigInt(e - 6));
        for (const d of [-u - 1n, -u, -u + 1n, -u / 2n, -1n, 0n, 1n, u / 2n, u - 1n, u, u + 1n]) for (const sg of [1n, -1n]) add(sg * (t + d), m);
      }
    }
    // Product ties: x * 2^-s = j + 1/2 exactly, for every s (rne to even).
    for (let s = 1; s <= 31; s++) for (const j of [0n, 1n, 2n, 5n, 100n]) for (const sg of [1n, -1n]) {
      const x = sg * ((2n * j + 1n) << BigInt(s - 1));
      if (x >= xlo && x <= xhi) add(x, 2 ** -s);
    }
    // Product rounding to fp32 decides a tie: 3 * (0.5 + 2^-24) = 1.5 + 3 * 2^-24 rounds up to 1.5 + 2^-22.
    add(3n, Math.fround(0.5 + 2 ** -24));
    add(-3n, Math.fround(0.5 + 2 ** -24));
    // Zero point and clamp edges: multiplier 1, results on and beside the bounds.
    for (const zp of [qmin, 0n, qmax, (qmin + qmax) / 2n]) for (const [lo, hi] of [[qmin, qmax], [zp, qmax], [qmin, zp], [zp, zp]] as const) {
      if (lo > hi || zp < qmin || zp > qmax) continue;
      for (const edge of [lo - zp, hi - zp]) for (let d = -2n; d <= 2n; d++) add(edge + d, 1, zp, lo, hi);
    }
    // Per-channel rows: different multipliers in each lane.
    if (p.per_channel) rows.push(row(Array.from({ length: C }, (_, i) => BigInt(1000 * (i + 1))), Array.from({ length: C }, (_, i) => code(2 ** -(i % 12))), 0n, qmin, qmax));
    return rows;
  };

  return {
    inputs,
    outputs: Array.from({ length: C }, (_, i) => portOf(`y${i}`, p.output)),
    latency: 3,
    random: (count: number, rng: Rng) => Array.from({ length: count }, () => {
      const zp = qmin + rng.bigBits(p.output.width);
      const a = qmin + rng.bigBits(p.output.width);
      const b = qmin + rng.bigBits(p.output.width);
      const [lo, hi] = rng.below(3) === 0 ? [qmin, qmax] : a <= b ? [a, b] : [b, a];
      return row(Array.from({ length: C }, () => logUniform(rng, xlo, xhi)), Array.from({ length: nM }, () => randomFp32Multiplier(rng)), zp, lo, hi);
    }),
    corners,
    exhaustive: () => undefined,
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map((r) => {
      const [zp, lo, hi] = [Number(r[C + nM]!), Number(r[C + nM + 1]!), Number(r[C + nM + 2]!)];
      return Array.from({ length: C }, (_, i) => {
        const m = fp32ToNumber(Number(r[C + (p.per_channel ? i : 0)]!));
        if (!Number.isFinite(m)) throw new RangeError(`requantizer fp32 model: multiplier ${m} is outside the domain (finite binary32)`);
        return BigInt(requantizeFp32(Number(r[i]!), m, zp, lo, hi));
      });
    }),
  };
}

/**
 * Exhaustive single-operation sweeps of `rows` rows each (default 2^16): (a) the output stage,
 * every x in a window around 0 times every zero point through the multiplier 1.0; (b) the
 * rounding of the product to an integer, every x in a window [-rows/64, rows/64) times every
 * multiplier 2^-s, s = 0..31 (exact products, every tie position).
 */
export function requantFp32Sweeps(p: RequantFp32ModelParams, rows = 65536): { outputStage: StimulusRow[]; productRounding: StimulusRow[] } {
  const C = p.channels;
  const nM = p.per_channel ? C : 1;
  const [qmin, qmax] = codeRange(p.output);
  const r = (x: bigint, m: number, zp: bigint): bigint[] => [...Array<bigint>(C).fill(x), ...Array<bigint>(nM).fill(code(m)), zp, qmin, qmax];
  const span = qmax - qmin + 1n;
  const xSpan = BigInt(rows) / span;
  const outputStage: StimulusRow[] = [];
  for (let zp = qmin; zp <= qmax; zp++) for (let x = -xSpan / 2n; x < xSpan / 2n; x++) outputStage.push(r(x, 1, zp));
  const productRounding: StimulusRow[] = [];
  const half = BigInt(rows / 64);
  for (let s = 0; s < 32; s++) for (let x = -half; x < half; x++) productRounding.push(r(x, 2 ** -s, 0n));
  return { outputStage, productRounding };
}
