/**
 * Weight-stationary processing element of `systolic_array`: PE(r, j) holds one weight.
 *
 * Ports: `a` (activation code), `w_in`/`w_load` (weight chain: `w <= w_in` when w_load),
 * `psum_in` (partial sum from the PE above; a constant 0 in the top row). Outputs `psum_out`
 * (registered `psum_in + a*w`, to the PE below or the array's output), `a_out` (when `right`:
 * a one cycle later) and `w_out` (when `down`: this PE's weight register, the next link of
 * the column's weight chain). The product is exact and aligned to the accumulator's binary
 * point; the sum wraps modulo 2^W (exact with an `auto` accumulator). No register has a
 * reset: validity travels on the array's control line.
 */
import { defineModule, UInt, type BuiltDesign } from '../index.ts';
import { codeType, formatName, fracBitsOf } from '../types/format-string.ts';
import { productInAcc, type PeEdges, type PeFormats } from './pe-os.ts';

export function buildPeWs(name: string, f: PeFormats, e: PeEdges): BuiltDesign {
  const align = fracBitsOf(f.acc) - fracBitsOf(f.a) - fracBitsOf(f.b);
  const accT = codeType(f.acc);
  return defineModule(name, (m) => {
    m.doc(`weight-stationary PE: a ${formatName(f.a)}, w ${formatName(f.b)}, partial sums ${formatName(f.acc)} (wrap modulo 2^${f.acc.width})`);
    m.doc('w <= w_in when w_load; psum_out <= psum_in + a*w');
    m.doc(`forwards:${e.right ? ' a_out (a, 1 cycle)' : ''}${e.down ? ' w_out (the weight register)' : ''}${e.right || e.down ? '' : ' none (corner)'}`);
    const a = m.input('a', codeType(f.a));
    const wIn = m.input('w_in', codeType(f.b));
    const wLoad = m.input('w_load', UInt(1));
    const psumIn = m.input('psum_in', accT);
    const w = m.reg('w', codeType(f.b), { enable: wLoad });
    w.next(wIn);
    const prod = productInAcc(align > 0 ? a.mul(w).shl(align) : a.mul(w), accT);
    const psum = m.reg('psum', accT);
    psum.next(psumIn.addWrap(prod));
    m.output('psum_out', accT).drive(psum);
    if (e.right) {
      const ar = m.reg('a_r', codeType(f.a));
      ar.next(a);
      m.output('a_out', codeType(f.a)).drive(ar);
    }
    if (e.down) m.output('w_out', codeType(f.b)).drive(w);
  });
}
