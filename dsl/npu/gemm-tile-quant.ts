/**
 * `gemm_tile` with the quantized-layer options (`zero_points`, `bias`, `scale: fp32 | none`): see
 * the option list in `gemm-tile.ts`. Output-stationary or weight-stationary array as usual; the
 * array's operands are the zero-point-free (w + 1)-bit differences when `zero_points`.
 */
import { defineModule, SInt, UInt, type BuiltDesign, type Sig } from '../index.ts';
import { codeType } from '../types/bits.ts';
import { formatName } from '../../formats/number-format.ts';
import { intFormat, type FixedFormat } from '../../formats/fixed.ts';
import { buildRequantizer, type RequantizerParams } from './requantizer.ts';
import { buildSystolic, systolicAccumulator, systolicLatency } from './systolic.ts';
import { delayLine } from './skew.ts';
import { gemmTileArrayOperands, gemmTileOutputLatency, type GemmTileParams } from './gemm-tile.ts';

const INT32: FixedFormat = intFormat(32, true);

/** Throws a RangeError naming the first option combination the quantized tile does not support. */
function checkQuantTileParams(p: GemmTileParams): void {
  const bad = (msg: string): never => { throw new RangeError(`gemm_tile '${p.name}': ${msg}`); };
  const scale = p.scale ?? 'int';
  if (scale === 'none' && !(p.output.signed && p.output.width === 32)) bad(`scale none outputs the int32 accumulator: set output: int32 (got ${formatName(p.output)})`);
  if (scale === 'fp32' && p.activation !== 'none') bad('scale fp32 clamps to the run-time ports out_min/out_max (relu, relu6 and clip are values of them): use activation: none');
  if (scale !== 'fp32' && scale !== 'none' && systolicAccumulator({ ...p, ...gemmTileArrayOperands(p) }).width > 32) bad('scale int needs an accumulator of at most 32 bits; use scale fp32 or none (which wrap to int32) or a smaller k');
}

export function buildQuantGemmTile(p: GemmTileParams): BuiltDesign {
  checkQuantTileParams(p);
  const scale = p.scale ?? 'int';
  const zps = p.zero_points === true;
  const withBias = p.bias === true;
  const ops = gemmTileArrayOperands(p);
  const arrayParams = { ...p, ...ops, name: `${p.name}_array` };
  const acc = systolicAccumulator(arrayParams);
  const array = buildSystolic(arrayParams);
  // scale int keeps the requantizer's input at the accumulator's format (as the plain tile).
  const rqInput = scale === 'int' && !withBias ? acc : INT32;
  const rqParams: RequantizerParams = { name: `${p.name}_requant`, input: rqInput, output: p.output, per_channel: p.per_channel, channels: p.cols, rounding: p.rounding, activation: p.activation, preset: 'none', scale: scale === 'fp32' ? 'fp32' : 'int' };
  const rq = scale === 'none' ? undefined : buildRequantizer(rqParams);
  const R = p.rows;
  const C = p.cols;
  const os = p.dataflow === 'output_stationary';
  const arrayLatency = systolicLatency(p);
  const outLatency = gemmTileOutputLatency(p);
  return defineModule(p.name, (m) => {
    const stage = scale === 'none' ? 'int32 accumulator output' : scale === 'fp32' ? 'fp32-multiplier requantizer (onnxruntime)' : `${p.rounding} requantizer`;
    m.doc(`GEMM tile: ${p.dataflow} ${R}x${C} systolic array (${formatName(p.a)} x ${formatName(p.b)}${zps ? ', zero points subtracted at the inputs' : ''} -> ${formatName(acc)})${withBias ? ' + int32 bias' : ''} + ${stage} to ${formatName(p.output)}${p.per_channel ? ', multiplier per column' : ''}`);
    m.doc(os
      ? `protocol of the array (a_i = A[i][t], b_j = B[t][j] per beat, last on beat K-1); row s of Y on y_* with out_valid at (last beat) + ${arrayLatency + outLatency} + s`
      : `protocol of the array (load B with w_load, stream rows of A with in_valid); each row of Y on y_* with out_valid ${arrayLatency + outLatency} cycles later`);
    if (zps) m.doc('a_zero_point and b_zero_point_* are sampled with the beat (OS) or load/activation cycle (WS) they apply to');
    if (withBias || scale !== 'none') m.doc(`bias and output-stage parameters are sampled with the row of C they apply to, ${arrayLatency} cycle(s) after its beat${withBias && scale !== 'none' ? ' (bias), one cycle later (requantizer parameters)' : ''}`);
    m.latency(arrayLatency + outLatency);
    const aIn = Array.from({ length: R }, (_, i) => m.input(`a_${i}`, codeType(p.a)));
    const bIn = Array.from({ length: C }, (_, j) => m.input(`b_${j}`, codeType(p.b)));
    const arrIn: Record<string, Sig> = {};
    for (const ctl of os ? ['in_valid', 'last'] : ['w_load', 'in_valid']) arrIn[ctl] = m.input(ctl, UInt(1));
    const aZp = zps ? m.input('a_zero_point', codeType(p.a)) : undefined;
    const bZp = zps ? Array.from({ length: C }, (_, j) => m.input(`b_zero_point_${j}`, codeType(p.b))) : undefined;
    aIn.forEach((a, i) => { arrIn[`a_${i}`] = aZp ? a.sub(aZp) : a; });
    bIn.forEach((b, j) => { arrIn[`b_${j}`] = bZp ? b.sub(bZp[j]!) : b; });
    const biases = withBias ? Array.from({ length: C }, (_, j) => m.input(`bias_${j}`, SInt(32))) : undefined;
    const arr = m.instance('array', array, arrIn);
    const toInt32 = (c: Sig): Sig => (c.width < 32 ? c.ext(32) : c.width > 32 ? c.wrap(32) : c);
    const cs = Array.from({ length: C }, (_, j) => {
      const c = arr[`c_${j}`]!;
      if (!biases) return scale === 'int' ? c : toInt32(c);
      const r = m.reg(`biased_${j}`, SInt(32));
      r.next(toInt32(c).addWrap(biases[j]!));
      return r as Sig;
    });
    if (!rq) {
      for (let j = 0; j < C; j++) m.output(`y_${j}`, SInt(32)).drive(cs[j]!);
    } else {
      const rqIn: Record<string, Sig> = {};
      cs.forEach((c, j) => { rqIn[`x${j}`] = c; });
      const lanes = (base: string, width: number, signed: boolean): void => {
        const t = signed ? SInt(width) : UInt(width);
        if (p.per_channel) for (let j = 0; j < C; j++) rqIn[`${base}${j}`] = m.input(`${base}_${j}`, t);
        else rqIn[base] = m.input(base, t);
      };
      if (scale === 'fp32') {
        lanes('multiplier', 32, false);
        for (const name of ['zero_point', 'out_min', 'out_max']) rqIn[name] = m.input(name, codeType(p.output));
      } else {
        lanes('multiplier', 32, true);
        lanes('shift', 8, true);
        rqIn['zero_point'] = m.input('zero_point', codeType(p.output));
        if (p.activation === 'relu6') rqIn['act_max'] = m.input('act_max', codeType(p.output));
      }
      const y = m.instance('requant', rq, rqIn);
      for (let j = 0; j < C; j++) m.output(`y_${j}`, codeType(p.output)).drive(y[`y${j}`]!);
    }
    m.output('out_valid', UInt(1)).drive(outLatency === 0 ? arr['out_valid']! : delayLine(m, 'valid_d', arr['out_valid']!, outLatency, 0n));
  });
}
