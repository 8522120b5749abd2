/**
 * The generator registry: every generator reachable from design files, each a `defineGenerator`
 * pairing of its RTL half (`dsl/npu/<gen>.ts`) and its model half (`sim/models/<gen>.ts`).
 * `instantiate` is the one way in for the CLI (gen, verify, synth, lint), the tests and the benches.
 */
import { defineGenerator, type Generator, type Instance, type RawParams } from './define.ts';
import { macGenerator } from '../dsl/npu/mac.ts';
import { macGeneratorModel } from '../sim/models/mac.ts';
import { dotGenerator } from '../dsl/npu/dot.ts';
import { dotGeneratorModel } from '../sim/models/dot.ts';
import { requantizerGenerator } from '../dsl/npu/requantizer.ts';
import { requantizerGeneratorModel } from '../sim/models/presets.ts';
import { systolicGenerator } from '../dsl/npu/systolic.ts';
import { systolicGeneratorModel } from '../sim/models/systolic-float.ts';
import { gemmTileGenerator } from '../dsl/npu/gemm-tile.ts';
import { gemmTileGeneratorModel } from '../sim/models/gemm-tile.ts';
import { fpConvertGenerator } from '../dsl/npu/fp-convert.ts';
import { fpConvertGeneratorModel } from '../sim/models/float-convert.ts';
import { fpMulGenerator } from '../dsl/npu/fp-mul.ts';
import { fpMulGeneratorModel } from '../sim/models/float-mul.ts';
import { fpMacGenerator } from '../dsl/npu/fp-mac.ts';
import { fpMacGeneratorModel } from '../sim/models/float-mac.ts';
import { fpDotGenerator } from '../dsl/npu/fp-dot.ts';
import { fpDotGeneratorModel } from '../sim/models/float-dot.ts';
import { mxDotGenerator } from '../dsl/npu/mx-dot.ts';
import { mxDotGeneratorModel } from '../sim/models/mx-dot.ts';
import { groupDotGenerator, groupGemmGenerator } from '../dsl/npu/group-dot.ts';
import { groupDotGeneratorModel, groupGemmGeneratorModel } from '../sim/models/group-dot.ts';
import { fp8AccDotGenerator } from '../dsl/npu/fp8-acc-dot.ts';
import { fp8AccDotGeneratorModel } from '../sim/models/fp8-acc-dot.ts';

export type { Generator, Instance, RawParams } from './define.ts';
export { defineGenerator } from './define.ts';
export { ParamError } from '../dsl/npu/params.ts';
// `npugen/generators` is this module: the registry plus the generators' build functions.
export * from '../dsl/npu/index.ts';

/** One line per generator, in `npugen --help` order. */
const DEFINED: readonly Generator[] = [
  defineGenerator(fpConvertGenerator, fpConvertGeneratorModel),
  defineGenerator(fpMulGenerator, fpMulGeneratorModel),
  defineGenerator(fpMacGenerator, fpMacGeneratorModel),
  defineGenerator(fpDotGenerator, fpDotGeneratorModel),
  defineGenerator(mxDotGenerator, mxDotGeneratorModel),
  defineGenerator(macGenerator, macGeneratorModel),
  defineGenerator(systolicGenerator, systolicGeneratorModel),
  defineGenerator(dotGenerator, dotGeneratorModel),
  defineGenerator(requantizerGenerator, requantizerGeneratorModel),
  defineGenerator(gemmTileGenerator, gemmTileGeneratorModel),
  defineGenerator(groupDotGenerator, groupDotGeneratorModel),
  defineGenerator(groupGemmGenerator, groupGemmGeneratorModel),
  defineGenerator(fp8AccDotGenerator, fp8AccDotGeneratorModel),
];

/** Every generator by name; a duplicate name is a registry-load error. */
export const GENERATORS: ReadonlyMap<string, Generator> = indexByName(DEFINED);

function indexByName(gens: readonly Generator[]): Map<string, Generator> {
  const out = new Map<string, Generator>();
  for (const g of gens) {
    if (out.has(g.name)) throw new Error(`catalog: two generators are named '${g.name}'`);
    out.set(g.name, g);
  }
  return out;
}

export class UnknownGeneratorError extends Error {
  override readonly name = 'UnknownGeneratorError';
  constructor(readonly generator: string) {
    super(`unknown generator '${generator}'; known: ${[...GENERATORS.keys()].join(', ')}`);
  }
}

/** The generator named `name`, or undefined. */
export function findGenerator(name: string): Generator | undefined {
  return GENERATORS.get(name);
}

/**
 * Builds generator `name` from raw params (YAML/JSON values, defaults filled in) and its golden
 * model from the same parsed params. Throws UnknownGeneratorError, ParamError (bad, missing or
 * unknown param, naming it) or RangeError (a combination the generator rejects).
 */
export function instantiate(name: string, raw: RawParams = {}, designName = name): Instance {
  const g = GENERATORS.get(name);
  if (g === undefined) throw new UnknownGeneratorError(name);
  return g.instantiate(raw, designName);
}
