/**
 * Issue #5 verification volume: every generator in the listed shapes and formats against the
 * golden model at benchmark volume (default 10^5 random vectors plus all corner vectors, and
 * every input combination where one operation has at most 2^16) on Verilator, and a smaller
 * set (default 10^4) on Icarus. Compiles are cached, so a rerun mostly measures simulation.
 *
 *   npx tsx bench/generator-volume.ts [--vectors 100000] [--icarus-vectors 10000] [--only NAME]
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
];

interface Row { name: string; simulator: string; vectors: number; passed: boolean; mismatches: number; seconds: number }

async function main(): Promise<void> {
  const vectors = Number(argValue('vectors', '100000'));
  const icarusVectors = Number(argValue('icarus-vectors', '10000'));
  const only = argValue('only', '') || undefined;
  const rows: Row[] = [];
  console.log(`generator volume: ${vectors} random on verilator, ${icarusVectors} on icarus, + corners (+ exhaustive where <= 2^16); ${loadLine()}`);
  for (const [name, generator, params, exhaustive] of CASES) {
    if (only !== undefined && name !== only) continue;
    const loaded = loadYamlDesign(`${name}.yaml`, `generator: ${generator}\nname: ${name}\nparams: ${params}\n`);
    const model = loaded.model;
    for (const [simulator, n] of [['verilator', vectors], ['icarus', icarusVectors]] as const) {
      const started = performance.now();
      const r = await verifyDesign(loaded.design, { model, simulators: [simulator], vectors: n, seed: 1, corners: true, exhaustive: exhaustive && simulator === 'verilator', maxMismatchRecords: 3 });
      const o = r.outcomes[0]!;
      const row = { name, simulator, vectors: o.counts.checked, passed: o.passed, mismatches: o.counts.mismatches, seconds: (performance.now() - started) / 1000 };
      rows.push(row);
      console.log(`${name.padEnd(18)} ${simulator.padEnd(9)} ${String(row.vectors).padStart(8)} vectors  ${row.passed ? 'PASS' : `FAIL (${row.mismatches})`}  ${row.seconds.toFixed(1)} s`);
    }
  }
  await mkdir(join(HERE, 'results'), { recursive: true });
  await writeFile(join(HERE, 'results', 'generator-volume.json'), JSON.stringify({ date: new Date().toISOString(), load: machineLoad(), rows }, null, 2) + '\n');
  if (rows.some((r) => !r.passed)) process.exitCode = 1;
}

await main();
