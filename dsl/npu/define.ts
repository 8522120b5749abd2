/**
 * The RTL half of a generator definition: its name, its typed parameter schema and its build
 * function. The param type is inferred once, here, from the schema; the model half
 * (`sim/models/*`) names it with `GeneratorParams<typeof xGenerator>` through an `import type`
 * (erased at run time, so models stay independent of the IR), and `catalog/` pairs both
 * halves with `defineGenerator`. See docs/architecture.md, "How to add a generator".
 */
import type { BuiltDesign } from '../builder/module.ts';
import type { ParamSchema, ParamValues } from './params.ts';

export interface RtlGenerator<S extends ParamSchema = ParamSchema> {
  /** The name design files use (`generator: <name>`). */
  readonly name: string;
  /** One line for `npugen --help` and error messages. */
  readonly doc: string;
  readonly params: S;
  /** Builds the design from parsed params; throws RangeError for a combination it rejects. */
  readonly build: (designName: string, params: ParamValues<S>) => BuiltDesign;
}

/** Declares a generator's RTL half; `build` gets the param type inferred from `params`. */
export function rtlGenerator<const S extends ParamSchema>(g: RtlGenerator<S>): RtlGenerator<S> {
  return g;
}

/** The parsed params of a generator, e.g. `GeneratorParams<typeof macGenerator>`. */
export type GeneratorParams<G> = G extends RtlGenerator<infer S> ? ParamValues<S> : never;
