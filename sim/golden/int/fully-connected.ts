import { INT32, INT8, assertInIntRange } from './int-type.ts';
import { clampInt } from './narrow.ts';
import { type RequantVariant, multiplyByQuantizedMultiplier } from './requantize.ts';

/** Static parameters of a TFLite reference int8 fully-connected layer (per-tensor quantization). */
export interface FullyConnectedInt8Params {
  readonly inputZeroPoint: bigint;
  readonly weightZeroPoint: bigint;
  readonly outputZeroPoint: bigint;
  readonly multiplier: bigint;
  readonly shift: number;
  /** Activation clamp, -128 <= actMin <= actMax <= 127. */
  readonly actMin: bigint;
  readonly actMax: bigint;
  readonly variant: RequantVariant;
}

function toInt8(values: ArrayLike<number>, what: string): bigint[] {
  return Array.from(values, (v, i) => {
    if (!Number.isInteger(v)) throw new RangeError(`${what}[${i}]: expected an int8 integer, got ${v}`);
    const b = BigInt(v);
    assertInIntRange(b, INT8, `${what}[${i}]`);
    return b;
  });
}

/**
 * One output of TFLite's reference int8 FullyConnected:
 * acc = sum((w - weightZeroPoint) * (x - inputZeroPoint)) + bias, an int32 (RangeError if the exact
 * sum leaves int32, where the C reference would overflow); y = MultiplyByQuantizedMultiplier(acc) +
 * outputZeroPoint, clamped to [actMin, actMax].
 */
export function fullyConnectedInt8Output(input: ArrayLike<number>, weights: ArrayLike<number>, bias: bigint, p: FullyConnectedInt8Params): bigint {
  if (input.length !== weights.length) throw new RangeError(`fullyConnectedInt8: input has ${input.length} values, weights ${weights.length}`);
  if (!(-128n <= p.actMin && p.actMin <= p.actMax && p.actMax <= 127n)) throw new RangeError(`fullyConnectedInt8: need -128 <= actMin <= actMax <= 127, got [${p.actMin}, ${p.actMax}]`);
  assertInIntRange(bias, INT32, 'fullyConnectedInt8 bias');
  const x = toInt8(input, 'input');
  const w = toInt8(weights, 'weights');
  let acc = bias;
  for (let i = 0; i < x.length; i++) acc += ((w[i] as bigint) - p.weightZeroPoint) * ((x[i] as bigint) - p.inputZeroPoint);
  assertInIntRange(acc, INT32, 'fullyConnectedInt8 accumulator');
  const y = multiplyByQuantizedMultiplier(acc, p.multiplier, p.shift, p.variant) + p.outputZeroPoint;
  return clampInt(y, p.actMin, p.actMax);
}

/**
 * A whole layer: input is batch x depth, weights outputs x depth (row-major rows), bias one per output
 * (or none). Returns batch x outputs.
 */
export function fullyConnectedInt8(
  input: readonly ArrayLike<number>[],
  weights: readonly ArrayLike<number>[],
  bias: readonly bigint[] | null,
  p: FullyConnectedInt8Params,
): bigint[][] {
  if (bias !== null && bias.length !== weights.length) throw new RangeError(`fullyConnectedInt8: ${weights.length} outputs but ${bias.length} biases`);
  return input.map((row) => weights.map((w, o) => fullyConnectedInt8Output(row, w, bias === null ? 0n : (bias[o] as bigint), p)));
}
