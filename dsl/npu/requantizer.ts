/**
 * `requantizer`: int32 accumulators to narrow integer outputs, `channels` lanes in parallel,
 * with every scale parameter a run-time input port (one per tensor, or one per lane when
 * `per_channel`). Each row of inputs is independent: the parameters travel down the pipeline
 * with their data, so they may change every cycle. No reset (pure data path, no handshake).
 *
 * Default (`preset: none`): TFLite/gemmlowp `MultiplyByQuantizedMultiplier`, + zero point, clamp.
 *   Ports: `x<i>` (input format, int32), `multiplier` / `multiplier<i>` (int32), `shift` /
 *   `shift<i>` (int8, signed: positive = left), `zero_point` (output format), `act_max`
 *   (output format, relu6 only), outputs `y<i>` (output format).
 *   - `double_round` (TFLite default), latency 4:
 *       1. xs = x << max(s, 0) (32-bit, wraps like C: inside the reference's domain x * 2^s fits);
 *          P = xs * m (exact, 64 bits).
 *       2. SRDHM: h = saturate32(floor(P / 2^31) + P[30]) = round-half-up(P / 2^31); MIN*MIN -> MAX.
 *       3. RoundingDivideByPOT by r = max(-s, 0): q = floor(h / 2^r), increment = half bit AND
 *          (h >= 0 OR any lower bit) (ties away from zero); exact for any r (r > 31 gives 0).
 *       4. v = q + increment + zero_point (exact), clamp, registered output.
 *   - `single_round` (TFLITE_SINGLE_ROUNDING), latency 3:
 *       1. P = x * m (exact, 64 bits); k1 = clamp(30 - s, 0, 63).
 *       2. t = saturate33(floor(P / 2^k1)) (exact inside the domain, where the result fits int32).
 *       3. v = floor(t / 2) + t[0] + zero_point (ties toward +inf), clamp, registered output.
 *   Clamp (TFLite order: max with the low bound, then min with the high bound):
 *     none: [qmin, qmax]; relu: [zero_point, qmax]; relu6: [zero_point, act_max], where the host
 *     computes act_max = min(qmax, zero_point + round(6 / scale)) as TFLite does (act_max <
 *     zero_point is outside the contract: the output is act_max).
 *   Domain (that of the reference): s in [-31, 30] and x * 2^max(s,0) fitting int32 (double);
 *   m >= 0, s in [-31, 30] and the scaled result fitting int32 (single). Outside it the hardware
 *   is deterministic (stated above) but not checked against anything.
 *
 * `preset: gemmini` (Gemmini's integer rounding-shift output scaling), latency 2:
 *   ports `x<i>`, `shift` / `shift<i>` (uint5, 0..31), outputs `y<i>` int8:
 *   y = saturate8(act(round_half_even(x / 2^shift))), act = identity or relu. Gemmini's fp32
 *   `acc_scale` is `scale: fp32` below (zero point 0, clamp [-128, 127], or [0, 127] for relu).
 * `scale: fp32` (preset none; onnxruntime's QLinearMatMul/QLinearConv/QGemm requantization,
 *   Gemmini's fp32 acc_scale), latency 3: see `requantizer-fp32.ts`.
 * `preset: nvdla` (NVDLA SDP INT output convertor `cvt`), latency 4:
 *   ports `x<i>`, `offset` (int32), `scaling` / `scaling<i>` (int16), `shifter` / `shifter<i>`
 *   (uint5), outputs `y<i>` int8 or int16:
 *   y = saturate(round_half_away((x - offset) * scaling / 2^shifter)). No activation.
 */
import { defineModule, SInt, UInt, type BuiltDesign } from '../index.ts';
import type { Sig } from '../builder/signal.ts';
import { codeType } from '../types/bits.ts';
import { formatName } from '../../formats/number-format.ts';
import { isInteger, type FixedFormat } from '../../formats/fixed.ts';
import { clampTo, ext32, laneParams, pipe } from './requant-stages.ts';
import { buildRequantizerFp32, REQUANT_FP32_LATENCY } from './requantizer-fp32.ts';
import { rtlGenerator } from './define.ts';
import { boolParam, enumParam, formatParam, intParam } from './params.ts';
import { intFormat } from '../../formats/fixed.ts';

export type RequantRounding = 'double_round' | 'single_round';
export type RequantActivation = 'none' | 'relu' | 'relu6';
export type RequantPreset = 'none' | 'gemmini' | 'nvdla';
/** `int`: an int32 multiplier and a shift (TFLite); `fp32`: a binary32 multiplier (onnxruntime, Gemmini acc_scale). */
export type RequantScale = 'int' | 'fp32';

export interface RequantizerParams {
  readonly name: string;
  /** Accumulator format: a signed integer of at most 32 bits (int32). */
  readonly input: FixedFormat;
  /** Output format: int4, int8 or uint8 (any integer of 2..16 bits); int8 for gemmini; int8 or int16 for nvdla. */
  readonly output: FixedFormat;
  readonly per_channel: boolean;
  readonly channels: number;
  readonly rounding: RequantRounding;
  readonly activation: RequantActivation;
  readonly preset: RequantPreset;
  /** Default `int`; `fp32` needs preset none and activation none (its clamp bounds are ports). */
  readonly scale?: RequantScale;
}

/** Latency in cycles for these params (the generator states the same number). */
export function requantizerLatency(p: Pick<RequantizerParams, 'preset' | 'rounding' | 'scale'>): number {
  if (p.scale === 'fp32') return REQUANT_FP32_LATENCY;
  if (p.preset === 'gemmini') return 2;
  if (p.preset === 'nvdla') return 4;
  return p.rounding === 'double_round' ? 4 : 3;
}

/** Throws a RangeError naming the first parameter combination the generator does not support. */
export function checkRequantizerParams(p: RequantizerParams): void {
  const bad = (msg: string): never => { throw new RangeError(`requantizer '${p.name}': ${msg}`); };
  if (!Number.isInteger(p.channels) || p.channels < 1) bad(`channels must be an integer >= 1, got ${p.channels}`);
  if (!isInteger(p.input) || !p.input.signed || p.input.width < 2 || p.input.width > 32) bad(`input must be a signed integer format of 2..32 bits (int32), got ${formatName(p.input)}`);
  if (!isInteger(p.output) || p.output.width < 2 || p.output.width > 16) bad(`output must be an integer format of 2..16 bits (int8, int4, uint8), got ${formatName(p.output)}`);
  if (p.preset === 'gemmini') {
    if (!p.output.signed || p.output.width !== 8) bad(`preset gemmini produces int8, got output ${formatName(p.output)}`);
    if (p.activation === 'relu6') bad('preset gemmini supports activation none or relu');
  }
  if (p.scale === 'fp32') {
    if (p.preset !== 'none') bad(`scale fp32 is the onnxruntime/Gemmini acc_scale stage itself; use preset none, got ${p.preset}`);
    if (p.activation !== 'none') bad('scale fp32 clamps to the run-time ports out_min/out_max (which express relu, relu6 and clip); use activation: none');
  }
  if (p.preset === 'nvdla') {
    if (!p.output.signed || (p.output.width !== 8 && p.output.width !== 16)) bad(`preset nvdla produces int8 or int16, got output ${formatName(p.output)}`);
    if (p.activation !== 'none') bad('preset nvdla has no activation (the convertor follows the SDP activation); use activation: none');
  }
}

type RoundMode = 'half_up' | 'half_away' | 'half_even';

/**
 * First half of a rounding right shift by a run-time amount: floor(v / 2^amount) and the UInt(1)
 * increment of `mode` (exact for any amount; amounts >= width give the sign's floor).
 */
function roundShiftParts(v: Sig, amount: Sig, mode: RoundMode): { q: Sig; inc: Sig } {
  const w = v.width;
  const t = v.shl(1); // one extra bit below the LSB, so the rounding bit is t'[0] for every amount
  const shifted = t.shr(amount);
  const q = shifted.shr(1);
  const half = shifted.bit(0);
  const ones = v.constantOf((1n << BigInt(w + 1)) - 1n, UInt(w + 1));
  const sticky = t.asUnsigned().and(ones.shlWrap(amount).not()).orR();
  switch (mode) {
    case 'half_up': return { q, inc: half };
    case 'half_away': return { q, inc: half.and(v.bit(w - 1).not().or(sticky)) };
    case 'half_even': return { q, inc: half.and(sticky.or(q.bit(0))) };
  }
}

export function buildRequantizer(p: RequantizerParams): BuiltDesign {
  checkRequantizerParams(p);
  if (p.scale === 'fp32') return buildRequantizerFp32(p);
  const C = p.channels;
  const inT = codeType(p.input);
  const outT = codeType(p.output);
  return defineModule(p.name, (m) => {
    const xs = Array.from({ length: C }, (_, i) => m.input(`x${i}`, inT));
    const ys = Array.from({ length: C }, (_, i) => m.output(`y${i}`, outT));
    if (p.preset === 'gemmini') {
      m.doc(`Gemmini output scaling (rounding-shift mode), ${C} channel(s)${p.per_channel ? ', shift per channel' : ''}: y = saturate_int8(${p.activation === 'relu' ? 'relu(' : ''}round_half_even(x / 2^shift)${p.activation === 'relu' ? ')' : ''})`);
      m.doc('stage 1: floor shift, half/sticky bits; stage 2: increment, activation, saturate (registered output)');
      m.latency(requantizerLatency(p));
      const shifts = laneParams(m, 'shift', UInt(5), p.per_channel, C);
      xs.forEach((x, i) => {
        const { q, inc } = roundShiftParts(ext32(x), shifts[i]!, 'half_even');
        const v = pipe(m, `s1_q${i}`, q).add(pipe(m, `s1_inc${i}`, inc));
        const act = p.activation === 'relu' ? v.lt(0).choose(0, v) : v;
        ys[i]!.drive(pipe(m, `s2_y${i}`, act.saturate(8)));
      });
      return;
    }
    if (p.preset === 'nvdla') {
      m.doc(`NVDLA INT output convertor, ${C} channel(s)${p.per_channel ? ', scaling and shifter per channel' : ''}: y = saturate_${formatName(p.output)}(round_half_away((x - offset) * scaling / 2^shifter))`);
      m.doc('stage 1: x - offset; stage 2: * scaling (49 bits); stage 3: floor shift, half/sticky bits; stage 4: increment, saturate (registered output)');
      m.latency(requantizerLatency(p));
      const offset = m.input('offset', SInt(32));
      const scalings = laneParams(m, 'scaling', SInt(16), p.per_channel, C);
      const shifters = laneParams(m, 'shifter', UInt(5), p.per_channel, C);
      xs.forEach((x, i) => {
        const d = pipe(m, `s1_d${i}`, x.sub(offset));
        const sc1 = pipe(m, `s1_scaling${i}`, scalings[i]!);
        const sh1 = pipe(m, `s1_shifter${i}`, shifters[i]!);
        const prod = pipe(m, `s2_p${i}`, d.mul(sc1));
        const sh2 = pipe(m, `s2_shifter${i}`, sh1);
        const { q, inc } = roundShiftParts(prod, sh2, 'half_away');
        const v = pipe(m, `s3_q${i}`, q).add(pipe(m, `s3_inc${i}`, inc));
        ys[i]!.drive(pipe(m, `s4_y${i}`, v.saturate(p.output.width)));
      });
      return;
    }
    const actText = p.activation === 'none' ? `[${formatName(p.output)} min, max]` : p.activation === 'relu' ? '[zero_point, max]' : '[zero_point, act_max]';
    m.doc(`requantize ${C} channel(s) ${formatName(p.input)} -> ${formatName(p.output)}: y = clamp(MultiplyByQuantizedMultiplier(x, multiplier, shift) + zero_point) to ${actText}; ${p.rounding}${p.per_channel ? '; multiplier and shift per channel' : ''}`);
    m.doc(p.rounding === 'double_round'
      ? 'stage 1: x << max(shift,0) (wraps), * multiplier; stage 2: SRDHM (round half up, saturating); stage 3: RoundingDivideByPOT floor shift, half/sticky bits (ties away); stage 4: + increment + zero_point, clamp (registered output)'
      : 'stage 1: x * multiplier; stage 2: floor shift by 30 - shift (saturated to 33 bits); stage 3: + half bit (ties up) + zero_point, clamp (registered output)');
    m.latency(requantizerLatency(p));
    const mults = laneParams(m, 'multiplier', SInt(32), p.per_channel, C);
    const shifts = laneParams(m, 'shift', SInt(8), p.per_channel, C);
    const zp = m.input('zero_point', outT);
    const actMax = p.activation === 'relu6' ? m.input('act_max', outT) : undefined;
    // Run-time per-tensor parameters, delayed to the last stage.
    const stages = requantizerLatency(p);
    let zpD = zp;
    let actMaxD = actMax;
    for (let s = 1; s < stages; s++) {
      zpD = pipe(m, `s${s}_zero_point`, zpD);
      if (actMaxD !== undefined) actMaxD = pipe(m, `s${s}_act_max`, actMaxD);
    }
    const lo = p.activation === 'none' ? m.constant(p.output.signed ? -(1n << BigInt(p.output.width - 1)) : 0n, outT) : zpD;
    const hi = actMaxD ?? m.constant(p.output.signed ? (1n << BigInt(p.output.width - 1)) - 1n : (1n << BigInt(p.output.width)) - 1n, outT);
    // Shift amounts are computed once per shift port (shared by the lanes when per tensor).
    const amountCache = new Map<Sig, Sig[]>();
    const amounts = (s: Sig): Sig[] => {
      let a = amountCache.get(s);
      if (a === undefined) {
        const neg = s.lt(0);
        if (p.rounding === 'double_round') {
          const left = neg.choose(0, s).asUnsigned().wrap(7); // max(s, 0): 0..127
          const right = neg.choose(s.neg(), 0).asUnsigned().wrap(8); // max(-s, 0): 0..128
          a = [left, right];
        } else {
          const d = m.constant(30n, SInt(8)).sub(s); // 30 - s: -97..158
          a = [d.lt(0).choose(0, d.gt(63).choose(63, d)).asUnsigned().wrap(6)]; // clamp(30 - s, 0, 63)
        }
        amountCache.set(s, a);
      }
      return a;
    };
    xs.forEach((x, i) => {
      const amt = amounts(shifts[i]!);
      const mult = mults[i]!;
      let v: Sig;
      if (p.rounding === 'double_round') {
        // Only P[63:30] matters to SRDHM: register those 34 bits.
        const prod = pipe(m, `s1_p${i}`, ext32(x).shlWrap(amt[0]!).mul(mult).shr(30));
        const r1 = pipe(m, `s1_r${i}`, amt[1]!);
        const h = pipe(m, `s2_h${i}`, prod.shr(1).add(prod.bit(0)).saturate(32));
        const r2 = pipe(m, `s2_r${i}`, r1);
        const { q, inc } = roundShiftParts(h, r2, 'half_away');
        v = pipe(m, `s3_q${i}`, q).add(pipe(m, `s3_inc${i}`, inc));
      } else {
        const prod = pipe(m, `s1_p${i}`, ext32(x).mul(mult));
        const k = pipe(m, `s1_k${i}`, amt[0]!);
        const t = pipe(m, `s2_t${i}`, prod.shr(k).saturate(33));
        v = t.shr(1).add(t.bit(0));
      }
      ys[i]!.drive(pipe(m, `out_y${i}`, clampTo(v.add(zpD), lo, hi, p.output)));
    });
  });
}

/** `generator: requantizer` in design files. */
export const requantizerGenerator = rtlGenerator({
  name: 'requantizer',
  doc: 'int32 -> int8/int4/uint8 requantizer (TFLite MultiplyByQuantizedMultiplier, zero point, activation clamp) or the gemmini/nvdla output stages, or (scale: fp32) onnxruntime\'s float requantization = Gemmini acc_scale; run-time scale ports',
  params: {
    input: formatParam('accumulator format: a signed integer of at most 32 bits', intFormat(32, true)),
    output: formatParam('output format: int8, int4 or uint8 (int8 for gemmini, int8 or int16 for nvdla)', intFormat(8, true)),
    per_channel: boolParam('one multiplier and shift (scaling and shifter for nvdla) per channel instead of per tensor', false),
    channels: intParam('lanes requantized in parallel', 1, 1024, 1),
    rounding: enumParam('MultiplyByQuantizedMultiplier flavour (preset none)', ['double_round', 'single_round'], 'double_round'),
    activation: enumParam('clamp range: none [qmin, qmax], relu [zero_point, qmax], relu6 [zero_point, act_max input]', ['none', 'relu', 'relu6'], 'none'),
    preset: enumParam('none (TFLite), gemmini (rounding shift) or nvdla (output convertor)', ['none', 'gemmini', 'nvdla'], 'none'),
    scale: enumParam('int: int32 multiplier and shift (TFLite); fp32: binary32 multiplier (onnxruntime QLinearMatMul/QLinearConv, Gemmini acc_scale), clamp bounds out_min/out_max as ports', ['int', 'fp32'], 'int'),
  },
  build: (name, p) => buildRequantizer({ name, ...p }),
});
