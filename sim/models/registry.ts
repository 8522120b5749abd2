/**
 * @deprecated The old generator name → model table. The registry is `catalog/`: each generator's
 * model is the `<gen>GeneratorModel` function of its model file, paired with the RTL half by
 * `defineGenerator`. Kept until 00:30 UTC so branches that added an old-style entry (here and in
 * `dsl/npu/registry.ts`) still compile after a rebase; `catalog/legacy.ts` pairs them.
 */
import type { TransactionModel } from './types.ts';

export { goldenAutoAccumulator } from './auto-accumulator.ts';

export type ModelFactory = (params: Readonly<Record<string, unknown>>) => TransactionModel;

/** @deprecated Old-style models by generator name; see the module comment. */
export const MODELS: Readonly<Record<string, ModelFactory>> = {
};
