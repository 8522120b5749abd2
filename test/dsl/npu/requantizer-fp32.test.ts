// requantizer scale: fp32 (onnxruntime's float requantization, Gemmini acc_scale) vs its
// transaction model (golden requantizeFp32) on the built-in simulator, Icarus and Verilator:
// corners, random rows and exhaustive single-operation sweeps; planted faults are caught; the
// RTL is lint-clean.
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { topModule, type Design, type ModuleIR, type Node } from '../../../dsl/ir/nodes.ts';
import { intFormat } from '../../../formats/fixed.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import { requantFp32Sweeps } from '../../../sim/models/requantizer-fp32.ts';
import { gemminiAccScale, Rational } from '../../../sim/golden/index.ts';
import { requantizeFp32 } from '../../../sim/golden/int/requantize-fp32.ts';
import { Rng } from '../../../sim/random.ts';
import { compareWithModel as compare, expectPortsMatch, fromRegistry as buildFromRegistry } from '../../helpers/model-check.ts';
import { describeWithTools, testCacheDir } from '../../helpers/simulators.ts';

type Raw = Record<string, unknown>;
const fromRegistry = (raw: Raw, name = 'dut') => buildFromRegistry('requantizer', { scale: 'fp32', ...raw }, name);

const CONFIGS: Raw[] = [
  {},
  { output: 'uint8', channels: 3, per_channel: true },
  { output: 'int4', channels: 2 },
  { input: 'int20', output: 'int16', channels: 2, per_channel: true },
];

describe('requantizer scale fp32 vs the golden model (built-in simulator)', () => {
  for (const raw of CONFIGS) {
    test(JSON.stringify(raw), () => {
      const { design, model } = fromRegistry(raw);
      expectPortsMatch(design, model);
      expect(model.latency).toBe(3);
      const rows = [...model.corners(), ...model.random(800, new Rng(17))];
      expect(compare(design, model, rows).first).toEqual([]);
    });
  }

  // A slice of the 2^16-row sweeps (bench/requant-fp32-sweeps.ts runs them whole on Verilator).
  for (const output of ['int8', 'uint8'] as const) {
    test(`${output}: exhaustive output stage (every x in a 16-value window x every zero point) and product rounding (every x in [-64, 64) x 2^-s, s = 0..31)`, () => {
      const { design, model } = fromRegistry({ output });
      const { outputStage, productRounding } = requantFp32Sweeps({ input: intFormat(32, true), output: intFormat(8, output === 'int8'), per_channel: false, channels: 1 }, 4096);
      expect([outputStage.length, productRounding.length]).toEqual([4096, 4096]);
      expect(compare(design, model, outputStage).first).toEqual([]);
      expect(compare(design, model, productRounding).first).toEqual([]);
    });
  }

  test('is Gemmini\'s fp32 acc_scale with zero point 0 and clamp [-128, 127] (relu: [0, 127], multiplier > 0)', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 3000; i++) {
      const acc = rng.below(2 ** 32) - 2 ** 31;
      const m = Math.fround((1 + rng.below(1 << 23) / (1 << 23)) * 2 ** -rng.below(30));
      const scale = Rational.of(BigInt(Math.round(m * 2 ** 60))).mulPow2(-60); // m is a multiple of 2^-53: exact
      expect(BigInt(requantizeFp32(acc, m, 0, -128, 127))).toBe(gemminiAccScale(BigInt(acc), scale, 'none'));
      expect(BigInt(requantizeFp32(acc, m, 0, 0, 127))).toBe(gemminiAccScale(BigInt(acc), scale, 'relu'));
    }
  });

  describe('planted faults are caught', () => {
    const FAULTS: [string, (n: Node, top: ModuleIR) => boolean][] = [
      ['zero point lost', (n, top) => n.kind === 'read' && top.signals[n.signal]!.name === 's2_zero_point'],
      ['clamp low bound lost', (n, top) => n.kind === 'read' && top.signals[n.signal]!.name === 's2_out_min'],
    ];
    for (const [title, pick] of FAULTS) {
      test(title, () => {
        const { design, model } = fromRegistry({});
        const rows = [...model.corners(), ...model.random(500, new Rng(5))];
        expect(compare(stubNode(design, pick), model, rows).bad).toBeGreaterThan(0);
      });
    }
  });

  test('rejects presets and activations it does not combine with', () => {
    expect(() => fromRegistry({ preset: 'gemmini' })).toThrow(/use preset none/);
    expect(() => fromRegistry({ activation: 'relu' })).toThrow(/out_min\/out_max/);
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

describeWithTools('yosys', 'requantizer fp32 RTL is lint-clean', () => {
  test('uint8, one channel: verilator -Wall and yosys check pass', async () => {
    const { design } = fromRegistry({ output: 'uint8', channels: 1, per_channel: true }, 'requant_fp32_lint');
    for (const o of await lintRtl(emitVerilog(design), 'requant_fp32_lint')) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
  }, 120_000);
});

const SIM_TIMEOUT_MS = 300_000;
for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `requantizer fp32 on ${sim} vs the golden model`, () => {
    test('requant_fp32 example params: corners + 1500 random vectors', async () => {
      const { design, model } = fromRegistry({ output: 'uint8', channels: 4, per_channel: true }, 'requant_fp32');
      const r = await verifyDesign(design, { model, simulators: [sim], vectors: 1500, seed: 23, corners: true, runDirFor: (s) => join(testCacheDir(), `requant-fp32-${s}`) });
      const o = r.outcomes[0]!;
      expect(o.counts.mismatches).toBe(0);
      expect(o.counts.checked).toBe(r.stimulus.length);
      expect(r.passed).toBe(true);
    }, SIM_TIMEOUT_MS);
  });
}
