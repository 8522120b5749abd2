// The pass pipeline by differential simulation: random DAG batches (test/helpers/random-dag.ts)
// run on the reference interpreter as built, and after every prefix of the pipeline, and on the
// built-in simulator (the pipeline's output); all must agree on every cycle. Plus the structural
// guarantees the back ends rely on.
import { describe, expect, test } from 'vitest';
import { PASSES, runPipeline } from '../../../dsl/passes/pipeline.ts';
import { isPrimOp } from '../../../dsl/ops/names.ts';
import { builtinResponses, randomStimulus, testbenchModelOf } from '../../../sim/cosim/ir-testbench.ts';
import { Interpreter, referenceEngine } from '../../../sim/eval/simulator.ts';
import { randomBatch } from '../../helpers/random-dag.ts';
import { DesignError, defineModule, UInt } from '../../../dsl/index.ts';
import type { Design } from '../../../dsl/ir/nodes.ts';

const SEED = 7_001;
const CYCLES = 120;
const batch = randomBatch(SEED, 40, 'pipe_top');
const model = testbenchModelOf(batch.design, CYCLES);
const stimulus = randomStimulus(model, CYCLES, SEED);
const reference = builtinResponses(batch.design, model, stimulus, referenceEngine);

describe(`pass pipeline on random DAGs (seed ${SEED})`, () => {
  for (const p of PASSES) {
    test(`after '${p.name}' the design simulates like the IR`, () => {
      const d = runPipeline(batch.design, p.name);
      expect(builtinResponses(d, model, stimulus, (x) => new Interpreter(x))).toEqual(reference);
    });
  }

  test('the built-in simulator runs the pipeline output and agrees', () => {
    expect(builtinResponses(batch.design, model, stimulus)).toEqual(reference);
  });

  test('the output has primitive ops only, no duplicate, no dead node, operands before users', () => {
    const out = runPipeline(batch.design);
    expect(runPipeline(batch.design)).toBe(out);
    for (const m of out.modules) {
      const keys = new Set<string>();
      const read = new Set<number>([...m.connects.map((c) => c.value), ...m.instances.flatMap((i) => Object.values(i.inputs))]);
      for (const s of m.signals) if (s.reg?.enable !== undefined) read.add(s.reg.enable);
      for (const n of m.nodes) {
        if (n.kind !== 'op') continue;
        expect(isPrimOp(n.op)).toBe(true);
        n.args.forEach((a) => { expect(a).toBeLessThan(n.id); read.add(a); });
        const key = `${n.op}|${n.args.join(',')}|${JSON.stringify(n.params)}|${n.type.width}${n.type.signed}`;
        expect(keys.has(key), `${m.name}: duplicate ${key}`).toBe(false);
        keys.add(key);
      }
      for (const n of m.nodes) if (n.kind !== 'instOut') expect(read.has(n.id), `${m.name}: node ${n.id} is dead`).toBe(true);
    }
  });

  test('the check pass rejects an invalid design instead of lowering it', () => {
    const good = defineModule('ok', (m) => { m.output('y', UInt(1)).drive(m.input('a', UInt(1))); });
    const m = good.modules[0]!;
    // The same module with its only connect removed: the output is undriven (NPG201).
    const bad: Design = { ...good, modules: [{ ...m, connects: [] }] };
    expect(() => runPipeline(bad)).toThrow(DesignError);
  });
});
