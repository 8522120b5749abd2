// requantizer generator (TFLite double/single rounding, gemmini and nvdla presets) vs its
// transaction models (golden library) on the built-in simulator: random, corner and
// exhaustive single-operation sweeps; ports and latency agree; planted rounding faults are
// caught; the emitted RTL is lint-clean and latch-free.
import { describe, expect, test } from 'vitest';
import { buildRequantizer, requantizerLatency, type RequantizerParams } from '../../../dsl/npu/requantizer.ts';
import { topModule, type Design, type ModuleIR, type Node } from '../../../dsl/ir/nodes.ts';
import { intFormat } from '../../../formats/fixed.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { requantSweeps, type RequantModelParams } from '../../../sim/models/requantizer.ts';
import type { StimulusRow } from '../../../sim/models/types.ts';
import { Rng } from '../../../sim/random.ts';
import { join } from 'node:path';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import { compareWithModel as compare, expectPortsMatch, fromRegistry as buildFromRegistry } from '../../helpers/model-check.ts';
import { describeWithTools, runsOn, testCacheDir } from '../../helpers/simulators.ts';

type Raw = Record<string, unknown>;

/** The requantizer built through the registry, with its model from the same params. */
function fromRegistry(raw: Raw, name = 'dut'): ReturnType<typeof buildFromRegistry> {
  return buildFromRegistry('requantizer', raw, name);
}


const CONFIGS: Raw[] = [
  {},
  { rounding: 'single_round' },
  { rounding: 'single_round', activation: 'relu', channels: 3, per_channel: true },
  { output: 'uint8', activation: 'relu6', channels: 3 },
  { output: 'int4', activation: 'relu', channels: 16, per_channel: true },
  { output: 'uint8', rounding: 'single_round', activation: 'relu6', channels: 2, per_channel: true },
  { input: 'int20', output: 'int8', channels: 2 },
  { preset: 'gemmini' },
  { preset: 'gemmini', activation: 'relu', channels: 3, per_channel: true },
  { preset: 'nvdla' },
  { preset: 'nvdla', output: 'int16', channels: 3, per_channel: true },
];

describe('requantizer vs golden models (built-in simulator)', () => {
  for (const raw of CONFIGS) {
    test(JSON.stringify(raw), () => {
      const { design, model } = fromRegistry(raw);
      expectPortsMatch(design, model);
      const rows = [...model.corners(), ...model.random(1500, new Rng(11))];
      expect(compare(design, model, rows).first).toEqual([]);
    });
  }

  test('latency: the generator and the models state it independently and agree', () => {
    for (const [raw, want] of [[{}, 4], [{ rounding: 'single_round' }, 3], [{ preset: 'gemmini' }, 2], [{ preset: 'nvdla' }, 4]] as const) {
      const { design, model, params } = fromRegistry(raw);
      expect([topModule(design).latency, model.latency, requantizerLatency(params as unknown as RequantizerParams)]).toEqual([want, want, want]);
    }
  });

  test('corner vectors cover the extremes the reference allows', () => {
    for (const rounding of ['double_round', 'single_round']) {
      const { model } = fromRegistry({ rounding });
      const rows = model.corners();
      const has = (f: (r: StimulusRow) => boolean): boolean => rows.some(f);
      const MIN = -(1n << 31n);
      const MAX = (1n << 31n) - 1n;
      // Row layout for one channel, per tensor: x0, multiplier, shift, zero_point.
      expect(has((r) => r[2] === -31n) && has((r) => r[2] === 30n)).toBe(true);
      expect(has((r) => r[1] === MAX) && has((r) => r[1] === 0n) && has((r) => r[0] === MIN) && has((r) => r[0] === MAX)).toBe(true);
      // MIN*MIN (SRDHM saturation) only exists for double rounding (single needs m >= 0).
      expect(has((r) => r[0] === MIN && r[1] === MIN && r[2] === 0n)).toBe(rounding === 'double_round');
      // Every row is inside the golden function's domain (expected() throws otherwise).
      expect(() => model.expected(rows)).not.toThrow();
    }
  });

  describe('exhaustive single-operation sweeps (2^16 rows each)', () => {
    for (const rounding of ['double_round', 'single_round'] as const) {
      test(`${rounding}: output stage (every x in a window x every zero point) and shift rounding (every shift -31..0 x 2048 values)`, () => {
        const mp: RequantModelParams = { input: intFormat(32, true), output: intFormat(8, true), per_channel: false, channels: 1, rounding, activation: 'relu' };
        const { design, model } = fromRegistry({ rounding, activation: 'relu' });
        const { outputStage, shiftRounding } = requantSweeps(mp);
        expect(outputStage.length).toBe(65536);
        expect(shiftRounding.length).toBe(65536);
        expect(compare(design, model, outputStage).first).toEqual([]);
        expect(compare(design, model, shiftRounding).first).toEqual([]);
      });
    }

    test('gemmini: every x in [-1024, 1024) x every shift 0..31 (ties to even), with relu', () => {
      const { design, model } = fromRegistry({ preset: 'gemmini', activation: 'relu' });
      const rows: bigint[][] = [];
      for (let s = 0n; s < 32n; s++) for (let x = -1024n; x < 1024n; x++) rows.push([x << (s > 20n ? 20n : s), s]);
      expect(compare(design, model, rows).first).toEqual([]);
      const plain = fromRegistry({ preset: 'gemmini' });
      expect(compare(plain.design, plain.model, rows).first).toEqual([]);
    });

    test('nvdla: every x - offset in [-1024, 1024) x every shifter 0..31 (ties away), scaling 1 and -3', () => {
      const { design, model } = fromRegistry({ preset: 'nvdla' });
      const rows: bigint[][] = [];
      for (const sc of [1n, -3n]) for (let s = 0n; s < 32n; s++) for (let d = -512n; d < 512n; d++) rows.push([(d << (s > 20n ? 20n : s)) + 7n, 7n, sc, s]);
      expect(rows.length).toBe(65536);
      expect(compare(design, model, rows).first).toEqual([]);
    });
  });

  describe('planted faults are caught by the model comparison', () => {
    const readOf = (name: string) => (n: Node, top: ModuleIR): boolean => n.kind === 'read' && top.signals[n.signal]!.name === name;
    const bit0Of = (name: string) => (n: Node, top: ModuleIR): boolean => {
      if (n.kind !== 'op' || n.op !== 'slice' || n.params.hi !== 0 || n.params.lo !== 0) return false;
      const arg = top.nodes[n.args[0]!]!;
      return arg.kind === 'read' && top.signals[arg.signal]!.name === name;
    };
    const FAULTS: [string, Raw, (n: Node, top: ModuleIR) => boolean][] = [
      ['double_round: RoundingDivideByPOT increment dropped', {}, readOf('s3_inc0')],
      ['double_round: SRDHM rounding bit dropped', {}, bit0Of('s1_p0')],
      ['double_round: sticky bit lost (negative values above a tie round toward zero)', {}, (n) => n.kind === 'op' && n.op === 'redor'],
      ['single_round: rounding bit dropped', { rounding: 'single_round' }, bit0Of('s2_t0')],
      ['relu: zero point lost from the low bound', { activation: 'relu' }, readOf('s3_zero_point')],
      ['gemmini: rounding increment dropped', { preset: 'gemmini' }, readOf('s1_inc0')],
      ['nvdla: rounding increment dropped', { preset: 'nvdla' }, readOf('s3_inc0')],
    ];
    for (const [title, raw, pick] of FAULTS) {
      test(title, () => {
        const { design, model } = fromRegistry(raw);
        const rows = [...model.corners(), ...model.random(500, new Rng(5))];
        expect(compare(design, model, rows).bad).toBe(0);
        expect(compare(stubNode(design, pick), model, rows).bad).toBeGreaterThan(0);
      });
    }
  });

  test('unsupported parameter combinations are rejected with the reason', () => {
    const base: RequantizerParams = { name: 'r', input: intFormat(32, true), output: intFormat(8, true), per_channel: false, channels: 1, rounding: 'double_round', activation: 'none', preset: 'none' };
    expect(() => buildRequantizer({ ...base, input: intFormat(40, true) })).toThrow(/input/);
    expect(() => buildRequantizer({ ...base, channels: 0 })).toThrow(/channels/);
    expect(() => buildRequantizer({ ...base, preset: 'gemmini', output: intFormat(8, false) })).toThrow(/gemmini produces int8/);
    expect(() => buildRequantizer({ ...base, preset: 'gemmini', activation: 'relu6' })).toThrow(/none or relu/);
    expect(() => buildRequantizer({ ...base, preset: 'nvdla', activation: 'relu' })).toThrow(/no activation/);
    expect(() => fromRegistry({ per_channel: 'yes' })).toThrow(/true or false/);
  });
});

/** A copy of the design with the one top-module node matching `pick` replaced by a zero constant. */
function stubNode(design: Design, pick: (n: Node, top: ModuleIR) => boolean): Design {
  const top = topModule(design);
  const hits = top.nodes.filter((n) => pick(n, top));
  if (hits.length !== 1) throw new Error(`stubNode: ${hits.length} matching nodes (expected 1)`);
  const hit = hits[0]!;
  const nodes = top.nodes.map((n) => (n.id === hit.id ? ({ kind: 'const', id: n.id, type: n.type, loc: n.loc, value: 0n } as const) : n));
  return { ...design, modules: design.modules.map((m) => (m === top ? { ...top, nodes } : m)) };
}

describeWithTools('yosys', 'requantizer RTL is lint-clean and latch-free', () => {
  for (const raw of [
    { output: 'uint8', activation: 'relu6', channels: 1, per_channel: true },
    { rounding: 'single_round', output: 'int4', activation: 'relu' },
    { preset: 'gemmini', activation: 'relu', channels: 2 },
    { preset: 'nvdla', output: 'int16', channels: 2, per_channel: true },
  ]) {
    test(`${JSON.stringify(raw)}: verilator -Wall and yosys check pass`, async () => {
      const { design } = fromRegistry(raw, 'requant_lint');
      const outcomes = await lintRtl(emitVerilog(design), 'requant_lint');
      for (const o of outcomes) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
    });
  }
});

const bigintJson = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}` : x));

/** Cold Verilator builds take a minute or more on a loaded 2-core machine. */
const SIM_TIMEOUT_MS = 300_000;

for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `requantizer on ${sim} vs the golden models`, () => {
    const cases: [string, Raw, number][] = [
      ['requant_i8', { input: 'int32', output: 'int8', per_channel: true, channels: 4, rounding: 'double_round', activation: 'relu6' }, 2000],
      ['requant_single_i4', { rounding: 'single_round', output: 'int4', activation: 'relu', channels: 2 }, 1000],
      ['requant_gemmini', { preset: 'gemmini', activation: 'relu', channels: 2, per_channel: true }, 1000],
      ['requant_nvdla', { preset: 'nvdla', output: 'int16', channels: 2, per_channel: true }, 1000],
    ];
    for (const [i, [name, raw, vectors]] of cases.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${name} ${JSON.stringify(raw)}: corners + ${vectors} random vectors`, async () => {
        const { design, model } = fromRegistry(raw, name);
        const r = await verifyDesign(design, { model, simulators: [sim], vectors, seed: 21, corners: true, runDirFor: (s) => join(testCacheDir(), `requant-${s}-${name}`) });
        const o = r.outcomes[0]!;
        expect(o.counts.mismatches, bigintJson(o.mismatches.slice(0, 3))).toBe(0);
        expect(o.counts.checked).toBe(r.stimulus.length);
        expect(r.passed).toBe(true);
      }, SIM_TIMEOUT_MS);
    }

    test('a planted fault (RoundingDivideByPOT increment dropped) fails on the real simulator too', async () => {
      const { design, model } = fromRegistry({}, 'requant_fault');
      const bad = stubNode(design, (n, top) => n.kind === 'read' && top.signals[n.signal]!.name === 's3_inc0');
      const r = await verifyDesign(bad, { model, simulators: [sim], vectors: 300, seed: 3, corners: true, runDirFor: (s) => join(testCacheDir(), `requant-fault-${s}`) });
      expect(r.passed).toBe(false);
      expect(r.outcomes[0]!.counts.mismatches).toBeGreaterThan(10);
    }, SIM_TIMEOUT_MS);
  });
}
