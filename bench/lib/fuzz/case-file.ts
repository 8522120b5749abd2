/**
 * Replayable failure cases: the (minimized) design as IR JSON, the simulator that disagreed,
 * and how to regenerate the stimulus (seed and cycles over the top's inputs). `replayCase`
 * re-runs the reference and the simulator and says whether they still disagree.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Design } from '../../../dsl/ir/nodes.ts';
import { lowerDesign } from '../../../dsl/passes/lower.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { builtinResponses, randomStimulus, testbenchModelOf } from '../../../sim/cosim/ir-testbench.ts';
import { runTestbench } from '../../../sim/cosim-run.ts';
import type { FuzzSimulator } from './dag-batch.ts';

export const CASE_KIND = 'npugen-fuzz-case';

export interface FuzzCase {
  readonly kind: typeof CASE_KIND;
  readonly version: 1;
  readonly simulator: FuzzSimulator;
  /** Stimulus: `randomStimulus(testbenchModelOf(design, cycles), cycles, seed)`. */
  readonly seed: number;
  readonly cycles: number;
  /** What differed when the case was found, and the size before and after minimization. */
  readonly detail: string;
  readonly nodes: { readonly original: number; readonly minimized: number };
  readonly design: Design;
}

/** JSON with bigints as `{"$bigint": "<decimal>"}`. */
export function caseToJson(c: FuzzCase): string {
  return JSON.stringify(c, (_k, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v), 1);
}

export function caseFromJson(text: string, file = 'case'): FuzzCase {
  const c = JSON.parse(text, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && typeof (v as { $bigint?: unknown }).$bigint === 'string' ? BigInt((v as { $bigint: string }).$bigint) : v) as FuzzCase;
  if (c.kind !== CASE_KIND || c.version !== 1) throw new Error(`${file}: not an ${CASE_KIND} version 1 file`);
  return c;
}

export async function writeCase(path: string, c: FuzzCase): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${caseToJson(c)}\n`);
}

export async function readCase(path: string): Promise<FuzzCase> {
  return caseFromJson(await readFile(path, 'utf8'), path);
}

export interface CaseRun {
  /** Cycles (of `cycles`) where some output differs from the built-in simulator of the IR. */
  readonly differingCycles: number;
  readonly first?: string;
}

/** Runs `design` on the reference and on `simulator` with the case's stimulus. */
export async function runCase(design: Design, simulator: FuzzSimulator, seed: number, cycles: number, runDir: string, cacheDir: string): Promise<CaseRun> {
  const tb = testbenchModelOf(design, cycles);
  const stimulus = randomStimulus(tb, cycles, seed);
  const expected = builtinResponses(design, tb, stimulus);
  if (simulator === 'lowered') {
    const got = builtinResponses(lowerDesign(design), tb, stimulus);
    const bad = expected.map((row, v) => row.findIndex((x, p) => got[v]![p] !== x)).map((p, v) => ({ p, v })).filter((x) => x.p >= 0);
    const f = bad[0];
    return { differingCycles: bad.length, ...(f ? { first: `cycle ${f.v} port ${tb.outputs[f.p]!.name}: got ${got[f.v]![f.p]}, expected ${expected[f.v]![f.p]}` } : {}) };
  }
  const sources = emitVerilog(design).map((f) => ({ name: f.fileName, text: f.text }));
  const r = await runTestbench({ model: tb, sources, stimulus, expected, simulator, runDir, cacheDir, verilatorCppOpt: '-O0', maxMismatchRecords: 1 });
  const m = r.mismatches[0];
  return { differingCycles: r.counts.failingVectors, ...(m ? { first: `cycle ${m.vectorIndex} port ${m.port}: got ${m.got ?? 'X/Z'}, expected ${m.expected}` } : {}) };
}

/** Re-runs a case file: does the simulator still disagree with the reference? */
export async function replayCase(c: FuzzCase, runDir: string, cacheDir: string): Promise<CaseRun> {
  return runCase(c.design, c.simulator, c.seed, c.cycles, runDir, cacheDir);
}
