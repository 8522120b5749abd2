/**
 * `fp_mac`: a float multiply-accumulate PE. acc <= (clear ? +0 : acc) + a*b when en, else
 * (clear ? +0 : acc). Ports: `a`, `b` (codes), `en`, `clear`, output `acc_out` (accumulator
 * code). Latency 1 + `pipeline_stages`; `rst` (synchronous, active high) loads +0.
 * Rounding points: `fused` = true: the exact product is added to the accumulator exactly and the
 * sum rounded once to the accumulator format (fma). `fused` = false: the product is first rounded
 * to the accumulator format (it may overflow or flush), then the sum is rounded (two roundings).
 * Round-to-nearest-even, IEEE overflow (±Inf), subnormals per `subnormals` (flush: inputs, the
 * accumulator and every rounded result).
 *
 * `pipeline_stages` (0 or 1, default 0). 1 registers the exact product (unfused: the product
 * already rounded to the accumulator format) together with `en` and `clear`, so the loop-carried
 * path is only align + add + round. The accumulation sequence is unchanged; acc_out shows the
 * accumulator after row i two cycles after row i instead of one. The product registers have no
 * reset; `en_d` and `clear_d` reset to 0 with `acc`, so rows applied during `rst` are dropped,
 * as without the stage.
 */
import { defineModule, UInt, type BuiltDesign, type ModuleBuilder, type Sig } from '../index.ts';
import { asFloat, describeRounding, floatInput, type FloatFormat, type SubnormalMode } from '../float/format.ts';
import { alignedAdd, exactMul, roundToFloat } from '../float/arith.ts';
import { exactOf, unpackFloat } from '../float/unpack.ts';
import { checkStages, registerExact } from './fp-mul.ts';
import { rtlGenerator } from './define.ts';
import { boolParam } from './params.ts';
import { checkNanFreeResult, floatFormatParam, pipelineStagesParam, subnormalsParam } from './fp-params.ts';

export interface FpMacParams {
  readonly name: string;
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly accumulator: FloatFormat;
  readonly fused: boolean;
  readonly subnormals: SubnormalMode;
  /** 0 or 1 product register stage (latency 1 + stages); absent = 0. */
  readonly pipeline_stages?: number;
}

export function buildFpMac(p: FpMacParams): BuiltDesign {
  const o = { saturate: false, subnormals: p.subnormals };
  const flush = { flush: p.subnormals === 'flush' };
  const accF = p.accumulator;
  const stages = p.pipeline_stages ?? 0;
  checkStages('fp_mac', p.name, stages);
  checkNanFreeResult('accumulator', p.accumulator, { a: p.a, b: p.b });
  if (stages > 1) throw new RangeError(`fp_mac '${p.name}': pipeline_stages must be 0 or 1, got ${stages}`);
  return defineModule(p.name, (m) => {
    m.doc(`float multiply-accumulate: acc <= (clear ? +0 : acc) + a*b when en; a ${p.a.name}, b ${p.b.name}, accumulator ${accF.name}`);
    m.doc(p.fused
      ? 'fused: the exact product is added exactly to the accumulator and rounded once (fma)'
      : `unfused: the product is rounded to ${accF.name} first, then the sum is rounded (two roundings)`);
    m.doc(describeRounding(accF, o));
    m.doc('rst synchronous, active high: acc = +0');
    if (stages > 0) m.doc('pipeline: 1 stage, latency 2: the exact product (unfused: rounded product), en and clear registered (en_d, clear_d reset to 0); loop: align + add + round');
    m.latency(1 + stages);
    const a = floatInput(m, 'a', p.a);
    const b = floatInput(m, 'b', p.b);
    let en = m.input('en', UInt(1));
    let clear = m.input('clear', UInt(1));
    const t = UInt(accF.width);
    const acc = m.reg('acc', t, { reset: 0n });
    if (stages > 0) [en, clear] = [controlReg(m, 'en_d', en), controlReg(m, 'clear_d', clear)];
    const base = clear.choose(m.constant(0n, t), acc).named('acc_base');
    let prod = exactMul(exactOf(unpackFloat(a, flush)), exactOf(unpackFloat(b, flush)));
    if (!p.fused) {
      const rounded = roundToFloat(prod, accF, o);
      rounded.sig.named('prod_rounded');
      prod = exactOf(unpackFloat(rounded, { flush: false }));
    }
    if (stages > 0) prod = registerExact(m, 'prod', prod);
    const sum = alignedAdd(prod, exactOf(unpackFloat(asFloat(base, accF), flush)), accF.manBits);
    acc.next(en.choose(roundToFloat(sum, accF, o).sig.named('acc_sum'), base));
    m.output('acc_out', t).drive(acc);
  });
}

/** A one-bit control pipeline register, reset to 0 with the accumulator. */
function controlReg(m: ModuleBuilder, name: string, x: Sig): Sig {
  const r = m.reg(name, UInt(1), { reset: 0n });
  r.next(x);
  return r;
}

/** `generator: fp_mac` in design files. */
export const fpMacGenerator = rtlGenerator({
  name: 'fp_mac',
  doc: 'float multiply-accumulate PE: acc <= (clear ? +0 : acc) + a*b when en; fused (one rounding) or unfused',
  params: {
    a: floatFormatParam('operand a float format', 'fp8_e4m3'),
    b: floatFormatParam('operand b float format', 'fp8_e4m3'),
    accumulator: floatFormatParam('accumulator float format (fp32, fp16, bf16, ...)', 'fp32'),
    fused: boolParam('true: acc + a*b rounded once; false: the product is rounded to the accumulator format first', true),
    subnormals: subnormalsParam(),
    pipeline_stages: pipelineStagesParam('0 or 1: 1 registers the exact product with en and clear, so the loop is add + round only', 1),
  },
  build: (name, p) => buildFpMac({ name, ...p }),
});
