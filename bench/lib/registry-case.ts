/**
 * A benchmark case built from the generator registry the way the CLI builds a design file:
 * `generator: G / name: N / params: { ... }` through loadYamlDesign, with the golden
 * transaction model the registry (catalog/) builds from the same parsed params.
 */
import { loadYamlDesign } from '../../cli/design-file.ts';
import type { Design } from '../../dsl/ir/nodes.ts';
import type { TransactionModel } from '../../sim/models/types.ts';

export interface RegistryCase {
  readonly name: string;
  readonly generator: string;
  /** A YAML flow mapping, e.g. `{ a: bf16, b: bf16, accumulator: fp32, fused: true }`. */
  readonly params: string;
}

export interface BuiltCase {
  readonly design: Design;
  readonly model: TransactionModel;
  readonly params: Readonly<Record<string, unknown>>;
}

export function buildCase(c: RegistryCase): BuiltCase {
  const loaded = loadYamlDesign(`${c.name}.yaml`, `generator: ${c.generator}\nname: ${c.name}\nparams: ${c.params}\n`);
  return { design: loaded.design, model: loaded.model, params: loaded.params };
}

/** Cases named in `only`, a comma-separated list (all when `only` is empty). */
export function selectCases<T extends { readonly name: string }>(cases: readonly T[], only: string): T[] {
  const names = only.split(',').filter((n) => n !== '');
  const picked = cases.filter((c) => names.length === 0 || names.includes(c.name));
  if (picked.length === 0) throw new Error(`--only ${only}: no such case (${cases.map((c) => c.name).join(', ')})`);
  return picked;
}
