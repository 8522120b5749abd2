/**
 * Issue #5 verification volume: every generator in the listed shapes and formats against the
 * golden model at benchmark volume (default 10^5 random vectors plus all corner vectors, and
 * every input combination where one operation has at most 2^16) on Verilator, and a smaller
 * set (default 10^4) on Icarus. Compiles are cached, so a rerun mostly measures simulation.
 *
 *   npx tsx bench/generator-volume.ts [--vectors 100000] [--icarus-vectors 10000] [--only NAME,NAME] [--sims verilator,icarus]
 *     [--timeout-min 10] [--json bench/results/generator-volume.json]
 *
 * `--timeout-min` limits each simulator build and run; a run that fails or times out is recorded
 * (with its error) as not passed, and the other cases still run. The results file is rewritten
 * after every case, so an interrupted run keeps what it finished.
 *
 * `group_*` and `fp8acc_*` are issue #14's group_dot (both datapaths, group sizes 32/64/128) and
 * fp8_acc_dot; `--only` with their names runs just those.
 *
 * Prints one line per (design, simulator): vectors checked, result, wall time; writes
 * bench/results/generator-volume.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadYamlDesign } from '../cli/design-file.ts';
import { verifyDesign } from '../sim/cosim/verify.ts';
import { argValue, loadLine, machineLoad } from './lib/util.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** name, generator, params (YAML flow mapping), whether an exhaustive sweep applies. */
const CASES: readonly [string, string, string, boolean][] = [
  ['mac_i8', 'mac', '{ a: int8, b: int8, accumulator: int32 }', true],
  ['mac_i4i8', 'mac', '{ a: int4, b: int8, accumulator: auto, k: 256 }', true],
  ['mac_u8i8_sat', 'mac', '{ a: uint8, b: int8, accumulator: int20, overflow: saturate }', true],
  ['mac_fixed', 'mac', '{ a: "fixed<8,4>", b: "fixed<8,2>", accumulator: "fixed<24,10>", overflow: saturate }', true],
  ['dot_i8x16', 'dot', '{ lanes: 16, a: int8, b: int8, accumulator: auto, pipeline_stages: 2 }', false],
  ['dot_u8i8x16', 'dot', '{ lanes: 16, a: uint8, b: int8, accumulator: auto, pipeline_stages: 1 }', false],
  ['requant_double', 'requantizer', '{ input: int32, output: int8, rounding: double_round, activation: relu }', false],
  ['requant_single_pc', 'requantizer', '{ input: int32, output: int4, per_channel: true, channels: 4, rounding: single_round, activation: none }', false],
  ['os_1x1', 'systolic_array', '{ rows: 1, cols: 1, a: int8, b: int8, accumulator: auto, k: 64 }', false],
  ['os_2x2', 'systolic_array', '{ rows: 2, cols: 2, a: int8, b: int8, accumulator: auto, k: 64 }', false],
  ['os_3x5', 'systolic_array', '{ rows: 3, cols: 5, a: int8, b: int8, accumulator: auto, k: 64 }', false],
  ['os_8x8', 'systolic_array', '{ rows: 8, cols: 8, a: int8, b: int8, accumulator: auto, k: 64 }', false],
  ['os_16x16', 'systolic_array', '{ rows: 16, cols: 16, a: int8, b: int8, accumulator: auto, k: 64 }', false],
  ['os_4x4_i4i8', 'systolic_array', '{ rows: 4, cols: 4, a: int4, b: int8, accumulator: auto, k: 64 }', false],
  ['os_4x4_u8i8', 'systolic_array', '{ rows: 4, cols: 4, a: uint8, b: int8, accumulator: auto, k: 64 }', false],
  ['os_4x4_fixed', 'systolic_array', '{ rows: 4, cols: 4, a: "fixed<8,4>", b: "fixed<6,1>", accumulator: "fixed<24,12>" }', false],
  ['ws_3x5', 'systolic_array', '{ rows: 3, cols: 5, dataflow: weight_stationary, a: int8, b: int8, accumulator: auto }', false],
  ['ws_8x8_u8i8', 'systolic_array', '{ rows: 8, cols: 8, dataflow: weight_stationary, a: uint8, b: int8, accumulator: auto }', false],
  ['gemm_tile_4x4', 'gemm_tile', '{ rows: 4, cols: 4, a: int8, b: int8, accumulator: auto, k: 64, per_channel: true, activation: relu }', false],
  ['group_awq_fp16_g32', 'group_dot', '{ datapath: dequant_fp, activation: fp16, group_size: 32, lanes: 4 }', false],
  ['group_awq_bf16_g64', 'group_dot', '{ datapath: dequant_fp, activation: bf16, group_size: 64, lanes: 4 }', false],
  ['group_awq_int8_g128', 'group_dot', '{ datapath: dequant_fp, activation: int8, group_size: 128, lanes: 8 }', false],
  ['group_ggml_fp16_g128', 'group_dot', '{ datapath: int_then_scale, activation: fp16, group_size: 128, lanes: 4 }', false],
  ['group_ggml_bf16_g64', 'group_dot', '{ datapath: int_then_scale, activation: bf16, group_size: 64, lanes: 4 }', false],
  ['group_ggml_int8_g32', 'group_dot', '{ datapath: int_then_scale, activation: int8, group_size: 32, lanes: 8 }', false],
  ['fp8acc_e4m3_l4_w14_n128', 'fp8_acc_dot', '{ a: fp8_e4m3, b: fp8_e4m3, lanes: 4, align_bits: 14, promote_every: 128 }', false],
  ['fp8acc_e4m3_e5m2_l1', 'fp8_acc_dot', '{ a: fp8_e4m3, b: fp8_e5m2, lanes: 1, align_bits: 14, promote_every: 0 }', true],
];

interface Row { name: string; simulator: string; vectors: number; passed: boolean; mismatches: number; seconds: number; load: string; error?: string }

async function main(): Promise<void> {
  const vectors = Number(argValue('vectors', '100000'));
  const icarusVectors = Number(argValue('icarus-vectors', '10000'));
  const only = argValue('only', '') || undefined;
  const selected = only?.split(',');
  const sims = (argValue('sims', '') || 'verilator,icarus').split(',');
  const toolTimeoutMs = Number(argValue('timeout-min', '10')) * 60_000;
  const out = argValue('json', '') || join(HERE, 'results', 'generator-volume.json');
  await mkdir(dirname(out), { recursive: true });
  const rows: Row[] = [];
  const save = () => writeFile(out, JSON.stringify({ date: new Date().toISOString(), load: machineLoad(), argv: process.argv.slice(2), rows }, null, 2) + '\n');
  console.log(`generator volume: ${vectors} random on verilator, ${icarusVectors} on icarus, + corners (+ exhaustive where <= 2^16); ${loadLine()}`);
  for (const [name, generator, params, exhaustive] of CASES) {
    if (selected !== undefined && !selected.includes(name)) continue;
    const loaded = loadYamlDesign(`${name}.yaml`, `generator: ${generator}\nname: ${name}\nparams: ${params}\n`);
    const model = loaded.model;
    for (const [simulator, n] of [['verilator', vectors], ['icarus', icarusVectors]] as const) {
      if (!sims.includes(simulator)) continue;
      const started = performance.now();
      let row: Row;
      try {
        const r = await verifyDesign(loaded.design, { model, simulators: [simulator], vectors: n, seed: 1, corners: true, exhaustive: exhaustive && simulator === 'verilator', maxMismatchRecords: 3, toolTimeoutMs });
        const o = r.outcomes[0]!;
        row = { name, simulator, vectors: o.counts.checked, passed: o.passed, mismatches: o.counts.mismatches, seconds: (performance.now() - started) / 1000, load: loadLine() };
      } catch (e) {
        row = { name, simulator, vectors: 0, passed: false, mismatches: 0, seconds: (performance.now() - started) / 1000, load: loadLine(), error: (e as Error).message.split('\n')[0]! };
      }
      rows.push(row);
      console.log(`${name.padEnd(18)} ${simulator.padEnd(9)} ${String(row.vectors).padStart(8)} vectors  ${row.error ? `ERROR ${row.error}` : row.passed ? 'PASS' : `FAIL (${row.mismatches})`}  ${row.seconds.toFixed(1)} s  [${row.load}]`);
      await save();
    }
  }
  await save();
  if (rows.some((r) => !r.passed)) process.exitCode = 1;
}

await main();
