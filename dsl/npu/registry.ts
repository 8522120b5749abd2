/**
 * Generators reachable from design files (`generator: <name>`), each with its parameter specs
 * and a build function. Adding a generator is one entry here.
 */
import type { BuiltDesign } from '../builder/module.ts';
import { buildMac } from './mac.ts';
import { enumParam, formatParam, type ParamSpec, type ParamValues } from './params.ts';
import { SInt } from '../builder/module.ts';

export interface GeneratorEntry<S extends Record<string, ParamSpec<unknown>> = Record<string, ParamSpec<unknown>>> {
  readonly doc: string;
  readonly params: S;
  readonly build: (name: string, params: ParamValues<S>) => BuiltDesign;
}

function entry<S extends Record<string, ParamSpec<unknown>>>(e: GeneratorEntry<S>): GeneratorEntry {
  return e as unknown as GeneratorEntry;
}

const macParams = {
  a: formatParam('operand a format (int or uint)', SInt(8)),
  b: formatParam('operand b format (int or uint)', SInt(8)),
  accumulator: formatParam('accumulator format', SInt(32)),
  overflow: enumParam('accumulator overflow', ['wrap', 'saturate'] as const, 'wrap'),
};

export const GENERATORS: Readonly<Record<string, GeneratorEntry>> = {
  mac: entry({
    doc: 'multiply-accumulate PE: acc <= (clear ? 0 : acc) + a*b when en',
    params: macParams,
    build: (name, p) => buildMac({ name, ...p }),
  }),
};
