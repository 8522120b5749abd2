/**
 * One batch of the random-design campaign: `count` random modules (test/helpers/random-dag.ts)
 * under one top, so one simulator build covers them all, simulated by the built-in simulator
 * (the reference), the built-in simulator on the lowered IR, and each RTL simulator on the
 * emitted Verilog. A design fails on a simulator when any of its outputs (one top port `y<i>`
 * per design) differs from the reference in any cycle.
 */
import { join } from 'node:path';
import type { Design } from '../../../dsl/ir/nodes.ts';
import { lowerDesign } from '../../../dsl/passes/lower.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { builtinResponses, randomStimulus, testbenchModelOf } from '../../../sim/cosim/ir-testbench.ts';
import { runTestbench, type SimulatorName } from '../../../sim/cosim-run.ts';
import { randomBatch, type DagOptions } from '../../../test/helpers/random-dag.ts';

export type FuzzSimulator = 'lowered' | SimulatorName;

export interface BatchOptions {
  readonly seed: number;
  readonly count: number;
  readonly cycles: number;
  readonly simulators: readonly FuzzSimulator[];
  readonly dag: DagOptions;
  readonly runRoot: string;
  readonly cacheDir: string;
  readonly timeoutMs?: number;
}

export interface DesignOutcome {
  /** The design's module name (`<top>_m<i>`) and its instance index under the top. */
  readonly module: string;
  readonly index: number;
  /** Simulators whose outputs differ from the reference, with the first differing cycle and port. */
  readonly failures: readonly { readonly simulator: FuzzSimulator; readonly detail: string }[];
}

export interface BatchResult {
  readonly design: Design;
  readonly designs: readonly DesignOutcome[];
  readonly stimulus: readonly (readonly bigint[])[];
  readonly timingsMs: Readonly<Record<string, number>>;
  readonly nodes: number;
}

export function batchName(seed: number): string {
  return `fz${seed.toString(36)}`;
}

/** Builds, simulates and compares one batch. */
export async function runDagBatch(o: BatchOptions): Promise<BatchResult> {
  const timingsMs: Record<string, number> = {};
  let t = performance.now();
  const batch = randomBatch(o.seed, o.count, batchName(o.seed), o.dag);
  const design: Design = batch.design;
  const tb = testbenchModelOf(design, o.cycles);
  const stimulus = randomStimulus(tb, o.cycles, o.seed);
  timingsMs['build'] = performance.now() - t;
  t = performance.now();
  const expected = builtinResponses(design, tb, stimulus);
  timingsMs['builtin'] = performance.now() - t;
  const failures = new Map<number, { simulator: FuzzSimulator; detail: string }[]>();
  const fail = (port: string, simulator: FuzzSimulator, detail: string) => {
    const i = Number(port.replace(/^y/, ''));
    const list = failures.get(i) ?? [];
    if (!list.some((f) => f.simulator === simulator)) list.push({ simulator, detail });
    failures.set(i, list);
  };
  for (const sim of o.simulators) {
    t = performance.now();
    if (sim === 'lowered') {
      const got = builtinResponses(lowerDesign(design), tb, stimulus);
      expected.forEach((row, v) => row.forEach((want, p) => {
        if (got[v]![p] !== want) fail(tb.outputs[p]!.name, sim, `cycle ${v}: got ${got[v]![p]}, expected ${want}`);
      }));
    } else {
      const sources = emitVerilog(design).map((f) => ({ name: f.fileName, text: f.text }));
      const r = await runTestbench({
        model: tb, sources, stimulus, expected, simulator: sim, runDir: join(o.runRoot, `${batchName(o.seed)}-${sim}`), cacheDir: o.cacheDir,
        verilatorCppOpt: '-O0', maxMismatchRecords: 100_000,
        ...(o.timeoutMs === undefined ? {} : { compileTimeoutMs: o.timeoutMs, simulateTimeoutMs: o.timeoutMs }),
      });
      for (const m of r.mismatches) fail(m.port, sim, `cycle ${m.vectorIndex}: got ${m.got ?? 'X/Z'}, expected ${m.expected}`);
      timingsMs[`${sim}-compile`] = r.timings.compileMs;
      timingsMs[`${sim}-simulate`] = r.timings.simulateMs;
    }
    timingsMs[sim] = performance.now() - t;
  }
  const designs = batch.layout.map((l, index) => ({ module: l.module, index, failures: failures.get(index) ?? [] }));
  return { design, designs, stimulus, timingsMs, nodes: design.modules.reduce((n, m) => n + m.nodes.length, 0) };
}
