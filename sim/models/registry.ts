/**
 * @deprecated The old generator name → model table. The registry is `catalog/`: each generator's
 * model is the `<gen>GeneratorModel` function of its model file, paired with the RTL half by
 * `defineGenerator`. Kept until 00:30 UTC so branches that added an old-style entry (here and in
 * `dsl/npu/registry.ts`) still compile after a rebase; `catalog/legacy.ts` pairs them.
 */
import type { TransactionModel } from './types.ts';
import type { FloatFormat } from '../golden/index.ts';
import { groupDotModel } from './group-dot.ts';
import { fp8AccDotModel } from './fp8-acc-dot.ts';
import type { GroupActivation, GroupDatapath } from '../golden/accel/group-dot.ts';

export { goldenAutoAccumulator } from './auto-accumulator.ts';

export type ModelFactory = (params: Readonly<Record<string, unknown>>) => TransactionModel;

/** @deprecated Old-style models by generator name; see the module comment. */
export const MODELS: Readonly<Record<string, ModelFactory>> = {
  group_dot: (p) => groupDotModel({ datapath: p['datapath'] as GroupDatapath, activation: p['activation'] as GroupActivation, group_size: p['group_size'] as number, lanes: p['lanes'] as number, cols: 1 }),
  group_gemm: (p) => groupDotModel({ datapath: p['datapath'] as GroupDatapath, activation: p['activation'] as GroupActivation, group_size: p['group_size'] as number, lanes: p['lanes'] as number, cols: p['cols'] as number }),
  fp8_acc_dot: (p) => fp8AccDotModel({ a: p['a'] as FloatFormat, b: p['b'] as FloatFormat, lanes: p['lanes'] as number, align_bits: p['align_bits'] as number, promote_every: p['promote_every'] as number }),
};
