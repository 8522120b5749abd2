/**
 * A quantized ONNX model as the explorer's workload (`model: x.onnx` with `eval:` and `labels:`):
 * the model is read and lowered as `npugen run` does (same op table, same exact semantics); its
 * golden inference (onnx/layer.ts evalLayer, the onnxruntime CPU kernels' arithmetic) runs on every
 * evaluation input for the accuracy, and onnxruntime-node runs the same inputs once so the golden
 * output is checked bit for bit (layers with a tolerance: within it) against the reference before
 * any point is measured. Each point then runs the model's GEMM layers on its tile shape
 * (explore/onnx-plan.ts).
 *
 * Limits: a symbolic batch dimension (the eval rows are batched into one input set), one graph
 * input, the first graph output holds the class scores ([N, classes], top-1 by argmax, first index
 * on ties), gemm_tile layers only (MatMulNBits runs on group_gemm, which explore does not measure).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { lowerModel, type LoweredModel } from '../onnx/lower.ts';
import { envGet, evalLayer, type Layer } from '../onnx/layer.ts';
import { OnnxModelError, readOnnxModel } from '../onnx/model.ts';
import { NpyError, readNpy } from '../onnx/npy.ts';
import { openOrtSession, OrtError } from '../onnx/ort.ts';
import { checkInputs } from '../onnx/inputs.ts';
import { numberAt, sizeOf, type Tensor } from '../onnx/tensor.ts';
import type { OnnxRef } from './sweep.ts';

export interface OnnxWorkload {
  /** The model file's name without .onnx (point ids start with it). */
  readonly name: string;
  /** sha256 of the model, eval and labels bytes: part of every point's cache key. */
  readonly hash: string;
  readonly bytes: Uint8Array;
  readonly lowered: LoweredModel;
  readonly inputName: string;
  readonly outputName: string;
  readonly eval: Tensor;
  readonly labels: readonly number[];
  /** Top-1 of the golden inference on every eval row. */
  readonly accuracy: number;
  /** onnxruntime's output equals the golden model's on every eval row (bit for bit, or within the layers' tolerance). */
  readonly onnxruntimeAgrees: boolean;
  readonly onnxruntimeNote?: string;
  /** Operand formats of the hardware layers, e.g. 'uint8 x int8 -> uint8'. */
  readonly formats: string;
}

const loaded = new Map<string, OnnxWorkload>();

/** The workload loaded by `loadOnnxWorkload` with this hash (points look it up by their spec). */
export function onnxWorkloadOf(hash: string): OnnxWorkload {
  const w = loaded.get(hash);
  if (!w) throw new Error(`internal: ONNX workload ${hash} not loaded`);
  return w;
}

function readBytes(ref: OnnxRef, key: 'model' | 'eval' | 'labels'): Uint8Array {
  try {
    return readFileSync(ref[key]);
  } catch (e) {
    throw ref.at(key, `${key}: cannot read '${ref[key]}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The rows [from, to) of a batch-first tensor. */
export function rowsOf(t: Tensor, from: number, to: number): Tensor {
  const row = sizeOf(t.dims.slice(1));
  return { dtype: t.dtype, dims: [to - from, ...t.dims.slice(1)], data: t.data.subarray(from * row, to * row) as Tensor['data'] };
}

/** The golden tensors of every layer for one input set (host layers and the hardware layers' golden outputs). */
export function goldenEnv(lowered: LoweredModel, inputName: string, input: Tensor): Map<string, Tensor> {
  const env = new Map<string, Tensor>([...lowered.constants, [inputName, input]]);
  for (const l of lowered.layers) env.set(l.output, evalLayer(l, env));
  return env;
}

/** argmax per row of an [N, C] tensor (first index on ties). */
export function top1(t: Tensor): number[] {
  const [n, c] = [t.dims[0]!, sizeOf(t.dims.slice(1))];
  return Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let j = 1; j < c; j++) if (numberAt(t, i * c + j) > numberAt(t, i * c + best)) best = j;
    return best;
  });
}

function checkLayers(ref: OnnxRef, layers: readonly Layer[]): void {
  const group = layers.find((l) => l.kind === 'group');
  if (group) throw ref.at('model', `model: layer '${group.name}' is ${group.op}, which runs on group_gemm; explore measures gemm_tile layers only (use npugen run for this model)`);
  if (!layers.some((l) => l.kind === 'gemm')) throw ref.at('model', 'model: the model has no GEMM layer to run on a tile');
}

/**
 * Reads, lowers and evaluates the ONNX workload; every problem with the user's files is a
 * DesignFileError at the sweep key that names the file (exit 2). onnxruntime failing to load a
 * model npugen accepted is an error too (exit 2): the comparison the points rely on cannot run.
 */
export async function loadOnnxWorkload(ref: OnnxRef): Promise<OnnxWorkload> {
  const bytes = readBytes(ref, 'model');
  const evalBytes = readBytes(ref, 'eval');
  const labelBytes = readBytes(ref, 'labels');
  const hash = createHash('sha256').update(bytes).update('\0').update(evalBytes).update('\0').update(labelBytes).digest('hex');
  const hit = loaded.get(hash);
  if (hit) return hit;
  let lowered: LoweredModel;
  try {
    lowered = lowerModel(readOnnxModel(bytes, ref.model));
  } catch (e) {
    if (e instanceof OnnxModelError) throw ref.at('model', `model: ${e.message}`);
    throw e;
  }
  checkLayers(ref, lowered.layers);
  const { inputs, outputs } = lowered.model;
  if (inputs.length !== 1) throw ref.at('model', `model: explore needs a model with one input, this one has ${inputs.length} (${inputs.map((v) => v.name).join(', ')})`);
  const input = inputs[0]!;
  if (typeof input.dims[0] === 'number' && input.dims[0] > 0) throw ref.at('model', `model: input '${input.name}' has a fixed batch of ${input.dims[0]}; explore batches the eval rows, so export the model with a symbolic first dimension (e.g. 'batch')`);
  let x: Tensor;
  let y: Tensor;
  try {
    x = readNpy(evalBytes, ref.eval);
    y = readNpy(labelBytes, ref.labels);
  } catch (e) {
    if (e instanceof NpyError) throw ref.at(e.message.startsWith(ref.labels) ? 'labels' : 'eval', e.message);
    throw e;
  }
  try {
    checkInputs(lowered.model, new Map([[input.name, x]]), () => `eval ${basename(ref.eval)}`);
  } catch (e) {
    if (e instanceof OnnxModelError) throw ref.at('eval', `eval: ${e.message}`);
    throw e;
  }
  const n = x.dims[0]!;
  if (y.dtype === 'float32' || y.dims.length !== 1 || y.dims[0] !== n) throw ref.at('labels', `labels: expected ${n} integer labels (an int8/uint8/int32/int64 .npy of shape (${n},), one per eval row), got ${y.dtype} (${y.dims.join(', ')})`);
  const labels = Array.from({ length: n }, (_, i) => numberAt(y, i));
  const outputName = outputs[0]!.name;
  const golden = envGet(goldenEnv(lowered, input.name, x), outputName);
  const predicted = top1(golden);
  const accuracy = predicted.filter((p, i) => p === labels[i]).length / n;
  const ort = await compareWithOnnxruntime(ref, bytes, lowered, input.name, x, golden);
  const hw = lowered.layers.filter((l) => l.kind === 'gemm');
  const w: OnnxWorkload = {
    name: basename(ref.model).replace(/\.onnx$/, ''), hash, bytes, lowered, inputName: input.name, outputName, eval: x, labels, accuracy,
    onnxruntimeAgrees: ort.agrees, ...(ort.note !== undefined ? { onnxruntimeNote: ort.note } : {}),
    formats: [...new Set(hw.map((l) => l.formats))].join('; '),
  };
  loaded.set(hash, w);
  return w;
}

/** The model's first output from onnxruntime on every eval row, against the golden one. */
async function compareWithOnnxruntime(ref: OnnxRef, bytes: Uint8Array, lowered: LoweredModel, inputName: string, x: Tensor, golden: Tensor): Promise<{ agrees: boolean; note?: string }> {
  let out: Map<string, Tensor>;
  try {
    const session = await openOrtSession(bytes);
    try {
      out = await session.run(new Map([[inputName, x]]));
    } finally {
      await session.release();
    }
  } catch (e) {
    if (e instanceof OrtError) throw ref.at('model', `model: ${e.message}`);
    throw e;
  }
  const name = lowered.model.outputs[0]!.name;
  const r = out.get(name);
  if (r === undefined || r.data.length !== golden.data.length) return { agrees: false, note: `onnxruntime returned no '${name}' of the golden shape` };
  const last = lowered.layers.find((l) => l.output === name);
  const tol = last?.tolerance?.absolute(golden);
  for (let i = 0; i < r.data.length; i++) {
    const g = numberAt(golden, i);
    const o = numberAt(r, i);
    const same = tol === undefined ? Object.is(g, o) : Math.abs(g - o) <= tol[i]!;
    if (!same) return { agrees: false, note: `golden vs onnxruntime: '${name}' element ${i}: golden ${g}, onnxruntime ${o}` };
  }
  return { agrees: true };
}
