/**
 * A slice of the fuzz campaign (bench/fuzz.ts): delta debugging against a known answer, IR
 * minimization of a planted fault, case files, sharding, a small batch of 128-bit hierarchical
 * random designs on the built-in simulator, its lowered IR and Icarus, and random generator
 * params against their golden models.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Design, Node } from '../../dsl/ir/nodes.ts';
import { builtinResponses, randomStimulus, testbenchModelOf } from '../../sim/cosim/ir-testbench.ts';
import { ddmin } from '../../bench/lib/fuzz/ddmin.ts';
import { keepInstance, nodeCount, reducibleNodes, replaceWithZero } from '../../bench/lib/fuzz/ir-reduce.ts';
import { caseFromJson, caseToJson, CASE_KIND, runCase } from '../../bench/lib/fuzz/case-file.ts';
import { inShard, parseShard, runDagCampaign, runParamCampaign } from '../../bench/lib/fuzz/campaign.ts';
import { formatFuzzJunit } from '../../bench/lib/fuzz/junit.ts';
import { randomBatch } from '../helpers/random-dag.ts';
import { describeWithTools, testCacheDir } from '../helpers/simulators.ts';

const base = await mkdtemp(join(tmpdir(), 'npugen-fuzz-test-'));
afterAll(() => rm(base, { recursive: true, force: true }));

describe('ddmin', () => {
  it('removes everything but the two items the failure needs', async () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const r = await ddmin(items, (removed) => !removed.includes(17) && !removed.includes(42));
    expect(new Set(r.removed)).toEqual(new Set(items.filter((i) => i !== 17 && i !== 42)));
    expect(r.exhausted).toBe(false);
    expect(r.calls).toBeLessThan(100);
  });

  it('stops at its budget and says so', async () => {
    const r = await ddmin(Array.from({ length: 64 }, (_, i) => i), (removed) => !removed.includes(5), 3);
    expect(r).toMatchObject({ calls: 3, exhausted: true });
  });
});

/** The planted fault: every `<` evaluates as `<=` (differs only where the operands are equal). */
function plantLtAsLe(design: Design): Design {
  return { ...design, modules: design.modules.map((m) => ({ ...m, nodes: m.nodes.map((n): Node => (n.kind === 'op' && n.op === 'cmpLt' ? { ...n, op: 'cmpLe' } : n)) })) };
}

function differs(design: Design, cycles: number, seed: number): boolean {
  const tb = testbenchModelOf(design, cycles);
  const stim = randomStimulus(tb, cycles, seed);
  const a = builtinResponses(design, tb, stim);
  const b = builtinResponses(plantLtAsLe(design), tb, stim);
  return a.some((row, v) => row.some((x, p) => x !== b[v]![p]));
}

describe('IR minimization of a planted fault', () => {
  // Narrow values, so a `<` sees equal operands within a few cycles.
  const batch = randomBatch(97, 12, 'mz', { maxWidth: 6 });
  const failing = batch.layout.findIndex((_, i) => differs(keepInstance(batch.design, i), 64, 5));

  it('finds a design the fault changes, and reduces it to a small design that still shows it', async () => {
    expect(failing).toBeGreaterThanOrEqual(0);
    const design = keepInstance(batch.design, failing);
    const r = await ddmin(reducibleNodes(design), (removed) => differs(replaceWithZero(design, removed), 64, 5));
    const small = replaceWithZero(design, r.removed);
    expect(differs(small, 64, 5)).toBe(true);
    expect(nodeCount(small)).toBeLessThan(nodeCount(design) / 2);
    expect(small.modules.flatMap((m) => m.nodes).some((n) => n.kind === 'op' && n.op === 'cmpLt')).toBe(true);
    // 1-minimal: zeroing any one remaining node loses the failure.
    for (const ref of reducibleNodes(small)) expect(differs(replaceWithZero(small, [ref]), 64, 5), `${ref.module}#${ref.node}`).toBe(false);
  });

  it('writes case files that read back equal, bigints included', () => {
    const design = keepInstance(batch.design, Math.max(failing, 0));
    const c = { kind: CASE_KIND, version: 1, simulator: 'icarus', seed: 5, cycles: 64, detail: 'x', nodes: { original: 1, minimized: 1 }, design } as const;
    expect(caseFromJson(caseToJson(c))).toEqual(c);
    expect(() => caseFromJson('{"kind":"other"}', 'f.json')).toThrow(/f.json: not an npugen-fuzz-case/);
  });
});

describe('random-DAG builder at 128 bits', () => {
  it('builds the batch that was invalid in the first campaign (an output narrower than a wide product of a submodule output)', () => {
    // Batch 1 (seed 7920) of the 9,500-design run: NPG101 'cannot drive SInt(259) from a SInt(380)
    // value' in its design 122 (the children come from one rng in order, so 123 make the same ones).
    expect(() => randomBatch(7920, 123, 'fz63k', { maxWidth: 128, submodules: 1 })).not.toThrow();
  });
});

describe('sharding and JUnit', () => {
  it('parses i/n and partitions the work', () => {
    const s = [1, 2, 3].map((i) => parseShard(`${i}/3`));
    for (let k = 0; k < 30; k++) expect(s.filter((x) => inShard(k, x))).toHaveLength(1);
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/--shard must be i\/n/);
  });

  it('writes one testcase per sample, failures and skips counted per suite', () => {
    const xml = formatFuzzJunit('f', [
      { suite: 'a', name: 'ok', timeSec: 0.5, failures: [] },
      { suite: 'a', name: 'bad <1>', timeSec: 1, failures: ['icarus: cycle 3\u0001'] },
      { suite: 'b', name: 'no', timeSec: 0, failures: [], skipped: 'rejected' },
    ]);
    expect(xml).toContain('<testsuite name="a" tests="2" failures="1" skipped="0">');
    expect(xml).toContain('<testsuite name="b" tests="1" failures="0" skipped="1">');
    expect(xml).toContain('name="bad &lt;1&gt;"');
    expect(xml).not.toContain('\u0001');
  });
});

describeWithTools('icarus', 'fuzz campaign slice (built-in, lowered IR, Icarus)', () => {
  it('24 random 128-bit hierarchical designs agree on three simulators', async () => {
    const r = await runDagCampaign({
      designs: 24, batch: 24, cycles: 48, seed: 16, simulators: ['lowered', 'icarus'], maxWidth: 128, submodules: 1,
      shard: { index: 1, count: 1 }, runRoot: join(base, 'runs'), cacheDir: testCacheDir(), caseDir: join(base, 'cases'), minimizeBudget: 20,
    });
    expect(r.junit.filter((c) => c.failures.length > 0).map((c) => `${c.name}: ${c.failures.join('; ')}`)).toEqual([]);
    expect(r).toMatchObject({ designs: 24, failing: 0, cases: [] });
    const b = randomBatch(16, 24, 'x', { maxWidth: 128, submodules: 1 });
    expect(b.design.modules.length).toBe(1 + 24 * 2); // each design has its submodule
    expect(Math.max(...b.children.map((c) => c.stats.maxWidth))).toBeGreaterThan(128);
  }, 180_000);

  it('a minimized Icarus case replays on Icarus like the original', async () => {
    // A correct design: the replay must agree with the reference (0 differing cycles), so a
    // case file carries everything its run needs.
    const design = keepInstance(randomBatch(3, 4, 'rp', { maxWidth: 128, submodules: 1 }).design, 2);
    const c = caseFromJson(caseToJson({ kind: CASE_KIND, version: 1, simulator: 'icarus', seed: 9, cycles: 32, detail: '', nodes: { original: 0, minimized: 0 }, design }));
    const r = await runCase(c.design, c.simulator, c.seed, c.cycles, join(base, 'replay'), testCacheDir());
    expect(r).toEqual({ differingCycles: 0 });
  }, 120_000);
});

describe('generator parameter fuzzing slice (built-in simulator vs golden models)', () => {
  it('random params of mac, dot and requantizer: no failure or crash', async () => {
    const r = await runParamCampaign({
      samples: 6, seed: 3, vectors: 60, simulators: ['builtin'], maxNodes: 5000, shard: { index: 1, count: 1 },
      caseDir: join(base, 'param-cases'), only: ['mac', 'dot', 'requantizer'],
    });
    expect(r.findings).toEqual([]);
    const passed = Object.values(r.tally).reduce((n, t) => n + (t['pass'] ?? 0), 0);
    expect(passed).toBeGreaterThan(3);
    expect(r.junit).toHaveLength(18);
  }, 120_000);
});
