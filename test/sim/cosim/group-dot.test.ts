// group_dot in both datapaths at group sizes 32, 64 and 128 (a slice; every datapath at every size
// is in bench/generator-volume.ts), group_gemm and fp8_acc_dot (every
// e4m3 x e5m2 pair with one lane) on Icarus and Verilator against the golden transaction models.
// The 10^5-vector runs are in bench/generator-volume.ts (results in bench/results).
import { expect, test } from 'vitest';
import { describeWithTools } from '../../helpers/simulators.ts';
import { SIM_TIMEOUT_MS, verifyOn, type Raw } from '../../dsl/float/helpers.ts';

// Each simulator runs a slice (both datapaths, sizes 32/64 between them, group_gemm on one) to
// keep the suite's time down; the remaining configurations run in bench/generator-volume.ts.
const GROUP_CASES: [string, string, Raw, readonly ('verilator' | 'icarus')[]][] = [
  ['gd_awq_fp16_g32', 'group_dot', { datapath: 'dequant_fp', activation: 'fp16', group_size: 32, lanes: 4 }, ['verilator']],
  ['gd_awq_int8_g64', 'group_dot', { datapath: 'dequant_fp', activation: 'int8', group_size: 64, lanes: 4 }, []],
  ['gd_ggml_bf16_g128', 'group_dot', { datapath: 'int_then_scale', activation: 'bf16', group_size: 128, lanes: 4 }, []],
  ['gd_ggml_int8_g32', 'group_dot', { datapath: 'int_then_scale', activation: 'int8', group_size: 32, lanes: 8 }, ['icarus']],
  ['gg_ggml_fp16_g64', 'group_gemm', { datapath: 'int_then_scale', activation: 'fp16', group_size: 64, lanes: 4, cols: 2 }, ['verilator']],
];

for (const sim of ['verilator', 'icarus'] as const) {
  describeWithTools(sim, `group_dot, group_gemm, fp8_acc_dot on ${sim} vs the golden models`, () => {
    for (const [name, gen, raw, sims] of GROUP_CASES) {
      if (!sims.includes(sim)) continue;
      test(`${name} ${JSON.stringify(raw)}: corners + ${sim === 'verilator' ? 2000 : 300} random`, async () => {
        await verifyOn(sim, gen, name, raw, { vectors: sim === 'verilator' ? 2000 : 300 });
      }, SIM_TIMEOUT_MS);
    }
    // Every pair (65,536) in the full run (`npx tsx bench/cosim-full.ts`); the README's test
    // command, which has a time budget, draws 4,000 pairs + corners on the same design.
    const everyPair = process.env['NPUGEN_COSIM'] === 'full';
    test.runIf(sim === 'icarus')(`fp8_acc_dot e4m3 x e5m2, 14 bits: ${everyPair ? 'every pair as a one-beat dot product (65,536)' : '4,000 random pairs'} + corners`, async () => {
      const r = await verifyOn(sim, 'fp8_acc_dot', 'fp8acc_e4m3_e5m2', { a: 'fp8_e4m3', b: 'fp8_e5m2', lanes: 1, align_bits: 14, promote_every: 0 }, everyPair ? { vectors: 500, exhaustive: true } : { vectors: 4000 });
      if (everyPair) expect(r.stimulusCounts.exhaustive).toBe(65536);
    }, SIM_TIMEOUT_MS);
    test('fp8_acc_dot e4m3, 4 lanes, 14 bits, promotion every 16: corners + random', async () => {
      await verifyOn(sim, 'fp8_acc_dot', 'fp8acc_e4m3_l4', { a: 'fp8_e4m3', b: 'fp8_e4m3', lanes: 4, align_bits: 14, promote_every: 16 }, { vectors: sim === 'verilator' ? 3000 : 500 });
    }, SIM_TIMEOUT_MS);
  });
}
