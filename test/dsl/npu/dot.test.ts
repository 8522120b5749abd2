// dot generator vs its transaction model (golden library) on the built-in simulator: random,
// corner and exhaustive vectors over formats and lane counts; latency and ports agree; a planted
// fault is caught; the emitted RTL is lint-clean and latch-free.
import { describe, expect, test } from 'vitest';
import { buildDot, dotAccumulator } from '../../../dsl/npu/dot.ts';
import { placeCuts, treeDepth } from '../../../dsl/npu/tree.ts';
import { topModule, type Design, type Node } from '../../../dsl/ir/nodes.ts';
import { formatName, parseFixedFormat } from '../../../formats/number-format.ts';
import { type FixedFormat } from '../../../formats/fixed.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { Rng } from '../../../sim/random.ts';
import { join } from 'node:path';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import { compareWithModel as compare, expectPortsMatch, fromRegistry } from '../../helpers/model-check.ts';
import { describeWithTools, runsOn, testCacheDir } from '../../helpers/simulators.ts';

type Raw = Record<string, unknown>;

const CONFIGS: Raw[] = [
  { lanes: 1, a: 'int8', b: 'int8', pipeline_stages: 0 },
  { lanes: 1, a: 'int8', b: 'int8', pipeline_stages: 3 },
  { lanes: 3, a: 'int8', b: 'int8', pipeline_stages: 2 },
  { lanes: 3, a: 'int4', b: 'int8', pipeline_stages: 1 },
  { lanes: 3, a: 'uint8', b: 'int8', accumulator: 'int16', pipeline_stages: 0 },
  { lanes: 16, a: 'int8', b: 'int8', pipeline_stages: 2 },
  { lanes: 16, a: 'uint8', b: 'int8', pipeline_stages: 5 },
  { lanes: 16, a: 'uint4', b: 'uint4', pipeline_stages: 1 },
  { lanes: 16, a: 'int8', b: 'int8', accumulator: 'int12', pipeline_stages: 3 },
  { lanes: 16, a: 'int8', b: 'uint8', accumulator: 'uint16', pipeline_stages: 0, error: true },
  { lanes: 5, a: 'fixed<8,2>', b: 'fixed<6,1>', pipeline_stages: 2 },
  { lanes: 4, a: 'fixed<8,2>', b: 'int4', accumulator: 'fixed<14,6>', pipeline_stages: 2 },
];

describe('dot vs golden model (built-in simulator)', () => {
  for (const { error, ...raw } of CONFIGS) {
    const title = `${raw['lanes']} x ${raw['a']} x ${raw['b']} -> ${raw['accumulator'] ?? 'auto'}, ${raw['pipeline_stages']} stage(s)`;
    if (error) {
      test(`${title}: rejected (signed products, unsigned accumulator)`, () => {
        expect(() => fromRegistry('dot', raw)).toThrow(/signed accumulator/);
      });
      continue;
    }
    test(title, () => {
      const { design, model } = fromRegistry('dot', raw);
      expectPortsMatch(design, model);
      const rows = [...model.corners(), ...model.random(600, new Rng(7))];
      const ex = model.exhaustive();
      if (ex) rows.push(...ex);
      const r = compare(design, model, rows);
      expect(r.first).toEqual([]);
    });
  }

  test('exhaustive: every int8 x int8 pair (1 lane) and every int4 x int4 pair of pairs (2 lanes)', () => {
    for (const raw of [{ lanes: 1, a: 'int8', b: 'int8', pipeline_stages: 1 }, { lanes: 2, a: 'int4', b: 'int4', accumulator: 'int6', pipeline_stages: 2 }]) {
      const { design, model } = fromRegistry('dot', raw);
      const rows = model.exhaustive()!;
      expect(rows.length).toBe(65536);
      expect(compare(design, model, rows).first).toEqual([]);
    }
  });

  test('auto accumulator: the DSL and the golden library derive the same exact format', () => {
    for (const [a, b, n, want] of [['int8', 'int8', 16, 'int20'], ['uint8', 'int8', 16, 'int20'], ['uint8', 'uint8', 3, 'uint18'], ['int8', 'int8', 1, 'int16'], ['int4', 'int8', 3, 'int13']] as const) {
      const fa = parseFixedFormat(a) as FixedFormat;
      const fb = parseFixedFormat(b) as FixedFormat;
      expect(formatName(dotAccumulator({ a: fa, b: fb, lanes: n, accumulator: 'auto' }))).toBe(want);
      const { model } = fromRegistry('dot', { lanes: n, a, b, accumulator: 'auto', pipeline_stages: 0 });
      expect(model.outputs[0]!.format).toBe(want);
    }
  });

  test('pipeline cuts: the output is always registered, the rest spread over the levels', () => {
    expect(treeDepth(1)).toBe(0);
    expect(treeDepth(3)).toBe(2);
    expect(treeDepth(16)).toBe(4);
    expect([...placeCuts(4, 1).cuts]).toEqual([4]);
    expect([...placeCuts(4, 2).cuts]).toEqual([2, 4]);
    expect([...placeCuts(4, 5).cuts]).toEqual([0, 1, 2, 3, 4]);
    expect(placeCuts(0, 3)).toEqual({ cuts: new Set([0]), extra: 2 });
  });

  test('planted faults are caught: a lane dropped, an accumulator one bit too narrow', () => {
    const { design, model } = fromRegistry('dot', { lanes: 3, a: 'int8', b: 'int8', pipeline_stages: 2 });
    const rows = [...model.corners(), ...model.random(200, new Rng(3))];
    expect(compare(design, model, rows).bad).toBe(0);
    // Lane 2's a input read as 0.
    const noLane = stubNode(design, (n, top) => n.kind === 'read' && top.signals[n.signal]!.name === 'a2');
    expect(compare(noLane, model, rows).bad).toBeGreaterThan(0);
    // The exact result needs int17; a generator that sized it int16 wraps the extreme sums.
    const i8 = parseFixedFormat('int8') as FixedFormat;
    const narrow = buildDot({ name: 'dut', lanes: 3, a: i8, b: i8, accumulator: parseFixedFormat('int16') as FixedFormat, pipeline_stages: 2 });
    expect(model.outputs[0]!.width).toBe(17);
    const r = compare(narrow, model, rows);
    expect(r.bad).toBeGreaterThan(0);
    expect(r.bad).toBeLessThan(rows.length / 2);
  });

  test('invalid parameters are reported', () => {
    const i8 = parseFixedFormat('int8') as FixedFormat;
    expect(() => buildDot({ name: 'd', lanes: 0, a: i8, b: i8, accumulator: 'auto', pipeline_stages: 0 })).toThrow(/lanes/);
    expect(() => buildDot({ name: 'd', lanes: 2, a: parseFixedFormat('fixed<8,2>') as FixedFormat, b: i8, accumulator: i8, pipeline_stages: 0 })).toThrow(/fraction bits/);
  });
});

/**
 * A copy of the design with exactly one top-module node (matching `pick`) replaced by a zero
 * constant of its type, or, with `anyMatch`, the first match when the structure has several.
 */
function stubNode(design: Design, pick: (n: Node, top: ReturnType<typeof topModule>) => boolean, anyMatch = false): Design {
  const top = topModule(design);
  const hits = top.nodes.filter((n) => pick(n, top));
  if (hits.length === 0 || (!anyMatch && hits.length !== 1)) throw new Error(`stubNode: ${hits.length} matching nodes`);
  const hit = hits[0]!;
  const nodes = top.nodes.map((n) => (n.id === hit.id ? ({ kind: 'const', id: n.id, type: n.type, loc: n.loc, value: 0n } as const) : n));
  return { ...design, modules: design.modules.map((m) => (m === top ? { ...top, nodes } : m)) };
}

describeWithTools('yosys', 'dot RTL is lint-clean and latch-free', () => {
  for (const raw of [{ lanes: 3, a: 'uint8', b: 'int8', pipeline_stages: 2 }, { lanes: 16, a: 'int8', b: 'int8', accumulator: 'int12', pipeline_stages: 0 }, { lanes: 4, a: 'fixed<8,2>', b: 'int4', accumulator: 'fixed<14,6>', pipeline_stages: 5 }]) {
    test(`${JSON.stringify(raw)}: verilator -Wall and yosys check pass`, async () => {
      const { design } = fromRegistry('dot', raw, 'dot_lint');
      const outcomes = await lintRtl(emitVerilog(design), 'dot_lint');
      for (const o of outcomes) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
    });
  }
});

/** Cold Verilator builds take a minute or more on a loaded 2-core machine. */
const SIM_TIMEOUT_MS = 300_000;

for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `dot on ${sim} vs the golden model`, () => {
    const cases: [string, Raw, number][] = [
      ['dot_u8i8x3', { lanes: 3, a: 'uint8', b: 'int8', accumulator: 'int16', pipeline_stages: 0 }, 1000],
      ['dot_i8x16', { lanes: 16, a: 'int8', b: 'int8', accumulator: 'auto', pipeline_stages: 2 }, 2000],
      ['dot_fx4', { lanes: 4, a: 'fixed<8,2>', b: 'int4', accumulator: 'fixed<14,6>', pipeline_stages: 5 }, 1000],
    ];
    for (const [i, [name, raw, vectors]] of cases.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${name} ${JSON.stringify(raw)}: corners + ${vectors} random vectors`, async () => {
        const { design, model } = fromRegistry('dot', raw, name);
        const r = await verifyDesign(design, { model, simulators: [sim], vectors, seed: 17, corners: true, runDirFor: (s) => join(testCacheDir(), `dot-${s}-${name}`) });
        const o = r.outcomes[0]!;
        expect(o.counts.mismatches, JSON.stringify(o.mismatches.slice(0, 3), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v))).toBe(0);
        expect(o.counts.checked).toBe(r.stimulus.length);
        expect(r.passed).toBe(true);
      }, SIM_TIMEOUT_MS);
    }

    test.runIf(sim === 'icarus')('a planted fault (lane 2 dropped) fails on the real simulator too', async () => {
      const { design, model } = fromRegistry('dot', { lanes: 3, a: 'int8', b: 'int8', pipeline_stages: 1 }, 'dot_fault');
      const bad = stubNode(design, (n, top) => n.kind === 'read' && top.signals[n.signal]!.name === 'a2');
      const r = await verifyDesign(bad, { model, simulators: [sim], vectors: 200, seed: 3, corners: true, runDirFor: (s) => join(testCacheDir(), `dot-fault-${s}`) });
      expect(r.passed).toBe(false);
      expect(r.outcomes[0]!.counts.mismatches).toBeGreaterThan(10);
    }, SIM_TIMEOUT_MS);
  });
}
