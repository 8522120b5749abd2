/**
 * `defineGenerator`: pairs a generator's RTL half (`dsl/npu`, schema + build) with its model
 * half (`sim/models`, golden transaction model) into one registry entry. The two halves share
 * one inferred param type, so the compiler checks every parsed value from the design file to
 * the RTL and to the model; an entry without a model does not type-check.
 *
 * Why here and not in dsl/ or sim/: nothing in dsl/ may import sim/ (the RTL side must not see
 * the reference), and the models must not import the builder (the reference must not see the
 * RTL). `catalog/` sits above both and is the only module that imports both at run time.
 */
import type { BuiltDesign } from '../dsl/builder/module.ts';
import type { RtlGenerator } from '../dsl/npu/define.ts';
import { parseParams, type ParamSchema, type ParamValues } from '../dsl/npu/params.ts';
import type { TransactionModel } from '../sim/models/types.ts';

/** Raw params as a design file holds them (YAML/JSON values: strings, numbers, booleans). */
export type RawParams = Readonly<Record<string, unknown>>;

/** A design built from raw params, with the golden model made from the same parsed values. */
export interface Instance {
  readonly generator: string;
  readonly design: BuiltDesign;
  readonly model: TransactionModel;
  /** The parsed params (formats as descriptors or names), for bindings and reports. */
  readonly params: Readonly<Record<string, unknown>>;
}

/** A registry entry: the schema for docs and key checks, and one way in: `instantiate`. */
export interface Generator {
  readonly name: string;
  readonly doc: string;
  readonly params: ParamSchema;
  /**
   * Parses `raw` with the schema (ParamError naming the key for a bad, missing or unknown
   * param), builds the design named `designName` and its model. A combination the generator
   * or the model rejects throws RangeError (or TypeError) with the reason.
   */
  instantiate(raw: RawParams, designName: string): Instance;
}

/** One generator: its RTL half and the model built from the same parsed params. */
export function defineGenerator<S extends ParamSchema>(rtl: RtlGenerator<S>, model: (params: ParamValues<S>) => TransactionModel): Generator {
  return {
    name: rtl.name,
    doc: rtl.doc,
    params: rtl.params,
    instantiate(raw, designName) {
      const params = parseParams(rtl.params, raw);
      return { generator: rtl.name, design: rtl.build(designName, params), model: model(params), params };
    },
  };
}
