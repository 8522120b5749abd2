/**
 * `fp_mac`: a float multiply-accumulate PE. acc <= (clear ? +0 : acc) + a*b when en, else
 * (clear ? +0 : acc). Ports: `a`, `b` (codes), `en`, `clear`, output `acc_out` (accumulator
 * code). Latency 1; `rst` (synchronous, active high) loads +0.
 * Rounding points: `fused` = true: the exact product is added to the accumulator exactly and the
 * sum rounded once to the accumulator format (fma). `fused` = false: the product is first rounded
 * to the accumulator format (it may overflow or flush), then the sum is rounded (two roundings).
 * Round-to-nearest-even, IEEE overflow (±Inf), subnormals per `subnormals` (flush: inputs, the
 * accumulator and every rounded result).
 */
import { defineModule, UInt, type BuiltDesign } from '../index.ts';
import { asFloat, describeRounding, floatInput, type FloatFormat, type SubnormalMode } from '../float/format.ts';
import { alignedAdd, exactMul, roundToFloat } from '../float/arith.ts';
import { exactOf, unpackFloat } from '../float/unpack.ts';

export interface FpMacParams {
  readonly name: string;
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly accumulator: FloatFormat;
  readonly fused: boolean;
  readonly subnormals: SubnormalMode;
}

export function buildFpMac(p: FpMacParams): BuiltDesign {
  const o = { saturate: false, subnormals: p.subnormals };
  const flush = { flush: p.subnormals === 'flush' };
  const accF = p.accumulator;
  return defineModule(p.name, (m) => {
    m.doc(`float multiply-accumulate: acc <= (clear ? +0 : acc) + a*b when en; a ${p.a.name}, b ${p.b.name}, accumulator ${accF.name}`);
    m.doc(p.fused
      ? 'fused: the exact product is added exactly to the accumulator and rounded once (fma)'
      : `unfused: the product is rounded to ${accF.name} first, then the sum is rounded (two roundings)`);
    m.doc(describeRounding(accF, o));
    m.doc('rst synchronous, active high: acc = +0');
    m.latency(1);
    const a = floatInput(m, 'a', p.a);
    const b = floatInput(m, 'b', p.b);
    const en = m.input('en', UInt(1));
    const clear = m.input('clear', UInt(1));
    const t = UInt(accF.width);
    const acc = m.reg('acc', t, { reset: 0n });
    const base = clear.choose(m.constant(0n, t), acc);
    let prod = exactMul(exactOf(unpackFloat(a, flush)), exactOf(unpackFloat(b, flush)));
    if (!p.fused) prod = exactOf(unpackFloat(roundToFloat(prod, accF, o), { flush: false }));
    const sum = alignedAdd(prod, exactOf(unpackFloat(asFloat(base, accF), flush)), accF.manBits);
    acc.next(en.choose(roundToFloat(sum, accF, o).sig, base));
    m.output('acc_out', t).drive(acc);
  });
}
