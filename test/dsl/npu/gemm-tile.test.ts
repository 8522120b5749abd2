// gemm_tile (systolic array + requantizer) vs its transaction model (golden GEMM + golden
// MultiplyByQuantizedMultiplier) on the built-in simulator over dataflows, shapes, rounding,
// activations and output formats; a planted fault caught; lint-clean RTL; Icarus and Verilator.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { instantiate } from '../../../catalog/index.ts';
import { buildGemmTile } from '../../../dsl/npu/gemm-tile.ts';
import { topModule, type Design } from '../../../dsl/ir/nodes.ts';
import { parseFixedFormat } from '../../../formats/number-format.ts';
import { type FixedFormat } from '../../../formats/fixed.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import type { TransactionModel } from '../../../sim/models/types.ts';
import { describeWithTools, runsOn, testCacheDir } from '../../helpers/simulators.ts';
import { bypassRegister, plantArrayFault } from '../../helpers/faults.ts';

type Raw = Record<string, unknown>;
const fmt = (s: string): FixedFormat => parseFixedFormat(s) as FixedFormat;

function fromRegistry(raw: Raw, name = 'dut'): { design: Design; model: TransactionModel; params: Readonly<Raw> } {
  return instantiate('gemm_tile', raw, name);
}

const CONFIGS: Raw[] = [
  { rows: 1, cols: 1, dataflow: 'output_stationary', accumulator: 'auto', k: 5 },
  { rows: 2, cols: 2, dataflow: 'output_stationary', accumulator: 'auto', k: 16, per_channel: true, activation: 'relu' },
  { rows: 3, cols: 5, dataflow: 'output_stationary', a: 'uint8', accumulator: 'int32', rounding: 'single_round', activation: 'relu6', per_channel: true },
  { rows: 3, cols: 5, dataflow: 'weight_stationary', a: 'uint8', accumulator: 'auto', output: 'uint8', activation: 'relu' },
  { rows: 2, cols: 4, dataflow: 'weight_stationary', a: 'int4', accumulator: 'auto', output: 'int4', rounding: 'single_round', per_channel: true },
  { rows: 1, cols: 6, dataflow: 'output_stationary', accumulator: 'auto', k: 9, activation: 'relu6' },
  { rows: 4, cols: 4, dataflow: 'output_stationary', accumulator: 'auto', k: 64, per_channel: true, activation: 'relu' },
  { rows: 8, cols: 8, dataflow: 'weight_stationary', accumulator: 'auto', per_channel: true },
];

const titleOf = (raw: Raw): string => Object.entries(raw).map(([k, v]) => `${k}=${String(v)}`).join(' ');

/** One configuration on the built-in simulator against its model: latency, no mismatch, outputs not trivially clamped. */
async function checkAgainstModel(raw: Raw, seed: number): Promise<void> {
  const { design, model } = fromRegistry(raw);
  expect(topModule(design).latency).toBe(model.latency);
  const r = await verifyDesign(design, { model, simulators: ['builtin'], vectors: 800, seed, corners: true });
  const valid = r.expected.toRows().filter((e) => e[e.length - 1] === 1n);
  expect(valid.length).toBeGreaterThan(40);
  // The outputs are not trivially clamped: several distinct values per run.
  expect(new Set(valid.map((e) => e[0])).size).toBeGreaterThan(5);
  expect(r.outcomes[0]!.counts.mismatches).toBe(0);
}

describe('gemm_tile vs golden GEMM + requantizer (built-in simulator)', () => {
  for (const raw of CONFIGS) test(titleOf(raw), () => checkAgainstModel(raw, 2));

  test('a planted fault (array skew one stage short) is caught through the requantizer', async () => {
    const raw = { rows: 3, cols: 3, dataflow: 'output_stationary', accumulator: 'auto', k: 8 };
    const { design: good, model } = fromRegistry(raw);
    expect((await verifyDesign(good, { model, simulators: ['builtin'], vectors: 600, seed: 4, corners: true })).passed).toBe(true);
    const bad = plantArrayFault(good, 'short_skew', { rows: 3, dataflow: 'output_stationary' });
    const r = await verifyDesign(bad, { model, simulators: ['builtin'], vectors: 600, seed: 4, corners: true });
    expect(r.passed).toBe(false);
    expect(r.outcomes[0]!.counts.mismatches).toBeGreaterThan(10);
  });

  test('invalid parameters are reported', () => {
    const base = { name: 'x', rows: 2, cols: 2, dataflow: 'output_stationary' as const, k: 4, output: fmt('int8'), per_channel: false, rounding: 'double_round' as const, activation: 'none' as const };
    expect(() => buildGemmTile({ ...base, a: fmt('fixed<8,4>'), b: fmt('int8'), accumulator: 'auto' })).toThrow(/integer formats/);
    expect(() => buildGemmTile({ ...base, a: fmt('uint8'), b: fmt('uint8'), accumulator: 'auto' })).toThrow(/requantizer/);
    expect(() => buildGemmTile({ ...base, a: fmt('int8'), b: fmt('int8'), accumulator: fmt('int40') })).toThrow(/requantizer/);
  });
});

// scale int with the quantized-layer options (bias, zero points): the quantized tile's datapath
// (bias register stage, zero-point subtractors) in front of the TFLite requantizer.
const QUANT_INT: Raw[] = [
  { rows: 2, cols: 3, dataflow: 'output_stationary', accumulator: 'auto', k: 16, per_channel: true, activation: 'relu', bias: true },
  { rows: 2, cols: 2, dataflow: 'output_stationary', a: 'uint8', accumulator: 'auto', k: 8, activation: 'relu6', zero_points: true, rounding: 'single_round' },
  { rows: 3, cols: 2, dataflow: 'weight_stationary', accumulator: 'int32', zero_points: true, bias: true, per_channel: true },
];

describe('gemm_tile scale int with bias / zero points vs golden GEMM + bias + requantizer (built-in simulator)', () => {
  for (const raw of QUANT_INT) test(titleOf(raw), () => checkAgainstModel(raw, 3));

  test('a planted fault (bias register of column 0 bypassed: bias and C a cycle early) is caught', async () => {
    const { design, model } = fromRegistry(QUANT_INT[0]!);
    const r = await verifyDesign(bypassRegister(design, 'biased_0'), { model, simulators: ['builtin'], vectors: 800, seed: 3, corners: true });
    expect(r.passed).toBe(false);
    expect(r.outcomes[0]!.counts.mismatches).toBeGreaterThan(10);
  });
});

describeWithTools('icarus', 'gemm_tile scale int with bias and zero points on Icarus vs the golden model', () => {
  test('weight_stationary 3x2, zero points, bias, per channel', async () => {
    const { design, model } = fromRegistry(QUANT_INT[2]!, 'tile_q_int');
    const r = await verifyDesign(design, { model, simulators: ['icarus'], vectors: 600, seed: 9, corners: true, runDirFor: (s) => join(testCacheDir(), `gemm-tile-${s}-q-int`) });
    expect(r.outcomes[0]!.counts.mismatches).toBe(0);
    expect(r.passed).toBe(true);
  });
});

describeWithTools('yosys', 'gemm_tile RTL is lint-clean and latch-free', () => {
  for (const raw of [CONFIGS[1]!, CONFIGS[3]!]) {
    test(`${String(raw['dataflow'])} ${String(raw['rows'])}x${String(raw['cols'])}`, async () => {
      const { design } = fromRegistry(raw, 'tile');
      const outcomes = await lintRtl(emitVerilog(design), 'tile');
      for (const o of outcomes) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
    });
  }
});

for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `gemm_tile on ${sim} vs the golden model`, () => {
    for (const [i, raw] of [CONFIGS[1]!, CONFIGS[2]!, CONFIGS[3]!].entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${String(raw['dataflow'])} ${String(raw['rows'])}x${String(raw['cols'])}`, async () => {
        const { design, model } = fromRegistry(raw, `tile_${String(raw['rows'])}x${String(raw['cols'])}`);
        const r = await verifyDesign(design, { model, simulators: [sim], vectors: 600, seed: 9, corners: true, runDirFor: (s) => join(testCacheDir(), `gemm-tile-${s}-${String(raw['dataflow'])}-${String(raw['rows'])}x${String(raw['cols'])}`) });
        const o = r.outcomes[0]!;
        expect(o.counts.mismatches, JSON.stringify(o.mismatches.slice(0, 3), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v))).toBe(0);
        expect(r.passed).toBe(true);
      });
    }
  });
}
