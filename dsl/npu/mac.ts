/**
 * `mac`: a multiply-accumulate processing element.
 *
 * Ports: `a`, `b` (operands), `en` (accumulate this cycle), `clear` (synchronous: the next
 * state is `a*b` when `en`, else 0), output `acc`. Latency: 1 cycle (the registered sum is
 * visible the cycle after the operands). Reset (`rst`, synchronous, active high) zeroes acc.
 * Overflow: `wrap` keeps acc modulo 2^width; `saturate` clamps to the accumulator's range.
 */
import { defineModule, SInt, UInt, type BitsType, type BuiltDesign } from '../index.ts';
import { formatType } from '../types/bits.ts';

export interface MacParams {
  readonly name: string;
  readonly a: BitsType;
  readonly b: BitsType;
  readonly accumulator: BitsType;
  readonly overflow: 'wrap' | 'saturate';
}

export function buildMac(p: MacParams): BuiltDesign {
  return defineModule(p.name, (m) => {
    m.doc(`multiply-accumulate: acc <= (clear ? 0 : acc) + a*b when en; a ${formatType(p.a)}, b ${formatType(p.b)}, acc ${formatType(p.accumulator)}`);
    m.doc(`overflow: ${p.overflow === 'wrap' ? 'wrap (acc modulo 2^' + p.accumulator.width + ')' : 'saturate to the accumulator range'}; latency 1 cycle; rst synchronous active high`);
    const a = m.input('a', p.a);
    const b = m.input('b', p.b);
    const en = m.input('en', UInt(1));
    const clear = m.input('clear', UInt(1));
    const acc = m.reg('acc', p.accumulator, { reset: 0n });
    const base = m.mux(clear, m.constant(0n, p.accumulator), acc);
    const sum = base.add(a.mul(b));
    const narrowed = p.overflow === 'wrap' ? sum.wrap(p.accumulator.width) : sum.saturate(p.accumulator.width);
    acc.next(m.mux(en, narrowed, m.mux(clear, m.constant(0n, p.accumulator), acc)));
    m.output('acc_out', p.accumulator).drive(acc);
  });
}

/** The int8 × int8 → int32 MAC of the examples. */
export function buildMacI8(): BuiltDesign {
  return buildMac({ name: 'mac_i8', a: SInt(8), b: SInt(8), accumulator: SInt(32), overflow: 'wrap' });
}
