/**
 * Random-parameter fuzzing of every registered generator (catalog/) against its golden model:
 * random params from each spec's accepted values, `instantiate`, then `verifyDesign` on the
 * built-in simulator (and optionally Icarus/Verilator) with corner and random vectors. A
 * combination the generator refuses (ParamError, RangeError, TypeError naming the problem) is
 * a rejection, not a failure; any other exception is a crash and a mismatch is a failure.
 * Failures shrink greedily (each param towards its default or a smaller accepted value).
 */
import { GENERATORS, instantiate, type Generator, type RawParams } from '../../../catalog/index.ts';
import { verifyDesign, type SimChoice } from '../../../sim/cosim/verify.ts';
import type { ParamSpec } from '../../../dsl/npu/params.ts';
import { isParamError } from '../../../dsl/npu/params.ts';
import { FLOAT_FORMATS } from '../../../formats/float.ts';
import { Rng } from '../../../sim/random.ts';

/** Raw values tried against each spec's parser; those it accepts are the param's domain. */
const INT_PROBES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 24, 32];
const FORMAT_PROBES = [
  'int2', 'int3', 'int4', 'int5', 'int7', 'int8', 'int12', 'int16', 'int24', 'int32',
  'uint1', 'uint2', 'uint4', 'uint6', 'uint8', 'uint12', 'uint16', 'uint32',
  'fixed<8,4>', 'fixed<12,6>', 'fixed<16,4>', 'fixed<16,8>', 'ufixed<8,2>', 'ufixed<12,4>', 'auto',
];
const STRING_PROBES = [...FORMAT_PROBES, ...Object.keys(FLOAT_FORMATS)];

/** Raw values the spec accepts among the probes (its enum values when it lists them). */
export function paramDomain(spec: ParamSpec<unknown>): readonly unknown[] {
  const probes: readonly unknown[] = spec.values ?? [...INT_PROBES, true, false, ...STRING_PROBES];
  return probes.filter((v) => !isParamError(spec.parse(v)));
}

/** Random raw params: each key at its default (when it has one) 30% of the time, else a random accepted value. */
export function randomParams(gen: Generator, rng: Rng): RawParams {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(gen.params)) {
    const domain = paramDomain(spec);
    if ((spec.default !== undefined && rng.below(10) < 3) || domain.length === 0) continue;
    out[key] = domain[rng.below(domain.length)];
  }
  return out;
}

export type ParamOutcome =
  | { readonly status: 'pass' | 'rejected' | 'too-big'; readonly detail?: string }
  | { readonly status: 'fail' | 'crash'; readonly detail: string };

export interface ParamCheckOptions {
  readonly vectors: number;
  readonly seed: number;
  readonly simulators: readonly SimChoice[];
  /** Designs with more IR nodes are skipped as too big for a fuzz iteration. */
  readonly maxNodes: number;
}

/** Instantiates and verifies one parameter set. */
export async function checkParams(generator: string, params: RawParams, o: ParamCheckOptions): Promise<ParamOutcome> {
  let inst;
  try {
    inst = instantiate(generator, params, `pf_${generator}`);
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'ParamError' || name === 'RangeError' || name === 'TypeError' || name === 'DesignError') return { status: 'rejected', detail: (e as Error).message.split('\n')[0]! };
    return { status: 'crash', detail: `instantiate: ${(e as Error).stack ?? String(e)}` };
  }
  const nodes = inst.design.modules.reduce((n, m) => n + m.nodes.length, 0);
  if (nodes > o.maxNodes) return { status: 'too-big', detail: `${nodes} nodes` };
  try {
    const r = await verifyDesign(inst.design, { simulators: o.simulators, model: inst.model, vectors: o.vectors, seed: o.seed, corners: true, maxMismatchRecords: 3 });
    if (r.passed && r.divergences.length === 0) return { status: 'pass' };
    const bad = r.outcomes.filter((x) => !x.passed).map((x) => `${x.simulator}: ${x.counts.mismatches} mismatches, first ${JSON.stringify(x.mismatches[0], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
    return { status: 'fail', detail: [...bad, ...r.divergences.map((d) => d.detail)].join('; ') };
  } catch (e) {
    return { status: 'crash', detail: `verify: ${(e as Error).stack ?? String(e)}` };
  }
}

/**
 * A smaller failing parameter set: repeatedly drops a key (back to its default) or moves it to
 * an earlier (smaller) accepted value while the same status persists; at most `budget` checks.
 */
export async function shrinkParams(generator: string, params: RawParams, status: 'fail' | 'crash', o: ParamCheckOptions, budget = 60): Promise<RawParams> {
  const gen = GENERATORS.get(generator)!;
  let best: Record<string, unknown> = { ...params };
  let calls = 0;
  for (let changed = true; changed && calls < budget;) {
    changed = false;
    for (const key of Object.keys(best)) {
      const domain = paramDomain(gen.params[key]!);
      const at = domain.indexOf(best[key]);
      const candidates: Record<string, unknown>[] = [];
      if (gen.params[key]!.default !== undefined) candidates.push(Object.fromEntries(Object.entries(best).filter(([k]) => k !== key)));
      for (let i = 0; i < at && candidates.length < 4; i++) candidates.push({ ...best, [key]: domain[i] });
      for (const c of candidates) {
        if (calls++ >= budget) return best;
        if ((await checkParams(generator, c, o)).status === status) {
          best = c;
          changed = true;
          break;
        }
      }
    }
  }
  return best;
}

/** Generator names, in registry order. */
export function generatorNames(): string[] {
  return [...GENERATORS.keys()];
}
