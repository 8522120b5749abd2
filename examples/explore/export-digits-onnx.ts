/**
 * Writes the ONNX workload of examples/explore/digits-onnx.yaml: the digits MLP (trained as the
 * explorer's built-in workload, int8 per-channel post-training quantization) exported in the QDQ
 * form quantization tools write (examples/mlp/onnx-export.ts), its 360 test images as the eval
 * inputs (float32 pixels / 16, [360, 64]) and their labels (int32, [360]).
 *
 *   npx tsx examples/explore/export-digits-onnx.ts [DIR]   # default: examples/explore
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { digitsWorkload } from '../../explore/digits.ts';
import { exportMlpOnnx, onnxInputOf } from '../mlp/onnx-export.ts';
import { INT8, quantizeMlp } from '../mlp/quantize.ts';
import { writeNpy } from '../../onnx/npy.ts';
import { tensor } from '../../onnx/tensor.ts';

/** The three files' bytes (tests write them to a temporary directory). */
export function digitsOnnxFiles(): { model: Uint8Array; eval: Uint8Array; labels: Uint8Array } {
  const w = digitsWorkload();
  const q = quantizeMlp(w.model, w.train, INT8);
  return {
    model: exportMlpOnnx(q, 'qdq'),
    eval: writeNpy(onnxInputOf(w.test.images)),
    labels: writeNpy(tensor('int32', [w.test.labels.length], w.test.labels)),
  };
}

export function writeDigitsOnnxFiles(dir: string): void {
  const f = digitsOnnxFiles();
  writeFileSync(join(dir, 'digits-int8-qdq.onnx'), f.model);
  writeFileSync(join(dir, 'digits-eval.npy'), f.eval);
  writeFileSync(join(dir, 'digits-labels.npy'), f.labels);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const dir = process.argv[2] ?? import.meta.dirname;
  writeDigitsOnnxFiles(dir);
  console.log(`wrote ${dir}/digits-int8-qdq.onnx, digits-eval.npy, digits-labels.npy`);
}
