/**
 * `npugen run`'s checks over the issue's model matrix: each test model on the built-in simulator,
 * Icarus and Verilator (4x4 tile, 4 random input sets), every layer compared bit for bit with the
 * golden model and onnxruntime-node. Records per model and simulator: bit-exact, the layers,
 * simulated cycles and wall time (Verilator's first run of a tile includes its compile).
 *
 * The com.microsoft MatMulNBits models (block 32/64/128, with and without zero points, K not a
 * multiple of the block) run on a group_gemm tile of 4 columns instead; their golden model is
 * compared with onnxruntime within the stated bound (docs/llm-formats.md), and the row records the
 * largest |golden - onnxruntime| as a fraction of it.
 *
 *   npx tsx bench/onnx-run.ts [--json bench/results/onnx-run.json] [--sims builtin,icarus,verilator] [--models SUBSTRING]
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { exportMlpOnnx } from '../examples/mlp/onnx-export.ts';
import { loadDigits, splitDigits } from '../examples/mlp/data.ts';
import { INT8, quantizeMlp } from '../examples/mlp/quantize.ts';
import { trainMlp } from '../examples/mlp/train.ts';
import { randomInputs } from '../onnx/inputs.ts';
import { lowerModel } from '../onnx/lower.ts';
import { readOnnxModel } from '../onnx/model.ts';
import { runLoweredModel, type SimulatorChoice } from '../onnx/run.ts';
import { Rng } from '../sim/random.ts';
import * as M from '../test/helpers/onnx-models.ts';
import { matMulNBitsModel, randomMatMulNBits } from '../test/helpers/matmul-nbits-model.ts';

const { values } = parseArgs({ options: { json: { type: 'string', default: 'bench/results/onnx-run.json' }, sims: { type: 'string', default: 'builtin,icarus,verilator' }, models: { type: 'string', default: '' } } });
const sims = values.sims!.split(',') as SimulatorChoice[];
const { train } = splitDigits(loadDigits());
const demo = quantizeMlp(trainMlp(train, { seed: 7, epochs: 2 }), train, INT8);
const models: [string, Uint8Array][] = [
  ['QLinearMatMul 7x13x5 uint8 x int8 per-column (not tile multiples)', M.qlinearMatMulModel({ m: 7, k: 13, n: 5, a: 'uint8', b: 'int8', perColumn: true })],
  ['QOperator MLP, float input (Q -> QLinearMatMul per-column u8 x s8 -> QLinearMatMul -> DQ)', M.qoperatorMlpModel({ batch: 3, k: 20, h: 11, n: 6 })],
  ['MatMulInteger 5x9x7 with zero points', M.matMulIntegerModel({ m: 5, k: 9, n: 7 })],
  ['QLinearConv network (3x3 pad 1, 2x2 stride 2)', M.qlinearConvNetModel({ n: 1, c: 2, hw: 6, c1: 3, c2: 4 })],
  ['QDQ MLP (MatMul, Gemm + bias)', M.qdqMlpModel({ batch: 2, k: 12, h: 7, n: 5 })],
  ['QDQ Conv + Relu', M.qdqConvModel({ n: 1, c: 2, hw: 5, oc: 3 })],
  ['com.microsoft QGemm + bias', M.qgemmModel({ m: 5, k: 12, n: 7 })],
  ['demo MLP exported, QOperator', exportMlpOnnx(demo, 'qoperator', 2)],
  ['demo MLP exported, QDQ', exportMlpOnnx(demo, 'qdq', 2)],
  ...([[32, true, 100], [64, false, 160], [128, true, 300]] as const).map(([block, zp, k]): [string, Uint8Array] => [
    `MatMulNBits 3x${k}x6 block ${block}${zp ? ' with zero points' : ''}`, matMulNBitsModel(randomMatMulNBits(new Rng(block), k, 6, block, zp), [3, k]),
  ]),
];
const rows = [];
for (const [name, bytes] of models) {
  if (!name.includes(values.models!)) continue;
  const lowered = lowerModel(readOnnxModel(bytes, name));
  const rng = new Rng(1);
  const inputSets = Array.from({ length: 4 }, () => randomInputs(lowered.model, rng));
  for (const simulator of sims) {
    const t = Date.now();
    const r = await runLoweredModel(bytes, lowered, { inputSets, simulator, tile: { rows: 4, cols: 4 } });
    const row = {
      model: name, simulator, bitExact: r.bitExact, wallMs: Date.now() - t,
      layers: r.layers.map((l) => ({
        name: l.name, op: l.op, formats: l.formats, cycles: l.cycles, bitExact: l.bitExact, hardwareBitExact: l.hardwareBitExact,
        ...(l.worstFractionOfTolerance !== undefined ? { worstFractionOfTolerance: l.worstFractionOfTolerance } : {}),
      })),
    };
    console.log(`${name} on ${simulator}: ${r.bitExact ? 'bit-exact' : 'MISMATCH'} (${r.layers.map((l) => `${l.op}${l.cycles === null ? '' : ` ${l.cycles} cycles`}`).join(', ')}) ${(row.wallMs / 1000).toFixed(1)} s`);
    rows.push(row);
  }
}
await writeFile(values.json!, `${JSON.stringify({ date: new Date().toISOString(), loadAverage: loadavg(), tile: '4x4', inputSets: 4, models: values.models, runs: rows }, null, 2)}\n`);
if (rows.some((r) => !r.bitExact)) process.exitCode = 1;
