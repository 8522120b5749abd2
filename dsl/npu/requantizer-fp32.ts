/**
 * `requantizer` with `scale: fp32`: onnxruntime's float-scale requantization (MLAS
 * `MlasRequantizeOutput`, golden `requantizeFp32`), which is also Gemmini's fp32 `acc_scale`:
 *
 *   y = clamp(rne(fp32(fp32(x) * multiplier)) + zero_point, out_min, out_max)
 *
 * Ports: `x<i>` (input format, a signed integer of at most 32 bits), `multiplier` /
 * `multiplier<i>` (UInt(32): a binary32 code), `zero_point`, `out_min`, `out_max` (output
 * format); outputs `y<i>` (output format). Latency 3, one row per cycle, no reset; every parameter
 * travels down the pipeline with its row, so all may change every cycle:
 *   1. f = fp32(x): int -> binary32, round to nearest even (exact below 2^24);
 *   2. p = f * multiplier: exact 24 x 24-bit significand product, rounded once to binary32 (rne,
 *      IEEE overflow to ±Inf, subnormals kept);
 *   3. r = rne(p) saturated to SInt(w + 2) (w = output width), v = r + zero_point, clamp to
 *      [out_min, out_max], registered output. Saturating at w + 2 bits instead of 32 changes
 *      nothing: every value the clamp can keep, out_min - zp .. out_max - zp, lies in
 *      [-2^w, 2^w], and saturation is monotone.
 * Domain: a finite multiplier and out_min <= out_max. Outside it the hardware is deterministic
 * but unchecked: a NaN product gives r = 0 (y = clamp(zero_point)); out_min > out_max gives out_max.
 */
import { defineModule, UInt, type BuiltDesign } from '../index.ts';
import { codeType } from '../types/bits.ts';
import { formatName } from '../../formats/number-format.ts';
import { SInt } from '../builder/module.ts';
import { fp32, type FloatOpOptions } from '../float/format.ts';
import { floatMul } from '../float/arith.ts';
import { floatToInt, intToFloat } from '../float/int-convert.ts';
import type { Sig } from '../builder/signal.ts';
import { clampTo, laneParams, pipe } from './requant-stages.ts';
import type { RequantizerParams } from './requantizer.ts';

export const REQUANT_FP32_LATENCY = 3;

const IEEE: FloatOpOptions = { saturate: false, subnormals: 'ieee' };

export function buildRequantizerFp32(p: RequantizerParams): BuiltDesign {
  const C = p.channels;
  const inT = codeType(p.input);
  const outT = codeType(p.output);
  const w = p.output.width;
  return defineModule(p.name, (m) => {
    m.doc(`requantize ${C} channel(s) ${formatName(p.input)} -> ${formatName(p.output)} with a binary32 multiplier${p.per_channel ? ' per channel' : ''} (onnxruntime MLAS / Gemmini acc_scale): y = clamp(rne(fp32(fp32(x) * multiplier)) + zero_point, out_min, out_max)`);
    m.doc('stage 1: int -> fp32 (rne); stage 2: fp32 multiply (rne, overflow to Inf, subnormals kept); stage 3: fp32 -> int (rne, saturating), + zero_point, clamp (registered output)');
    m.latency(REQUANT_FP32_LATENCY);
    const xs = Array.from({ length: C }, (_, i) => m.input(`x${i}`, inT));
    const ys = Array.from({ length: C }, (_, i) => m.output(`y${i}`, outT));
    const mults = laneParams(m, 'multiplier', UInt(32), p.per_channel, C);
    const zp = m.input('zero_point', outT);
    const lo = m.input('out_min', outT);
    const hi = m.input('out_max', outT);
    const delay2 = (name: string, v: Sig): Sig => pipe(m, `s2_${name}`, pipe(m, `s1_${name}`, v));
    const [zp2, lo2, hi2] = [delay2('zero_point', zp), delay2('out_min', lo), delay2('out_max', hi)];
    // A per-tensor multiplier is registered once and shared by the lanes.
    const mult1 = new Map<Sig, Sig>();
    const multAt1 = (s: Sig, i: number): Sig => {
      let r = mult1.get(s);
      if (r === undefined) { r = pipe(m, p.per_channel ? `s1_multiplier${i}` : 's1_multiplier', s); mult1.set(s, r); }
      return r;
    };
    const rType = SInt(w + 2);
    xs.forEach((x, i) => {
      const f = pipe(m, `s1_f${i}`, intToFloat(x, fp32, IEEE).sig);
      const prod = pipe(m, `s2_p${i}`, floatMul({ sig: f, format: fp32 }, { sig: multAt1(mults[i]!, i), format: fp32 }, fp32, IEEE).sig);
      const r = floatToInt({ sig: prod, format: fp32 }, rType);
      ys[i]!.drive(pipe(m, `out_y${i}`, clampTo(r.add(zp2), lo2, hi2, p.output)));
    });
  });
}

