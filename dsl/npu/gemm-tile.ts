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
 */
import { defineModule, SInt, UInt, type BuiltDesign, type Sig } from '../index.ts';
import { codeType, isInteger, formatName, type FixedFormat } from '../types/format-string.ts';
import { buildRequantizer, requantizerLatency, type RequantActivation, type RequantRounding, type RequantizerParams } from './requantizer.ts';
import { buildSystolic, systolicAccumulator, systolicLatency, type SystolicBuildOptions, type SystolicParams } from './systolic.ts';
import { delayLine } from './skew.ts';

export interface GemmTileParams extends SystolicParams {
  readonly output: FixedFormat;
  readonly per_channel: boolean;
  readonly rounding: RequantRounding;
  readonly activation: RequantActivation;
}

export function gemmTileLatency(p: Pick<GemmTileParams, 'dataflow' | 'rows' | 'cols' | 'rounding'>): number {
  return systolicLatency(p) + requantizerLatency({ preset: 'none', rounding: p.rounding });
}

/** `opts` plants faults in the array, for tests (see `SystolicBuildOptions`). */
export function buildGemmTile(p: GemmTileParams, opts: SystolicBuildOptions = {}): BuiltDesign {
  if (!isInteger(p.a) || !isInteger(p.b)) throw new RangeError(`gemm_tile '${p.name}': operands must be integer formats (the requantizer takes integer accumulators), got ${formatName(p.a)} x ${formatName(p.b)}`);
  const acc = systolicAccumulator(p);
  const array = buildSystolic({ ...p, name: `${p.name}_array` }, opts);
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
