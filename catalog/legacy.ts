/**
 * @deprecated Transition shim (until 00:30 UTC): old-style entries of `dsl/npu/registry.ts`
 * `GENERATORS` paired with `sim/models/registry.ts` `MODELS` by name. An entry without a model
 * is a registry-load error. Port an entry by moving its params and build into an
 * `rtlGenerator` in its generator file and its model into a `<gen>GeneratorModel` in its model
 * file (docs/architecture.md, "How to add a generator"); then this file goes.
 */
import { GENERATORS as OLD_GENERATORS, type GeneratorEntry } from '../dsl/npu/registry.ts';
import { parseParams } from '../dsl/npu/params.ts';
import { MODELS as OLD_MODELS, type ModelFactory } from '../sim/models/registry.ts';
import type { Generator } from './define.ts';

export function legacyGenerators(): Generator[] {
  return pairLegacy(OLD_GENERATORS, OLD_MODELS);
}

/** Old-style entries as registry entries; throws for an entry without a model. */
export function pairLegacy(gens: Readonly<Record<string, GeneratorEntry>>, models: Readonly<Record<string, ModelFactory>>): Generator[] {
  return Object.entries(gens).map(([name, e]): Generator => {
    const model = models[name];
    if (model === undefined) throw new Error(`catalog: generator '${name}' (dsl/npu/registry.ts) has no model in sim/models/registry.ts MODELS`);
    return {
      name, doc: e.doc, params: e.params,
      instantiate(raw, designName) {
        const params = parseParams(e.params, raw);
        return { generator: name, design: e.build(designName, params), model: model(params), params };
      },
    };
  });
}
