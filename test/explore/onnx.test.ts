// `model: x.onnx` in a sweep: the explorer's accuracy is the model's quantized inference, recomputed
// here independently with real onnxruntime-node on the same eval rows; each tile runs the model's
// GEMM layers (built-in simulator: the quick flow keeps this to seconds; the full flow's Verilator,
// yosys, Icarus and nextpnr path is the digits points' one, and docs/explore.md records a full run
// of examples/explore/digits-onnx.yaml); bad files and unsupported models exit 2 naming the sweep
// file's line.
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { PointResult } from '../../explore/point.ts';
import { digitsOnnxFiles } from '../../examples/explore/export-digits-onnx.ts';
import { readNpy, writeNpy } from '../../onnx/npy.ts';
import { openOrtSession } from '../../onnx/ort.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import * as M from '../helpers/onnx-models.ts';

const ROWS = 48;
const dir = mkdtempSync(join(tmpdir(), 'npugen-explore-onnx-'));
const full = digitsOnnxFiles();
const x = readNpy(full.eval, 'eval');
const y = readNpy(full.labels, 'labels');
// A slice of the test split keeps the golden and onnxruntime runs short.
const evalSlice: Tensor = { dtype: 'float32', dims: [ROWS, 64], data: x.data.subarray(0, ROWS * 64) as Float32Array };
const labelSlice: Tensor = { dtype: 'int32', dims: [ROWS], data: y.data.subarray(0, ROWS) as Int32Array };
writeFileSync(join(dir, 'm.onnx'), full.model);
writeFileSync(join(dir, 'x.npy'), writeNpy(evalSlice));
writeFileSync(join(dir, 'y.npy'), writeNpy(labelSlice));
writeFileSync(join(dir, 'softmax.onnx'), M.unsupportedOpModel());

const SWEEP = `model: m.onnx
eval: x.npy
labels: y.npy
tiles: [2x2, 1x4]
target: { device: generic }
rtl_sample: 3
`;

function collector() {
  const err: string[] = [];
  return { out: () => {}, err: (t: string) => void err.push(t), isTty: false, text: () => err.join('\n') };
}

function sweepFile(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('explore with an ONNX model', () => {
  test('accuracy = onnxruntime top-1 on the eval rows; every tile bit-exact on the built-in simulator', async () => {
    const session = await openOrtSession(full.model);
    const logits = (await session.run(new Map([['pixels', evalSlice]]))).get('logits')!;
    await session.release();
    let correct = 0;
    for (let i = 0; i < ROWS; i++) {
      const row = Array.from((logits.data as Float32Array).subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === labelSlice.data[i]) correct++;
    }
    const io = collector();
    expect(await runCli(['explore', sweepFile('ok.yaml', SWEEP), '-o', join(dir, 'out'), '--quick', '--jobs', '1'], io)).toBe(0);
    const pts = JSON.parse(readFileSync(join(dir, 'out', 'points.json'), 'utf8')) as PointResult[];
    expect(pts.map((p) => p.id)).toEqual(['m_2x2', 'm_1x4']);
    for (const p of pts) {
      expect(p.accuracy).toBe(correct / ROWS);
      expect(p).toMatchObject({ precision: 'onnx', simVerified: true, onnxruntimeAgrees: true, floatAccuracy: null });
      // 64-32-10: 2,368 int8 weights, whatever the tile.
      expect(p.bytes.weights).toBe(64 * 32 + 32 * 10);
    }
    // A 1x4 tile streams 3 rows one by one and 4 columns at once; 2x2 two rows and two columns: both near k-bound.
    expect(pts[0]!.cycles).toBeGreaterThan(0);
    expect(Math.abs(pts[0]!.cyclesError)).toBeLessThan(0.05);
    expect(io.text()).toMatch(/onnxruntime agrees bit for bit/);
  }, 120_000);

  test.each([
    ['a missing model', SWEEP.replace('m.onnx', 'nothing.onnx'), 1, /model: cannot read '.*nothing\.onnx': ENOENT/],
    ['a missing eval file', SWEEP.replace('x.npy', 'none.npy'), 2, /eval: cannot read/],
    ['labels that do not match the eval rows', SWEEP.replace('y.npy', 'x.npy'), 3, /labels: expected 48 integer labels/],
    ['an unsupported op', SWEEP.replace('m.onnx', 'softmax.onnx'), 1, /model: .*'my_softmax' \(Softmax\): op not supported/],
    ['precisions with an ONNX model', `${SWEEP}precisions: [int8]\n`, 7, /precisions: an ONNX model brings its own quantization/],
    ['no labels', SWEEP.replace('labels: y.npy\n', ''), 1, /labels: required with an ONNX model/],
  ])('%s: exit 2 at the sweep file line', async (_, text, line, message) => {
    const io = collector();
    const file = sweepFile('bad.yaml', text);
    expect(await runCli(['explore', file, '-o', join(dir, 'bad-out'), '--quick'], io)).toBe(2);
    expect(io.text()).toContain(`${file}:${line}:`);
    expect(io.text()).toMatch(message);
    expect(io.text()).not.toMatch(/\n\s+at /);
  }, 60_000);
});
