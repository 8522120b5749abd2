/**
 * Weight-stationary processing element of `systolic_array`: PE(r, j) holds one weight.
 *
 * Ports: `a` (activation code), `w_in`/`w_load` (weight chain: `w <= w_in` when w_load),
 * `psum_in` (partial sum from the PE above; a constant 0 in the top row, +0 for floats).
 * Outputs `psum_out` (registered `psum_in + a*w`, to the PE below or the array's output),
 * `a_out` (when `right`: a one cycle later) and `w_out` (when `down`: this PE's weight
 * register, the next link of the column's weight chain). The sum is the datapath's
 * (`PeDatapath.mac`, see `pe-os.ts`): integer/fixed products are exact and aligned to the
 * accumulator's binary point and the sum wraps modulo 2^W (exact with an `auto` accumulator);
 * float datapaths are in `pe-float.ts`. No register has a reset: validity travels on the
 * array's control line.
 */
import { defineModule, UInt, type BuiltDesign } from '../index.ts';
import { intDatapath, type PeDatapath, type PeEdges, type PeFormats } from './pe-os.ts';

/** The integer/fixed WS PE (`intDatapath`). */
export function buildPeWs(name: string, f: PeFormats, e: PeEdges): BuiltDesign {
  return buildPeWsWith(name, intDatapath(f), e);
}

/** A WS PE over any datapath (ports and registers as in the file header). */
export function buildPeWsWith(name: string, dp: PeDatapath, e: PeEdges): BuiltDesign {
  const accT = dp.accT;
  return defineModule(name, (m) => {
    for (const line of dp.wsDocs) m.doc(line);
    m.doc(`forwards:${e.right ? ' a_out (a, 1 cycle)' : ''}${e.down ? ' w_out (the weight register)' : ''}${e.right || e.down ? '' : ' none (corner)'}`);
    const a = m.input('a', dp.aT);
    const wIn = m.input('w_in', dp.bT);
    const wLoad = m.input('w_load', UInt(1));
    const psumIn = m.input('psum_in', accT);
    const w = m.reg('w', dp.bT, { enable: wLoad });
    w.next(wIn);
    const onto = dp.mac(a, w);
    const psum = m.reg('psum', accT);
    psum.next(onto(psumIn));
    m.output('psum_out', accT).drive(psum);
    if (e.right) {
      const ar = m.reg('a_r', dp.aT);
      ar.next(a);
      m.output('a_out', dp.aT).drive(ar);
    }
    if (e.down) m.output('w_out', dp.bT).drive(w);
  });
}
