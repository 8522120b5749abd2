import { Rational } from '../rational.ts';
import { type IntType, intMax, intMin } from './int-type.ts';
import { roundRational } from './rounding.ts';

export interface ChosenQParams {
  /** Exact (rmax - rmin) / (qmax - qmin); 0 when rmin = rmax. */
  readonly scale: Rational;
  readonly zeroPoint: bigint;
}

/**
 * TFLite `ChooseQuantizationParams` in exact arithmetic: qmin/qmax = the type's range (qmin + 1 when
 * `narrowRange`); scale = (rmax - rmin)/(qmax - qmin); the zero point comes from the candidate
 * (from qmin or from qmax) with the strictly smaller error, else the qmax one, clamped to
 * [qmin, qmax] and otherwise rounded half away from zero. Requires rmin <= 0 <= rmax.
 */
export function chooseQParams(rmin: Rational, rmax: Rational, type: IntType, narrowRange: boolean): ChosenQParams {
  if (rmin.sign() > 0 || rmax.sign() < 0) throw new RangeError(`chooseQParams: the range [${rmin}, ${rmax}] must contain 0`);
  if (rmin.eq(rmax)) return { scale: Rational.ZERO, zeroPoint: 0n };
  const qmin = intMin(type) + (narrowRange ? 1n : 0n);
  const qmax = intMax(type);
  const scale = rmax.sub(rmin).div(Rational.of(qmax - qmin));
  const qminR = Rational.of(qmin);
  const qmaxR = Rational.of(qmax);
  const zFromMin = qminR.sub(rmin.div(scale));
  const zFromMax = qmaxR.sub(rmax.div(scale));
  const errMin = qminR.abs().add(rmin.div(scale).abs());
  const errMax = qmaxR.abs().add(rmax.div(scale).abs());
  const z = errMin.lt(errMax) ? zFromMin : zFromMax;
  if (z.lt(qminR)) return { scale, zeroPoint: qmin };
  if (qmaxR.lt(z)) return { scale, zeroPoint: qmax };
  return { scale, zeroPoint: roundRational(z, 'rna') };
}
