import { Rational } from '../rational.ts';
import { type IntType, assertInIntRange, intMax, intMin, intTypeName } from './int-type.ts';
import { clampInt } from './narrow.ts';
import { type RoundingMode, roundRational } from './rounding.ts';

/**
 * Per-tensor affine quantization parameters: real = scale * (q - zeroPoint).
 * `rounding` is `rne` for ONNX QuantizeLinear (`rint`) and `rna` for TFLite AffineQuantize
 * (`std::round`); any RoundingMode is accepted. `narrowRange` (signed types only) makes the
 * smallest code -2^(N-1) + 1 (TFLite symmetric weights).
 */
export interface AffineParams {
  readonly type: IntType;
  readonly scale: Rational;
  readonly zeroPoint: bigint;
  readonly rounding: RoundingMode;
  readonly narrowRange?: boolean;
}

/** [qmin, qmax] of the affine parameters (narrow range raises qmin by one). */
export function affineRange(p: Pick<AffineParams, 'type' | 'narrowRange'>): readonly [bigint, bigint] {
  if (p.narrowRange === true && !p.type.signed) throw new RangeError(`narrowRange is only defined for signed types, got ${intTypeName(p.type)}`);
  return [intMin(p.type) + (p.narrowRange === true ? 1n : 0n), intMax(p.type)];
}

function checkParams(p: Pick<AffineParams, 'type' | 'scale' | 'zeroPoint'>): void {
  if (p.scale.sign() <= 0) throw new RangeError(`affine scale must be > 0, got ${p.scale}`);
  assertInIntRange(p.zeroPoint, p.type, 'affine zero point');
}

/** q = clamp(round(x / scale) + zeroPoint, qmin, qmax), computed exactly (one rounding, then saturation). */
export function quantizeAffine(x: Rational, p: AffineParams): bigint {
  checkParams(p);
  const [lo, hi] = affineRange(p);
  return clampInt(roundRational(x.div(p.scale), p.rounding) + p.zeroPoint, lo, hi);
}

/** real = scale * (q - zeroPoint), exact. q must be a value of the type. */
export function dequantizeAffine(q: bigint, p: Pick<AffineParams, 'type' | 'scale' | 'zeroPoint'>): Rational {
  checkParams(p);
  assertInIntRange(q, p.type, 'dequantizeAffine input');
  return p.scale.mul(Rational.of(q - p.zeroPoint));
}

/**
 * Per-axis (per-channel) parameters: element i uses scales[c], zeroPoints[c] where c is i's index
 * along `axis` of a row-major tensor of `shape`.
 */
export interface PerAxisParams {
  readonly type: IntType;
  readonly axis: number;
  readonly scales: readonly Rational[];
  readonly zeroPoints: readonly bigint[];
  readonly rounding: RoundingMode;
  readonly narrowRange?: boolean;
}

/** Channel index along `axis` for every flat index of a row-major tensor; validates shape and parameter lengths. */
function channelOf(shape: readonly number[], p: PerAxisParams, length: number): (i: number) => number {
  const dim = shape[p.axis];
  if (!Number.isInteger(p.axis) || dim === undefined) throw new RangeError(`per-axis: axis ${p.axis} is not an axis of shape [${shape.join(', ')}]`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== length) throw new RangeError(`per-axis: shape [${shape.join(', ')}] has ${size} elements, got ${length}`);
  if (p.scales.length !== dim || p.zeroPoints.length !== dim) {
    throw new RangeError(`per-axis: axis ${p.axis} has ${dim} channels; got ${p.scales.length} scales and ${p.zeroPoints.length} zero points`);
  }
  const inner = shape.slice(p.axis + 1).reduce((a, b) => a * b, 1);
  return (i) => Math.floor(i / inner) % dim;
}

function channelParams(p: PerAxisParams, c: number): AffineParams {
  const base = { type: p.type, scale: p.scales[c] as Rational, zeroPoint: p.zeroPoints[c] as bigint, rounding: p.rounding };
  return p.narrowRange === undefined ? base : { ...base, narrowRange: p.narrowRange };
}

/** Per-axis quantizeAffine over a row-major tensor. */
export function quantizeAffinePerAxis(x: readonly Rational[], shape: readonly number[], p: PerAxisParams): bigint[] {
  const ch = channelOf(shape, p, x.length);
  return x.map((v, i) => quantizeAffine(v, channelParams(p, ch(i))));
}

/** Per-axis dequantizeAffine over a row-major tensor. */
export function dequantizeAffinePerAxis(q: readonly bigint[], shape: readonly number[], p: PerAxisParams): Rational[] {
  const ch = channelOf(shape, p, q.length);
  return q.map((v, i) => dequantizeAffine(v, channelParams(p, ch(i))));
}
