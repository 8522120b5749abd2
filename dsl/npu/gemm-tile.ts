/**
 * `gemm_tile`: a `systolic_array` whose c outputs feed a `requantizer` (TFLite
 * MultiplyByQuantizedMultiplier + zero point + activation clamp), one requantizer lane per
 * array column. Integer operands only; the array's accumulator (an exact `auto` width or an
 * explicit format) must be a signed integer of at most 32 bits (the requantizer's input).
 *
 * Ports: the array's inputs (see `systolic.ts`: `a_*`, `b_*` and `in_valid`/`last` for
 * output_stationary, `w_load`/`in_valid` for weight_stationary), the requantizer's run-time
 * parameters `multiplier` / `multiplier_<j>` (int32), `shift` / `shift_<j>` (int8), `zero_point`
 * and, for relu6, `act_max` (output format); outputs `y_0..y_{cols-1}` (output format) and
 * `out_valid`. Timing: the array's, plus the requantizer's latency (4 for double_round, 3 for
 * single_round) on every output row. The parameters are sampled together with the row of C they
 * apply to, when it leaves the array (array latency after the last beat + s for OS row s, after
 * the activation row for WS): hold them while a transaction's results are in flight, or change
 * them per row in step with the results.
 *
 * Quantized-layer options (onnxruntime QLinearMatMul / MatMulInteger / QGemm, see
 * `sim/layers/quant-gemm.ts`); all default off, which gives the RTL described above unchanged:
 * - `zero_points`: ports `a_zero_point` (a format) and `b_zero_point_<j>` (b format, one per
 *   column: a per-tensor zero point is the same value on every port). Subtractors in the input
 *   path feed the array a_i - a_zp and b_j - b_zp_j, which are (w + 1)-bit signed (int9 for
 *   int8/uint8): the array multiplies exact zero-point-free operands, so no row/column-sum
 *   correction terms are needed (gemmlowp's scheme) at the cost of 9 x 9-bit multipliers. The
 *   zero points are sampled with the beat they apply to.
 * - `bias`: ports `bias_<j>` (int32), added to row s of C as it leaves the array, wrapping to
 *   int32 as onnxruntime does; one register stage (latency + 1); sampled with the row like the
 *   requantizer parameters, one cycle before them.
 * - `scale: fp32`: the requantizer is `requantizer` with `scale: fp32` (onnxruntime's float
 *   requantization, latency 3): ports `multiplier` / `multiplier_<j>` (binary32 codes),
 *   `zero_point`, `out_min`, `out_max`; `activation` must be none. The accumulator (any width,
 *   e.g. `auto` for a large K) is wrapped to int32 first, as onnxruntime's int32 accumulators.
 * - `scale: none`: no requantizer; `y_<j>` is the int32 accumulator (+ bias) itself
 *   (MatMulInteger); `output` must be int32.
 */
import { defineModule, SInt, UInt, type BuiltDesign, type Sig } from '../index.ts';
import { codeType } from '../types/bits.ts';
import { intFormat, isInteger, type FixedFormat } from '../../formats/fixed.ts';
import { formatName } from '../../formats/number-format.ts';
import { buildRequantizer, requantizerLatency, type RequantActivation, type RequantRounding, type RequantizerParams } from './requantizer.ts';
import { buildSystolic, systolicAccumulator, systolicLatency, type SystolicParams } from './systolic.ts';
import { delayLine } from './skew.ts';
import { buildQuantGemmTile } from './gemm-tile-quant.ts';

export type GemmTileScale = 'int' | 'fp32' | 'none';
import { rtlGenerator } from './define.ts';
import { boolParam, enumParam, formatOrAutoParam, formatParam } from './params.ts';
import { arrayKParam, arrayShapeParams } from './systolic.ts';

export interface GemmTileParams extends SystolicParams {
  readonly output: FixedFormat;
  readonly per_channel: boolean;
  readonly rounding: RequantRounding;
  readonly activation: RequantActivation;
  /** Default `int` (TFLite multiplier + shift). */
  readonly scale?: GemmTileScale;
  /** Default false. */
  readonly zero_points?: boolean;
  /** Default false. */
  readonly bias?: boolean;
}

/** Cycles from a row of C leaving the array to its y row: bias stage plus requantizer. */
export function gemmTileOutputLatency(p: Pick<GemmTileParams, 'rounding' | 'scale' | 'bias'>): number {
  const scale = p.scale ?? 'int';
  return (p.bias === true ? 1 : 0) + (scale === 'none' ? 0 : requantizerLatency({ preset: 'none', rounding: p.rounding, scale }));
}

export function gemmTileLatency(p: Pick<GemmTileParams, 'dataflow' | 'rows' | 'cols' | 'rounding' | 'scale' | 'bias'>): number {
  return systolicLatency(p) + gemmTileOutputLatency(p);
}

/** The array's operand formats: with zero points, a - a_zp and b - b_zp are (w + 1)-bit signed. */
export function gemmTileArrayOperands(p: Pick<GemmTileParams, 'a' | 'b' | 'zero_points'>): { a: FixedFormat; b: FixedFormat } {
  if (p.zero_points !== true) return { a: p.a, b: p.b };
  return { a: intFormat(p.a.width + 1, true), b: intFormat(p.b.width + 1, true) };
}

export function buildGemmTile(p: GemmTileParams): BuiltDesign {
  if (!isInteger(p.a) || !isInteger(p.b)) throw new RangeError(`gemm_tile '${p.name}': operands must be integer formats (the requantizer takes integer accumulators), got ${formatName(p.a)} x ${formatName(p.b)}`);
  if ((p.scale ?? 'int') !== 'int' || p.zero_points === true || p.bias === true) return buildQuantGemmTile(p);
  const acc = systolicAccumulator(p);
  const array = buildSystolic({ ...p, name: `${p.name}_array` });
  const rqParams: RequantizerParams = { name: `${p.name}_requant`, input: acc, output: p.output, per_channel: p.per_channel, channels: p.cols, rounding: p.rounding, activation: p.activation, preset: 'none' };
  const rq = buildRequantizer(rqParams);
  const rqLatency = requantizerLatency(rqParams);
  const C = p.cols;
  const os = p.dataflow === 'output_stationary';
  return defineModule(p.name, (m) => {
    m.doc(`GEMM tile: ${p.dataflow} ${p.rows}x${C} systolic array (${formatName(p.a)} x ${formatName(p.b)} -> ${formatName(acc)}) + ${p.rounding} requantizer to ${formatName(p.output)}, activation ${p.activation}${p.per_channel ? ', multiplier and shift per column' : ''}`);
    m.doc(os
      ? `protocol of the array (a_i = A[i][t], b_j = B[t][j] per beat, last on beat K-1); row s of Y on y_* with out_valid at (last beat) + ${systolicLatency(p) + rqLatency} + s`
      : `protocol of the array (load B with w_load, stream rows of A with in_valid); each row of Y on y_* with out_valid ${systolicLatency(p) + rqLatency} cycles later`);
    m.doc(`requantizer parameters are sampled with the row of C they apply to, ${systolicLatency(p)} cycle(s) after its beat (OS: after the last beat, + s for row s)`);
    m.latency(systolicLatency(p) + rqLatency);
    const arrIn: Record<string, Sig> = {};
    for (let i = 0; i < p.rows; i++) arrIn[`a_${i}`] = m.input(`a_${i}`, codeType(p.a));
    for (let j = 0; j < C; j++) arrIn[`b_${j}`] = m.input(`b_${j}`, codeType(p.b));
    for (const ctl of os ? ['in_valid', 'last'] : ['w_load', 'in_valid']) arrIn[ctl] = m.input(ctl, UInt(1));
    const lanes = (base: string, width: number): Sig[] => (p.per_channel ? Array.from({ length: C }, (_, j) => m.input(`${base}_${j}`, SInt(width))) : [m.input(base, SInt(width))]);
    const mults = lanes('multiplier', 32);
    const shifts = lanes('shift', 8);
    const zp = m.input('zero_point', codeType(p.output));
    const actMax = p.activation === 'relu6' ? m.input('act_max', codeType(p.output)) : undefined;
    const arr = m.instance('array', array, arrIn);
    const rqIn: Record<string, Sig> = { zero_point: zp, ...(actMax ? { act_max: actMax } : {}) };
    for (let j = 0; j < C; j++) rqIn[`x${j}`] = arr[`c_${j}`]!;
    if (p.per_channel) {
      mults.forEach((x, j) => { rqIn[`multiplier${j}`] = x; });
      shifts.forEach((x, j) => { rqIn[`shift${j}`] = x; });
    } else {
      rqIn['multiplier'] = mults[0]!;
      rqIn['shift'] = shifts[0]!;
    }
    const y = m.instance('requant', rq, rqIn);
    for (let j = 0; j < C; j++) m.output(`y_${j}`, codeType(p.output)).drive(y[`y${j}`]!);
    m.output('out_valid', UInt(1)).drive(delayLine(m, 'valid_d', arr['out_valid']!, rqLatency, 0n));
  });
}

/** `generator: gemm_tile` in design files. */
export const gemmTileGenerator = rtlGenerator({
  name: 'gemm_tile',
  doc: 'systolic_array with a requantizer on its outputs (int32 accumulators -> int8/int4/uint8, run-time multiplier/shift/zero point, activation clamp)',
  params: {
    ...arrayShapeParams,
    a: formatParam('activation (A) format (int or uint)', intFormat(8, true)),
    b: formatParam('weight (B) format (int or uint)', intFormat(8, true)),
    accumulator: formatOrAutoParam('accumulator and c format (sums wrap), or auto for the exact width of k (OS) or rows (WS) products', intFormat(32, true)),
    k: arrayKParam,
    output: formatParam('output format of the requantizer: int8, int4 or uint8', intFormat(8, true)),
    per_channel: boolParam('one multiplier and shift per output column instead of per tensor', false),
    rounding: enumParam('MultiplyByQuantizedMultiplier flavour', ['double_round', 'single_round'], 'double_round'),
    activation: enumParam('clamp range: none [qmin, qmax], relu [zero_point, qmax], relu6 [zero_point, act_max input]', ['none', 'relu', 'relu6'], 'none'),
    scale: enumParam('int: int32 multiplier and shift (TFLite); fp32: binary32 multiplier (onnxruntime), clamp bounds out_min/out_max as ports; none: y is the int32 accumulator (output: int32)', ['int', 'fp32', 'none'], 'int'),
    zero_points: boolParam('a_zero_point and b_zero_point_<j> ports, subtracted at the array inputs (operands become (w+1)-bit signed)', false),
    bias: boolParam('bias_<j> int32 ports added to the accumulators (wrapping to int32) before the output stage', false),
  },
  build: (name, p) => buildGemmTile({ name, ...p }),
});
