/**
 * `systolic_array`: a rows x cols grid of multiply-accumulate PEs computing integer,
 * fixed-point (any mix of signedness, e.g. uint8 activations x int8 weights) or float GEMMs
 * (see "float formats" below), with the input skew and output deskew inside, so a host drives
 * and reads one row of data per cycle. Every PE-to-PE link is its own net; edge PEs are module
 * variants without the outputs nobody would read. Integer/fixed products are exact and aligned
 * to the accumulator's binary point; sums wrap modulo 2^W (never, with `accumulator: auto`).
 *
 * ## output_stationary (C[rows x cols] = A[rows x K] . B[K x cols], K streamed)
 * Inputs `a_0..a_{rows-1}`, `b_0..b_{cols-1}`, `in_valid`, `last`; outputs `c_0..c_{cols-1}`,
 * `out_valid`. A beat (a cycle with in_valid = 1) carries column t of A (a_i = A[i][t]) and
 * row t of B (b_j = B[t][j]); beats t = 0..K-1 may have idle cycles between them; `last` = 1
 * on beat K-1 ends the GEMM (`last` is ignored when in_valid = 0). Any K >= 1 (the `auto`
 * accumulator is exact for K <= k). If the last beat is at cycle n, row s of C is on
 * c_0..c_{cols-1} at cycle n + rows + cols + s with out_valid = 1 (s = 0..rows-1, row order),
 * i.e. latency rows + cols for row 0. The next GEMM's first beat may follow the last beat
 * directly; its last beat must come at least `rows` cycles after this one's (a GEMM with
 * K < rows needs rows - K idle cycles), so the result registers and drain chains never hold
 * two GEMMs. Internally PE(i, j) sees A[i][t] and B[t][j] at cycle t + i + j (a_i is delayed
 * i cycles, b_j j cycles; control taps per anti-diagonal); column j's drain chain loads at
 * n + rows + j and shifts results up one row per cycle; c_j is delayed cols-1-j cycles.
 *
 * ## weight_stationary (C[M x cols] = A[M x rows] . B[rows x cols], M streamed)
 * Inputs `a_0..a_{rows-1}`, `b_0..b_{cols-1}`, `w_load`, `in_valid`; outputs `c_0..c_{cols-1}`,
 * `out_valid`. Load phase: `rows` cycles with w_load = 1 carrying B[0], B[1], .., B[rows-1] on
 * b_* in that order (the weights shift down the columns; the last `rows` rows loaded are B).
 * Stream phase: each cycle with in_valid = 1 carries one row of A (a_t = A[m][t]); its row of
 * C is on c_* with out_valid = 1 exactly rows + cols - 1 cycles later (fixed latency, full
 * rate, any M). Weights in use may not change under activations in flight: a w_load cycle
 * must not fall within the rows - 1 cycles starting at any activation beat (for rows >= 2;
 * in practice: start loading the next tile rows - 1 cycles after the last beat of this one).
 * Partial sums flow down; grid row r holds B[rows-1-r] and gets a_{rows-1-r} delayed r cycles;
 * b_j and w_load reach column j j cycles late (the load wave follows the activation wave);
 * c_j is delayed cols-1-j cycles. `k` must be 0 or `rows` (the reduction depth is the height).
 *
 * ## float formats (a, b, accumulator all float; `fused`, `subnormals`)
 * Operands may be any float formats (fp16, bf16, fp8_e4m3, fp8_e5m2, ..., a and b may differ);
 * the accumulator is fp32, fp16 or bf16. Ports carry the codes as UInt(width) (c_*: UInt(32) for
 * fp32); the protocol, timing and latency are exactly the integer array's. Each PE step is the
 * `fp_mac` step (`pe-float.ts`): `fused` = true (default) acc' = fma(a, b, acc), the exact
 * product added exactly and rounded once; `fused` = false: the product rounded to the
 * accumulator first, then the sum (two roundings). Round-to-nearest-even, overflow to ±Inf,
 * canonical NaN results, subnormals per `subnormals` (ieee default; flush = DAZ + FTZ).
 * Accumulation order (it matters: float addition is not associative):
 * - OS: C[i][j] starts at +0 at each GEMM; beat t = 0..K-1 in beat order does
 *   acc = step(A[i][t], B[t][j], acc); C[i][j] is acc after beat K-1.
 * - WS: the partial sum enters grid row 0 (the top) as +0 and flows down; grid row r holds
 *   B[rows-1-r], so the order is t = rows-1 first down to t = 0 last:
 *   psum = step(A[m][t], B[t][j], psum) for t = rows-1, rows-2, .., 0; C[m][j] is the last psum.
 * Zeros: -0 products onto the +0 start and exact cancellations give +0; -0 appears only when a
 * negative sum underflows to zero (rounding, or FTZ with flush) and stays while -0 products
 * follow. A step is one cycle (the fma is combinational inside the PE, not pipelined), so
 * Fmax falls with the float datapath's depth. OS `k` only sizes the model's corner GEMMs and
 * random K (no `auto` accumulator for floats). `fused`/`subnormals` are float-only: given with
 * integer or fixed formats they are rejected (integer products and sums are exact; there is
 * nothing to round).
 */
import { defineModule, UInt, type BuiltDesign, type Sig } from '../index.ts';
import { formatName } from '../../formats/number-format.ts';
import { fracBitsOf, type FixedFormat } from '../../formats/fixed.ts';
import { describeRounding, type FloatFormat, type SubnormalMode } from '../float/format.ts';
import { autoAccumulator } from './acc-width.ts';
import { buildPeOsWith, edgeSuffix, intDatapath, type PeDatapath, type PeEdges, type PeFormats } from './pe-os.ts';
import { buildPeWsWith } from './pe-ws.ts';
import { floatDatapath, floatMacRule, floatPeOptions, type FloatPeFormats } from './pe-float.ts';
import type { FloatFormatName } from './fp-params.ts';
import { lookupFloatFormat } from '../../formats/float.ts';
import { delayLine, delayTaps } from './skew.ts';
import { rtlGenerator } from './define.ts';
import { boolParam, enumParam, formatParam, intParam, isParamError, type ParamSpec } from './params.ts';
import { SUBNORMAL_MODES } from './fp-params.ts';
import { intFormat } from '../../formats/fixed.ts';
import { FLOAT_FORMATS } from '../float/format.ts';

export type Dataflow = 'output_stationary' | 'weight_stationary';

export interface SystolicParams {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly dataflow: Dataflow;
  /** Activation (A) format. */
  readonly a: FixedFormat;
  /** Weight (B) format. */
  readonly b: FixedFormat;
  /** A format (sums wrap), or 'auto' for the exact width of k (OS) or rows (WS) products. */
  readonly accumulator: FixedFormat | 'auto';
  /** OS: terms per GEMM `auto` is sized for. WS: 0 or rows. */
  readonly k: number;
}

/** A float array (see "float formats" in the header). */
export interface SystolicFloatParams extends Omit<SystolicParams, 'a' | 'b' | 'accumulator'> {
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  /** fp32, fp16 or bf16 (`FLOAT_ACCUMULATORS`). */
  readonly accumulator: FloatFormat;
  /** true: acc' = fma(a, b, acc) (one rounding); false: the product is rounded to the accumulator first. */
  readonly fused: boolean;
  readonly subnormals: SubnormalMode;
}

/** Accumulator formats of float arrays. */
export const FLOAT_ACCUMULATORS: readonly FloatFormatName[] = ['fp32', 'fp16', 'bf16'];

export function isFloatSystolic(p: SystolicParams | SystolicFloatParams): p is SystolicFloatParams {
  return p.a.kind === 'float';
}

/** Products per output the accumulator must hold exactly. */
export function systolicTerms(p: Pick<SystolicParams, 'dataflow' | 'rows' | 'k'>): number {
  return p.dataflow === 'weight_stationary' ? p.rows : p.k;
}

/** The accumulator (and output) format of the array. */
export function systolicAccumulator(p: Pick<SystolicParams, 'dataflow' | 'rows' | 'k' | 'a' | 'b' | 'accumulator'>): FixedFormat {
  return p.accumulator === 'auto' ? autoAccumulator(p.a, p.b, systolicTerms(p)) : p.accumulator;
}

/** OS: cycles from a GEMM's last beat to row 0 of C; WS: from an activation row to its C row. */
export function systolicLatency(p: Pick<SystolicParams, 'dataflow' | 'rows' | 'cols'>): number {
  return p.dataflow === 'output_stationary' ? p.rows + p.cols : p.rows + p.cols - 1;
}

/** A format as a design file gives it: an integer/fixed format, or a float format. */
export type ArrayFormat = FixedFormat | FloatFormat;

/** `systolic_array` params as parsed from a design file (`fused`/`subnormals` null when absent). */
export interface SystolicFileParams extends Omit<SystolicParams, 'name' | 'a' | 'b' | 'accumulator'> {
  readonly a: ArrayFormat;
  readonly b: ArrayFormat;
  readonly accumulator: ArrayFormat | 'auto';
  readonly fused: boolean | null;
  readonly subnormals: SubnormalMode | null;
}

const nameOf = (f: ArrayFormat | 'auto'): string => (f === 'auto' ? f : formatName(f));

/**
 * Integer/fixed or float params from a design file's. Float arrays need float a, b and
 * accumulator (`fused` defaults to true, `subnormals` to ieee); integer/fixed arrays need no float
 * anywhere and reject `fused`/`subnormals` (a RangeError naming the param).
 */
export function resolveSystolicParams(name: string, p: SystolicFileParams): SystolicParams | SystolicFloatParams {
  const where = `systolic_array '${name}'`;
  const isFloat = (f: ArrayFormat | 'auto'): f is FloatFormat => f !== 'auto' && f.kind === 'float';
  const shape = { name, rows: p.rows, cols: p.cols, dataflow: p.dataflow, k: p.k };
  const { a, b, accumulator } = p;
  if (!isFloat(a) && !isFloat(b)) {
    if (isFloat(accumulator)) throw new RangeError(`${where}: accumulator ${accumulator.name} is a float format; integer/fixed operands (${nameOf(a)} x ${nameOf(b)}) need an integer/fixed accumulator or auto`);
    for (const key of ['fused', 'subnormals'] as const) {
      if (p[key] !== null) throw new RangeError(`${where}: ${key} applies only to float formats; ${nameOf(a)} x ${nameOf(b)} products and sums are exact integers (remove ${key})`);
    }
    return { ...shape, a, b, accumulator };
  }
  if (!isFloat(a) || !isFloat(b)) throw new RangeError(`${where}: a and b must both be float formats or both integer/fixed, got a ${nameOf(a)}, b ${nameOf(b)}`);
  if (!isFloat(accumulator)) throw new RangeError(`${where}: float operands (${a.name} x ${b.name}) need a float accumulator (${FLOAT_ACCUMULATORS.join(', ')}), got accumulator ${nameOf(accumulator)}`);
  return { ...shape, a, b, accumulator, fused: p.fused ?? true, subnormals: p.subnormals ?? 'ieee' };
}

function checkShape(p: SystolicParams | SystolicFloatParams): void {
  for (const [key, v] of [['rows', p.rows], ['cols', p.cols]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`systolic_array '${p.name}': ${key} must be an integer >= 1, got ${v}`);
  }
  if (!Number.isInteger(p.k) || p.k < 0) throw new RangeError(`systolic_array '${p.name}': k must be an integer >= 0, got ${p.k}`);
  if (p.dataflow === 'weight_stationary' && p.k !== 0 && p.k !== p.rows) {
    throw new RangeError(`systolic_array '${p.name}': weight_stationary sums exactly rows = ${p.rows} products per output; k must be 0 or ${p.rows}, got ${p.k}`);
  }
}

function checkParams(p: SystolicParams): PeFormats {
  checkShape(p);
  if (p.dataflow === 'output_stationary' && p.accumulator === 'auto' && p.k < 1) {
    throw new RangeError(`systolic_array '${p.name}': accumulator auto needs k >= 1 (terms per GEMM) for output_stationary`);
  }
  const acc = systolicAccumulator(p);
  const fprod = fracBitsOf(p.a) + fracBitsOf(p.b);
  if (fracBitsOf(acc) < fprod) throw new RangeError(`systolic_array '${p.name}': accumulator ${formatName(acc)} has ${fracBitsOf(acc)} fraction bits; the products need ${fprod}`);
  if ((p.a.signed || p.b.signed) && !acc.signed) throw new RangeError(`systolic_array '${p.name}': signed products need a signed accumulator, got ${formatName(acc)}`);
  return { a: p.a, b: p.b, acc };
}

function checkFloatParams(p: SystolicFloatParams): FloatPeFormats {
  checkShape(p);
  if (!(FLOAT_ACCUMULATORS as readonly string[]).includes(p.accumulator.name)) {
    throw new RangeError(`systolic_array '${p.name}': accumulator must be one of ${FLOAT_ACCUMULATORS.join(', ')} for float operands, got ${p.accumulator.name}`);
  }
  return { a: p.a, b: p.b, acc: p.accumulator, fused: p.fused, subnormals: p.subnormals };
}

/** One design per edge variant, built once and instantiated many times. */
function variantCache(build: (e: PeEdges) => BuiltDesign): (e: PeEdges) => BuiltDesign {
  const cache = new Map<string, BuiltDesign>();
  return (e) => {
    const key = edgeSuffix(e);
    let d = cache.get(key);
    if (d === undefined) {
      d = build(e);
      cache.set(key, d);
    }
    return d;
  };
}

/** What the array builders need of the PEs: their datapath and the header lines naming it. */
interface ArrayPlan {
  readonly dp: PeDatapath;
  /** Formats and numerics, the end of the header's first line. */
  readonly formats: string;
  /** Lines after the protocol lines (float: accumulation order and rounding; none for integers). */
  readonly extraDocs: readonly string[];
}

export function buildSystolic(p: SystolicParams | SystolicFloatParams): BuiltDesign {
  const plan = isFloatSystolic(p) ? floatPlan(p) : intPlan(p);
  return p.dataflow === 'output_stationary' ? buildOs(p, plan) : buildWs(p, plan);
}

function intPlan(p: SystolicParams): ArrayPlan {
  const f = checkParams(p);
  const formats = `a ${formatName(f.a)}, b ${formatName(f.b)}, accumulator/c ${formatName(f.acc)}${p.accumulator === 'auto' ? ` (auto: exact for ${systolicTerms(p)} products)` : ` (wraps modulo 2^${f.acc.width})`}`;
  return { dp: intDatapath(f), formats, extraDocs: [] };
}

function floatPlan(p: SystolicFloatParams): ArrayPlan {
  const f = checkFloatParams(p);
  const dp = floatDatapath(f);
  const order = p.dataflow === 'output_stationary'
    ? `accumulation order: C[i][j] = +0 at each GEMM, then acc = ${floatMacRule(f, 'acc')} with a = A[i][t], b = B[t][j] for beats t = 0..K-1 in beat order`
    : `accumulation order: psum = +0 into grid row 0 (holding B[${p.rows - 1}]), then psum = ${floatMacRule(f, 'psum')} with a = A[m][t], b = B[t][j] for t = ${p.rows - 1} down to 0; C[m][j] = the last psum`;
  return { dp, formats: `a ${f.a.name}, b ${f.b.name}, accumulator/c ${f.acc.name} (${f.fused ? 'fused' : 'unfused'})`, extraDocs: [order, describeRounding(f.acc, floatPeOptions(f))] };
}

function buildOs(p: SystolicParams | SystolicFloatParams, plan: ArrayPlan): BuiltDesign {
  const R = p.rows;
  const C = p.cols;
  const pe = variantCache((e) => buildPeOsWith(`${p.name}_pe${edgeSuffix(e)}`, plan.dp, e));
  const accT = plan.dp.accT;
  return defineModule(p.name, (m) => {
    m.doc(`output-stationary ${R}x${C} systolic array: C[${R}x${C}] = A[${R}xK] . B[Kx${C}]; ${plan.formats}`);
    m.doc('beat (in_valid=1): a_i = A[i][t], b_j = B[t][j]; last=1 on beat K-1 ends the GEMM (idle cycles allowed between beats)');
    m.doc(`row s of C on c_0..c_${C - 1} with out_valid=1 at (last beat) + ${R + C} + s, s = 0..${R - 1}`);
    m.doc(`consecutive last beats at least ${R} cycles apart (pad a GEMM with K < ${R} with idle cycles)`);
    for (const line of plan.extraDocs) m.doc(line);
    m.latency(R + C);
    const aIn = Array.from({ length: R }, (_, i) => m.input(`a_${i}`, plan.dp.aT));
    const bIn = Array.from({ length: C }, (_, j) => m.input(`b_${j}`, plan.dp.bT));
    const inValid = m.input('in_valid', UInt(1));
    const last = m.input('last', UInt(1));
    // Control per anti-diagonal: PE(i, j) works on a beat i + j cycles after the host sent it.
    const validTaps = delayTaps(m, 'valid_d', inValid, R + C - 2, 0n);
    const lastTaps = delayTaps(m, 'last_d', inValid.and(last), R + C - 1, 0n);
    const aSkew = aIn.map((x, i) => delayLine(m, `a_${i}_skew`, x, i));
    const bSkew = bIn.map((x, j) => delayLine(m, `b_${j}_skew`, x, j));
    const zero = m.constant(0n, accT);
    // Results drain upwards: PE(i, j) reads PE(i+1, j)'s drain register, built later.
    const drainLink = Array.from({ length: R }, (_, i) => (i === 0 ? [] : Array.from({ length: C }, (_, j) => m.wire(`drain_${i}_${j}`, accT))));
    const outs: Record<string, Sig>[][] = [];
    for (let i = 0; i < R; i++) {
      const row: Record<string, Sig>[] = [];
      for (let j = 0; j < C; j++) {
        const o = m.instance(`pe_${i}_${j}`, pe({ right: j < C - 1, down: i < R - 1 }), {
          a: j === 0 ? aSkew[i]! : row[j - 1]!['a_out']!,
          b: i === 0 ? bSkew[j]! : outs[i - 1]![j]!['b_out']!,
          valid: validTaps[i + j]!,
          last: lastTaps[i + j]!,
          load: lastTaps[R + j]!,
          drain_in: i === R - 1 ? zero : drainLink[i + 1]![j]!,
        });
        if (i > 0) drainLink[i]![j]!.drive(o['drain_out']!);
        row.push(o);
      }
      outs.push(row);
    }
    for (let j = 0; j < C; j++) m.output(`c_${j}`, accT).drive(delayLine(m, `c_${j}_deskew`, outs[0]![j]!['drain_out']!, C - 1 - j));
    // out_valid: `rows` cycles starting rows + cols cycles after a last beat.
    const cw = Math.max(1, Math.ceil(Math.log2(R + 1)));
    const count = m.reg('out_count', UInt(cw), { reset: 0n });
    const busy = count.orR();
    count.next(lastTaps[R + C - 1]!.choose(m.constant(R, UInt(cw)), busy.choose(count.subWrap(1), count)));
    m.output('out_valid', UInt(1)).drive(busy);
  });
}

function buildWs(p: SystolicParams | SystolicFloatParams, plan: ArrayPlan): BuiltDesign {
  const R = p.rows;
  const C = p.cols;
  const pe = variantCache((e) => buildPeWsWith(`${p.name}_pe${edgeSuffix(e)}`, plan.dp, e));
  const accT = plan.dp.accT;
  return defineModule(p.name, (m) => {
    m.doc(`weight-stationary ${R}x${C} systolic array: C[Mx${C}] = A[Mx${R}] . B[${R}x${C}], M streamed; ${plan.formats}`);
    m.doc(`load: ${R} cycles with w_load=1 carrying B[0]..B[${R - 1}] on b_* in order (the last ${R} rows loaded are B)`);
    m.doc(`stream: in_valid=1 with a_t = A[m][t]; C[m] on c_* with out_valid=1 ${R + C - 1} cycles later; no w_load in the ${R - 1} cycle(s) starting at an activation beat`);
    for (const line of plan.extraDocs) m.doc(line);
    m.latency(R + C - 1);
    const aIn = Array.from({ length: R }, (_, t) => m.input(`a_${t}`, plan.dp.aT));
    const bIn = Array.from({ length: C }, (_, j) => m.input(`b_${j}`, plan.dp.bT));
    const wLoad = m.input('w_load', UInt(1));
    const inValid = m.input('in_valid', UInt(1));
    // Grid row r holds B[R-1-r] (the weights shift down), so it takes a_{R-1-r}, r cycles late.
    const aSkew = Array.from({ length: R }, (_, r) => delayLine(m, `a_${R - 1 - r}_skew`, aIn[R - 1 - r]!, r));
    // Weight loading is skewed like the activations (column j loads j cycles late), so a load
    // overtakes no activation in flight in any column, and w_load fans out to one column only.
    const wTop = bIn.map((x, j) => delayLine(m, `b_${j}_skew`, x, j));
    const wLoadTaps = delayTaps(m, 'w_load_d', wLoad, C - 1, 0n);
    const zero = m.constant(0n, accT);
    const outs: Record<string, Sig>[][] = [];
    for (let r = 0; r < R; r++) {
      const row: Record<string, Sig>[] = [];
      for (let j = 0; j < C; j++) {
        row.push(m.instance(`pe_${r}_${j}`, pe({ right: j < C - 1, down: r < R - 1 }), {
          a: j === 0 ? aSkew[r]! : row[j - 1]!['a_out']!,
          w_in: r === 0 ? wTop[j]! : outs[r - 1]![j]!['w_out']!,
          w_load: wLoadTaps[j]!,
          psum_in: r === 0 ? zero : outs[r - 1]![j]!['psum_out']!,
        }));
      }
      outs.push(row);
    }
    for (let j = 0; j < C; j++) m.output(`c_${j}`, accT).drive(delayLine(m, `c_${j}_deskew`, outs[R - 1]![j]!['psum_out']!, C - 1 - j));
    m.output('out_valid', UInt(1)).drive(delayLine(m, 'valid_d', inValid, R + C - 1, 0n));
  });
}

/** The shape params `systolic_array` and `gemm_tile` share (k after the formats, as design files list it). */
export const arrayShapeParams = {
  rows: intParam('PE rows (output_stationary: rows of A and C; weight_stationary: the reduction depth, rows of B)', 1, 1024, 4),
  cols: intParam('PE columns (columns of B and C)', 1, 1024, 4),
  dataflow: enumParam('output_stationary (C stays in the PEs, K streamed) or weight_stationary (B preloaded, rows of A streamed)', ['output_stationary', 'weight_stationary'], 'output_stationary'),
} as const;

export const arrayKParam = intParam('output_stationary: terms per GEMM an auto accumulator is sized for; weight_stationary: 0 or rows', 0, 1 << 24, 0);

/**
 * A `systolic_array` format: an integer/fixed format, one of the float presets `floats`, or, when
 * `auto`, the word auto.
 */
function arrayFormatParam<A extends boolean>(doc: string, dflt: FixedFormat, floats: readonly string[], auto: A): ParamSpec<ArrayFormat | (A extends true ? 'auto' : never)> {
  const fixed = formatParam(doc);
  const isAuto = (raw: unknown): raw is A extends true ? 'auto' : never => auto && raw === 'auto';
  return {
    doc,
    default: dflt,
    parse: (raw) => {
      if (isAuto(raw)) return raw;
      const float = typeof raw === 'string' && floats.includes(raw) ? lookupFloatFormat(raw) : undefined;
      if (float !== undefined) return float;
      const f = fixed.parse(raw);
      return isParamError(f) ? { error: `${f.error}${auto ? ', auto' : ''}; or a float format (${floats.join(', ')})` } : f;
    },
  };
}

/** A float-array-only param: absent = null (float arrays use the documented default; integer arrays reject any value). */
function floatOnlyParam<T>(spec: ParamSpec<T>): ParamSpec<T | null> {
  return { doc: spec.doc, default: null, parse: spec.parse };
}

/** `generator: systolic_array` in design files. */
export const systolicGenerator = rtlGenerator({
  name: 'systolic_array',
  doc: 'rows x cols systolic GEMM array (output- or weight-stationary), integer/fixed or float (fma per step, defined accumulation order), with input skew and output deskew; one row of C per cycle with out_valid',
  params: {
    ...arrayShapeParams,
    a: arrayFormatParam('activation (A) format: int, uint, fixed, or a float format (fp16, bf16, fp8_e4m3, fp8_e5m2, ...; then b and accumulator are float too)', intFormat(8, true), Object.keys(FLOAT_FORMATS), false),
    b: arrayFormatParam('weight (B) format: int, uint, fixed, or a float format', intFormat(8, true), Object.keys(FLOAT_FORMATS), false),
    accumulator: arrayFormatParam(`accumulator and c format (integer sums wrap), auto for the exact width of k (OS) or rows (WS) products, or for float a/b one of ${FLOAT_ACCUMULATORS.join(', ')}`, intFormat(32, true), FLOAT_ACCUMULATORS, true),
    k: arrayKParam,
    fused: floatOnlyParam(boolParam('float formats only (default true): true: acc + a*b rounded once (fma); false: the product is rounded to the accumulator format first')),
    subnormals: floatOnlyParam(enumParam('float formats only (default ieee): ieee keeps subnormals; flush: subnormal inputs read as zero, results below the smallest normal flushed to zero', SUBNORMAL_MODES)),
  },
  build: (name, p) => buildSystolic(resolveSystolicParams(name, p)),
});
