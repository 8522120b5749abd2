/**
 * Generators reachable from design files (`generator: <name>`), each with its parameter specs
 * and a build function. Adding a generator is one entry here.
 */
import type { BuiltDesign } from '../builder/module.ts';
import { buildMac } from './mac.ts';
import { enumParam, formatOrAutoParam, formatParam, intParam, type ParamSpec, type ParamValues } from './params.ts';
import { intFormat } from '../types/format-string.ts';

export interface GeneratorEntry<S extends Record<string, ParamSpec<unknown>> = Record<string, ParamSpec<unknown>>> {
  readonly doc: string;
  readonly params: S;
  readonly build: (name: string, params: ParamValues<S>) => BuiltDesign;
}

/** Erases an entry's param types for the table; `build` only ever receives values its own specs parsed. */
function entry<S extends Record<string, ParamSpec<unknown>>>(e: GeneratorEntry<S>): GeneratorEntry {
  return e as unknown as GeneratorEntry;
}

const macParams = {
  a: formatParam('operand a format (int, uint or fixed)', intFormat(8, true)),
  b: formatParam('operand b format (int, uint or fixed)', intFormat(8, true)),
  accumulator: formatOrAutoParam('accumulator format, or auto for the exact width of k products', intFormat(32, true)),
  k: intParam('products per accumulation (sizes accumulator: auto)', 1, 1 << 24, 1),
  overflow: enumParam('accumulator overflow', ['wrap', 'saturate'] as const, 'wrap'),
};

export const GENERATORS: Readonly<Record<string, GeneratorEntry>> = {
  mac: entry({
    doc: 'multiply-accumulate PE: acc <= (clear ? 0 : acc) + a*b when en',
    params: macParams,
    build: (name, p) => buildMac({ name, ...p }),
  }),
};
