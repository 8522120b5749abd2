/**
 * Output-stationary processing element of `systolic_array`: PE(i, j) owns C[i][j].
 *
 * Ports (all driven by the array, see `systolic.ts`):
 * - `a`, `b`: operand codes this cycle; `valid`: they are a term of the current GEMM;
 *   `last`: (valid and) this is the GEMM's final term.
 * - `load`, `drain_in`: the column's drain chain (results shift one row up per cycle).
 * - outputs `drain_out` (always), `a_out` (when `right`: a one cycle later, to PE(i, j+1)) and
 *   `b_out` (when `down`: b one cycle later, to PE(i+1, j)). Edge PEs are built without the
 *   outputs nobody would read, so the array has no unused links.
 *
 * Registers: `acc` (reset 0, loads when valid: `last ? 0 : acc + a*b`), `result` (loads
 * acc + a*b when last: the finished sum, held while the next GEMM accumulates), `drain`
 * (`load ? result : drain_in`), and the forwarding registers. The sum `acc + a*b` is the
 * datapath's (`PeDatapath.mac`): for integer/fixed formats the product is exact and aligned to
 * the accumulator's binary point and the sum wraps modulo 2^W (exact with an `auto`
 * accumulator); float datapaths are in `pe-float.ts`. The accumulator's code 0 is its zero
 * (+0 for floats). All of it is one cycle: a*b and the sum are combinational.
 */
import { defineModule, UInt, type BitsType, type BuiltDesign, type Sig } from '../index.ts';
import { codeType } from '../types/bits.ts';
import { formatName } from '../../formats/number-format.ts';
import { fracBitsOf, type FixedFormat } from '../../formats/fixed.ts';

export interface PeFormats {
  readonly a: FixedFormat;
  readonly b: FixedFormat;
  readonly acc: FixedFormat;
}

export interface PeEdges {
  /** Forward a to the PE on the right (false in the last column). */
  readonly right: boolean;
  /** Forward b (OS) or the weight chain (WS) to the PE below (false in the last row). */
  readonly down: boolean;
}

/**
 * The arithmetic of a PE, shared by both dataflows: operand and accumulator code types, the
 * header lines that state its numerics, and the multiply-accumulate.
 */
export interface PeDatapath {
  readonly aT: BitsType;
  readonly bT: BitsType;
  readonly accT: BitsType;
  /** Header lines of the OS PE (formats, update rules), in order. */
  readonly osDocs: readonly string[];
  /** Header lines of the WS PE. */
  readonly wsDocs: readonly string[];
  /**
   * `acc + a*b` (combinational, accT): called with the operands before the PE's accumulator
   * register exists (operand-only logic is built then), returns the sum onto a given
   * accumulator value.
   */
  readonly mac: (a: Sig, b: Sig) => (acc: Sig) => Sig;
}

/** Module-name suffix of an edge variant: `` (interior), `_r` (last column), `_b` (last row), `_rb`. */
export function edgeSuffix(e: PeEdges): string {
  return `${e.right ? '' : '_r'}${e.down ? '' : '_b'}`.replace('_r_b', '_rb');
}

/**
 * The aligned product in the accumulator's type, so sums are plain W-bit adds (`addWrap`) with
 * no carry bit to drop: sign change only unsigned -> signed (value kept), then extended, or
 * wrapped when an explicit accumulator is narrower than the product (modulo 2^W either way).
 */
export function productInAcc(prod: Sig, accT: BitsType): Sig {
  const y = prod.signed === accT.signed ? prod : prod.toSigned();
  return y.width < accT.width ? y.ext(accT.width) : y.width > accT.width ? y.wrap(accT.width) : y;
}

/** Integer/fixed datapath: exact product aligned to the accumulator's binary point, sum wraps modulo 2^W. */
export function intDatapath(f: PeFormats): PeDatapath {
  const align = fracBitsOf(f.acc) - fracBitsOf(f.a) - fracBitsOf(f.b);
  const accT = codeType(f.acc);
  return {
    aT: codeType(f.a),
    bT: codeType(f.b),
    accT,
    osDocs: [
      `output-stationary PE: a ${formatName(f.a)}, b ${formatName(f.b)}, accumulator ${formatName(f.acc)} (wraps modulo 2^${f.acc.width})`,
      'acc <= last ? 0 : acc + a*b when valid; result <= acc + a*b when last; drain <= load ? result : drain_in',
    ],
    wsDocs: [
      `weight-stationary PE: a ${formatName(f.a)}, w ${formatName(f.b)}, partial sums ${formatName(f.acc)} (wrap modulo 2^${f.acc.width})`,
      'w <= w_in when w_load; psum_out <= psum_in + a*w',
    ],
    mac: (a, b) => {
      const prod = productInAcc(align > 0 ? a.mul(b).named('prod').shl(align) : a.mul(b).named('prod'), accT);
      return (acc) => acc.addWrap(prod);
    },
  };
}

/** The integer/fixed OS PE (`intDatapath`). */
export function buildPeOs(name: string, f: PeFormats, e: PeEdges): BuiltDesign {
  return buildPeOsWith(name, intDatapath(f), e);
}

/** An OS PE over any datapath (ports and registers as in the file header). */
export function buildPeOsWith(name: string, dp: PeDatapath, e: PeEdges): BuiltDesign {
  const accT = dp.accT;
  return defineModule(name, (m) => {
    for (const line of dp.osDocs) m.doc(line);
    m.doc(`forwards:${e.right ? ' a_out (a, 1 cycle)' : ''}${e.down ? ' b_out (b, 1 cycle)' : ''}${e.right || e.down ? '' : ' none (corner)'}`);
    const a = m.input('a', dp.aT);
    const b = m.input('b', dp.bT);
    const valid = m.input('valid', UInt(1));
    const last = m.input('last', UInt(1));
    const load = m.input('load', UInt(1));
    const drainIn = m.input('drain_in', accT);
    const onto = dp.mac(a, b);
    const acc = m.reg('acc', accT, { reset: 0n, enable: valid });
    const sum = onto(acc);
    acc.next(last.choose(m.constant(0n, accT), sum));
    const result = m.reg('result', accT, { enable: last });
    result.next(sum);
    const drain = m.reg('drain', accT);
    drain.next(load.choose(result, drainIn));
    m.output('drain_out', accT).drive(drain);
    if (e.right) {
      const ar = m.reg('a_r', dp.aT);
      ar.next(a);
      m.output('a_out', dp.aT).drive(ar);
    }
    if (e.down) {
      const br = m.reg('b_r', dp.bT);
      br.next(b);
      m.output('b_out', dp.bT).drive(br);
    }
  });
}
