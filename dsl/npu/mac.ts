/**
 * `mac`: a multiply-accumulate processing element for integer or fixed-point operands.
 *
 * Ports: `a`, `b` (operand codes), `en` (accumulate this cycle), `clear` (start a new sum: the
 * next state is a*b when en, else 0), output `acc_out`. Latency 1: the registered sum including
 * a*b is visible the cycle after the operands. Reset (`rst`, synchronous, active high) zeroes it.
 * The product is exact (wa + wb bits) and aligned to the accumulator's binary point, which must
 * have at least fa + fb fraction bits (no implicit rounding). Overflow: `wrap` keeps the sum
 * modulo 2^W; `saturate` clamps it to the accumulator range.
 */
import { defineModule, UInt, type BuiltDesign } from '../index.ts';
import { codeType } from '../types/bits.ts';
import { formatName } from '../../formats/number-format.ts';
import { fracBitsOf, intFormat, type FixedFormat } from '../../formats/fixed.ts';
import { fixedInput, fixedMul } from '../quant/fixed.ts';
import { autoAccumulator } from './acc-width.ts';
import { rtlGenerator } from './define.ts';
import { enumParam, formatOrAutoParam, formatParam, intParam } from './params.ts';

export interface MacParams {
  readonly name: string;
  readonly a: FixedFormat;
  readonly b: FixedFormat;
  /** A format, or 'auto' for the exact width of `k` accumulated products. */
  readonly accumulator: FixedFormat | 'auto';
  /** Products per accumulation (used by `auto`, stated in the header). */
  readonly k: number;
  readonly overflow: 'wrap' | 'saturate';
}

/** The accumulator format a MAC with these params uses. */
export function macAccumulator(p: Pick<MacParams, 'a' | 'b' | 'accumulator' | 'k'>): FixedFormat {
  return p.accumulator === 'auto' ? autoAccumulator(p.a, p.b, p.k) : p.accumulator;
}

export function buildMac(p: MacParams): BuiltDesign {
  const accF = macAccumulator(p);
  const fprod = fracBitsOf(p.a) + fracBitsOf(p.b);
  if (fracBitsOf(accF) < fprod) throw new RangeError(`mac '${p.name}': accumulator ${formatName(accF)} has ${fracBitsOf(accF)} fraction bits; the products need ${fprod}`);
  if ((p.a.signed || p.b.signed) && !accF.signed) throw new RangeError(`mac '${p.name}': signed products need a signed accumulator, got ${formatName(accF)}`);
  return defineModule(p.name, (m) => {
    m.doc(`multiply-accumulate: acc <= (clear ? 0 : acc) + a*b when en; a ${formatName(p.a)}, b ${formatName(p.b)}, accumulator ${formatName(accF)}${p.accumulator === 'auto' ? ` (auto: exact for k = ${p.k} products)` : ''}`);
    m.doc(`overflow: ${p.overflow === 'wrap' ? `wrap (modulo 2^${accF.width})` : 'saturate to the accumulator range'}; rst synchronous, active high`);
    m.latency(1);
    const a = fixedInput(m, 'a', p.a);
    const b = fixedInput(m, 'b', p.b);
    const en = m.input('en', UInt(1));
    const clear = m.input('clear', UInt(1));
    const accT = codeType(accF);
    const acc = m.reg('acc', accT, { reset: 0n });
    const zero = m.constant(0n, accT);
    const base = clear.choose(zero, acc).named('acc_base');
    const prod = fixedMul(a, b).sig.named('prod').shl(fracBitsOf(accF) - fprod);
    const sum = base.add(prod).named('sum');
    const narrowed = p.overflow === 'wrap' ? sum.wrap(accT.width) : sum.saturate(accT.width);
    acc.next(en.choose(narrowed, base));
    m.output('acc_out', accT).drive(acc);
  });
}

/** The int8 x int8 -> int32 MAC of the examples. */
export function buildMacI8(): BuiltDesign {
  return buildMac({ name: 'mac_i8', a: intFormat(8, true), b: intFormat(8, true), accumulator: intFormat(32, true), k: 1, overflow: 'wrap' });
}

/** `generator: mac` in design files. */
export const macGenerator = rtlGenerator({
  name: 'mac',
  doc: 'multiply-accumulate PE: acc <= (clear ? 0 : acc) + a*b when en',
  params: {
    a: formatParam('operand a format (int, uint or fixed)', intFormat(8, true)),
    b: formatParam('operand b format (int, uint or fixed)', intFormat(8, true)),
    accumulator: formatOrAutoParam('accumulator format, or auto for the exact width of k products', intFormat(32, true)),
    k: intParam('products per accumulation (sizes accumulator: auto)', 1, 1 << 24, 1),
    overflow: enumParam('accumulator overflow', ['wrap', 'saturate'], 'wrap'),
  },
  build: (name, p) => buildMac({ name, ...p }),
});
