/**
 * @deprecated The old generator table (see `GENERATORS` below); the registry is `catalog/`.
 */
import type { BuiltDesign } from '../builder/module.ts';
import { buildMac } from './mac.ts';
import { buildSystolic, FLOAT_ACCUMULATORS, resolveSystolicParams, type ArrayFormat } from './systolic.ts';
import { buildGemmTile } from './gemm-tile.ts';
import { buildDot } from './dot.ts';
import { buildRequantizer } from './requantizer.ts';
import { boolParam, enumParam, formatOrAutoParam, formatParam, intParam, isParamError, type ParamSpec, type ParamValues } from './params.ts';
import { intFormat } from '../types/format-string.ts';
import { buildFpConvert } from './fp-convert.ts';
import { convertFormatOf, convertFormatParam } from './fp-params.ts';
import { INT_ROUNDINGS } from '../float/int-convert.ts';
import { buildFpMul } from './fp-mul.ts';
import { buildFpMac } from './fp-mac.ts';
import { buildFpDot } from './fp-dot.ts';
import { floatFormatParam, fmt, pipelineStagesParam, SUBNORMAL_MODES, type FloatFormatName } from './fp-params.ts';
import { FLOAT_FORMATS } from '../float/format.ts';
import type { FixedFormat } from '../types/format-string.ts';
import { buildMxDot, MX_ELEMENT_FORMATS, type MxFormatName } from './mx-dot.ts';

export interface GeneratorEntry<S extends Record<string, ParamSpec<unknown>> = Record<string, ParamSpec<unknown>>> {
  readonly doc: string;
  readonly params: S;
  readonly build: (name: string, params: ParamValues<S>) => BuiltDesign;
}

/** Erases an entry's param types for the table; `build` only ever receives values its own specs parsed. */
function entry<S extends Record<string, ParamSpec<unknown>>>(e: GeneratorEntry<S>): GeneratorEntry {
  return e as unknown as GeneratorEntry;
}

/**
 * @deprecated Old-style entries, kept until 00:30 UTC so branches written against the old
 * registry still compile after a rebase; `catalog/legacy.ts` pairs each with `MODELS` in
 * `sim/models/registry.ts` (a missing model is a registry-load error). New generators use
 * `rtlGenerator` + `defineGenerator` (docs/architecture.md, "How to add a generator").
 */
export const GENERATORS: Readonly<Record<string, GeneratorEntry>> = {
};
