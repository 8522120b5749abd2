/**
 * Parameter specs shared by the float generators. Formats parse once, with the `formats/`
 * parser, into their descriptors; float presets: fp32, fp16, bf16, fp8_e4m3, fp8_e5m2,
 * fp8_e4m3fnuz, fp8_e5m2fnuz, fp6_e3m2, fp6_e2m3, fp4_e2m1.
 */
import { FLOAT_FORMATS, lookupFloatFormat, type FloatFormat, type FloatFormatName } from '../../formats/float.ts';
import { parseFormat } from '../../formats/number-format.ts';
import type { FixedFormat } from '../../formats/fixed.ts';
import { enumParam, intParam, ParamError, type ParamSpec } from './params.ts';

export type { FloatFormatName } from '../../formats/float.ts';

/** A float format by preset name (only `allowed` names when given), parsed to its descriptor. */
export function floatFormatParam(doc: string, dflt?: FloatFormatName, allowed?: readonly string[]): ParamSpec<FloatFormat> {
  const names = allowed ?? Object.keys(FLOAT_FORMATS);
  return {
    doc,
    ...(dflt ? { default: FLOAT_FORMATS[dflt] } : {}),
    parse: (raw) => {
      const f = typeof raw === 'string' && names.includes(raw) ? lookupFloatFormat(raw) : undefined;
      return f ?? { error: `expected a float format (${names.join(', ')}), got ${JSON.stringify(raw)}` };
    },
  };
}

/**
 * Throws ParamError(`key`) when `result` has no NaN encoding (fp6_e3m2, fp6_e2m3, fp4_e2m1) but an
 * operand format has NaN or Inf codes: a NaN operand, 0·Inf or Inf - Inf would give a NaN result
 * that `result` cannot hold. Such formats are results only of operands that are always finite
 * (e.g. fp6 x fp6 -> fp4, where overflow saturates). Found by the param fuzzer (bench/fuzz.ts).
 */
export function checkNanFreeResult(key: string, result: FloatFormat, operands: Readonly<Record<string, FloatFormat>>): void {
  if (result.nanCode !== undefined) return;
  const special = Object.entries(operands).filter(([, f]) => f.nanCode !== undefined || f.infCode !== undefined);
  if (special.length === 0) return;
  const names = Object.values(FLOAT_FORMATS);
  const withNan = names.filter((f) => f.nanCode !== undefined).map((f) => f.name);
  const finite = names.filter((f) => f.nanCode === undefined && f.infCode === undefined).map((f) => f.name);
  throw new ParamError(key, `${result.name} has no NaN encoding, but ${special.map(([k, f]) => `${k}: ${f.name}`).join(' and ')} ${special.length > 1 ? 'have' : 'has'} NaN/Inf codes, so a NaN result (NaN operand, 0*Inf, Inf-Inf) could not be represented; use for ${key} a format with NaN (${withNan.join(', ')}) or operand formats without NaN and Inf (${finite.join(', ')})`);
}

export const SUBNORMAL_MODES = ['ieee', 'flush'] as const;

/** The `subnormals` param of the float generators (default ieee). */
export function subnormalsParam(): ParamSpec<(typeof SUBNORMAL_MODES)[number]> {
  return enumParam('ieee: subnormal inputs and results kept; flush: subnormal inputs read as zero, results below the smallest normal flushed to zero', SUBNORMAL_MODES, 'ieee');
}

/** A conversion endpoint: a float format or an integer / fixed-point format. */
export type ConvertFormat = FloatFormat | FixedFormat;

function parseConvertFormat(raw: unknown): ConvertFormat | undefined {
  const f = typeof raw === 'string' ? parseFormat(raw) : undefined;
  return f !== undefined && typeof f !== 'string' && (f.kind === 'float' || f.kind === 'fixed') ? f : undefined;
}

/**
 * A conversion endpoint: a float preset name or an integer/fixed-point format string (`int8`,
 * `uint16`, `fixed<16,4>`), parsed to its descriptor.
 */
export function convertFormatParam(doc: string, dflt: FloatFormatName): ParamSpec<ConvertFormat> {
  return {
    doc,
    default: FLOAT_FORMATS[dflt],
    parse: (raw) => parseConvertFormat(raw) ?? { error: `expected a float format (${Object.keys(FLOAT_FORMATS).join(', ')}) or an integer format int<N>/uint<N> (fixed<W,I> as a source), got ${JSON.stringify(raw)}` },
  };
}

/** Most pipeline stages a float generator accepts (beyond its cut points they are output registers). */
export const MAX_FLOAT_PIPELINE_STAGES = 16;

/** The `pipeline_stages` param of the float generators: 0 (default) = combinational. */
export function pipelineStagesParam(doc: string, max = MAX_FLOAT_PIPELINE_STAGES): ParamSpec<number> {
  return intParam(`${doc} (= latency in cycles; 0 = combinational)`, 0, max, 0);
}

/**
 * Where `stages` pipeline registers go on a path of `segments` logic segments in a row (boundary k
 * = between segment k and k + 1, k = 0..segments - 2): with used = min(stages, segments - 1), a
 * register after boundary ceil(j * segments / (used + 1)) - 1 for j = 1..used, which splits the
 * path into used + 1 runs whose segment counts differ by at most one (the shorter runs last). All
 * cuts are interior (the output is driven by the last run's logic); stages beyond segments - 1
 * are returned as `extra` output registers.
 * Example: 5 segments, 2 stages: boundaries {1, 3}, runs of 2, 2 and 1 segment(s).
 */
export function interiorCuts(segments: number, stages: number): { cuts: Set<number>; extra: number } {
  const used = Math.min(stages, Math.max(0, segments - 1));
  const cuts = new Set<number>();
  for (let j = 1; j <= used; j++) cuts.add(Math.ceil((j * segments) / (used + 1)) - 1);
  return { cuts, extra: stages - used };
}
