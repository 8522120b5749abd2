/**
 * The sweep file of `npugen explore`: a workload and the axes whose cross product are the points.
 *
 *   model: digits-mlp                  # the built-in digits MLP, or a quantized model.onnx (then eval: and labels:)
 *   precisions: [int8, w4a8, int4]     # names in precisions.ts (digits-mlp only: an ONNX model fixes its own)
 *   tiles: [2x2, 4x4]                  # gemm_tile shapes RxC
 *   target: { device: hx8k }           # up5k | hx8k (yosys + nextpnr-ice40) | generic (yosys only)
 *   scales: [per_channel, per_tensor]  # optional, default [per_channel]
 *   qat: [off, on]                     # optional, default [off]: quantization-aware training
 *   rtl_sample: 16                     # optional: test images run on RTL and on each netlist
 *   eval: x.npy                        # ONNX models: the evaluation inputs, [N, ...] (first dim the batch)
 *   labels: y.npy                      # ONNX models: N integer class labels (top-1 of the first output)
 *
 * Paths are relative to the sweep file's directory.
 * Every problem is a DesignFileError with file:line:col, the key, what was expected and how to
 * fix it (the CLI exits 2).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Node as YamlNode, type YAMLMap } from 'yaml';
import { checkKeys, DesignFileError, parseLocatedYaml, type At } from '../cli/located-yaml.ts';
import { suggestion } from '../cli/did-you-mean.ts';
import { PRECISIONS, type FloatPrecision, type IntPrecision } from './precisions.ts';

export type Device = 'up5k' | 'hx8k' | 'generic';
export type ScaleMode = 'per_channel' | 'per_tensor';
export type Qat = 'off' | 'on';

/** An ONNX workload as the sweep names it (absolute paths); `at` locates an error at its key's line. */
export interface OnnxRef {
  readonly model: string;
  readonly eval: string;
  readonly labels: string;
  readonly at: (key: 'model' | 'eval' | 'labels', detail: string) => DesignFileError;
}

export interface Sweep {
  readonly file: string;
  readonly model: 'digits-mlp' | 'onnx';
  /** Set when `model` is 'onnx'. */
  readonly onnx?: OnnxRef;
  readonly precisions: readonly (IntPrecision | FloatPrecision)[];
  readonly tiles: readonly { readonly rows: number; readonly cols: number }[];
  readonly device: Device;
  readonly scales: readonly ScaleMode[];
  readonly qat: readonly Qat[];
  readonly rtlSample: number;
}

const TOP = ['model', 'precisions', 'tiles', 'target', 'scales', 'qat', 'rtl_sample', 'eval', 'labels'] as const;
const DEVICES: readonly Device[] = ['up5k', 'hx8k', 'generic'];

export async function loadSweep(file: string): Promise<Sweep> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new DesignFileError(file, 0, 0, `cannot read sweep file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseSweep(file, text);
}

export function parseSweep(file: string, text: string): Sweep {
  const { root, at } = parseLocatedYaml(file, text, TOP.join(', '));
  checkKeys(root, TOP, '', at);
  const get = (key: string) => root.get(key, true) as YamlNode | undefined;
  const required = (key: string, what: string): YamlNode => {
    const n = get(key);
    if (n === undefined) throw at(root, `${key}: required (${what})`);
    return n;
  };
  const modelNode = required('model', 'the workload: digits-mlp, or a quantized model.onnx');
  const modelName = isScalar(modelNode) ? String(modelNode.value) : '';
  const isOnnx = modelName.endsWith('.onnx');
  if (modelName !== 'digits-mlp' && !isOnnx) throw at(modelNode, `model: expected digits-mlp (the built-in digits MLP) or a path to a quantized .onnx model, got '${modelName}'`);
  const onnx = isOnnx ? onnxRef(file, root, modelNode, modelName, at) : undefined;
  if (!isOnnx) for (const key of ['eval', 'labels']) {
    const n = get(key);
    if (n !== undefined) throw at(n, `${key}: only for an ONNX model (model: x.onnx); the built-in digits-mlp evaluates on its own test split`);
  }
  if (isOnnx) for (const key of ['precisions', 'scales', 'qat']) {
    const n = get(key);
    if (n !== undefined) throw at(n, `${key}: an ONNX model brings its own quantization (its formats and scales are in the file); remove ${key}: or use model: digits-mlp`);
  }
  const precisions = isOnnx ? [] : list(required('precisions', 'a list of precision names'), 'precisions', at).map(([n, name]) => {
    const p = PRECISIONS[name];
    if (!p) throw at(n, `precisions: unknown precision '${name}'${suggestion(name, Object.keys(PRECISIONS))}; known: ${Object.keys(PRECISIONS).join(', ')}`);
    if (p.kind === 'planned') throw at(n, `precisions: '${name}' is named but not yet run on RTL by explore (${p.doc}); use int8, w4a8, int4, fp8_e4m3 or bf16`);
    return p;
  });
  const tiles = list(required('tiles', 'a list of tile shapes RxC, e.g. [2x2, 4x4]'), 'tiles', at).map(([n, s]) => {
    const m = /^([0-9]+)x([0-9]+)$/.exec(s);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[1]) > 16 || Number(m[2]) > 16) throw at(n, `tiles: expected RxC with R, C in 1..16 (e.g. 4x4), got '${s}'`);
    return { rows: Number(m[1]), cols: Number(m[2]) };
  });
  const device = parseTarget(required('target', '{ device: up5k | hx8k | generic }'), at);
  const scales = optionalList(get('scales'), 'scales', ['per_channel', 'per_tensor'] as const, ['per_channel'], at);
  const qat = optionalList(get('qat'), 'qat', ['off', 'on'] as const, ['off'], at, { false: 'off', true: 'on' });
  const sampleNode = get('rtl_sample');
  let rtlSample = 16;
  if (sampleNode !== undefined) {
    const v = isScalar(sampleNode) ? sampleNode.value : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 360) throw at(sampleNode, `rtl_sample: expected an integer 1..360 (test images run on each point's RTL), got '${String(v)}'`);
    rtlSample = v;
  }
  return { file, model: isOnnx ? 'onnx' : 'digits-mlp', ...(onnx ? { onnx } : {}), precisions, tiles, device, scales, qat, rtlSample };
}

/** The ONNX workload's files, resolved against the sweep file's directory; `eval` and `labels` are required. */
function onnxRef(file: string, root: YAMLMap, modelNode: YamlNode, model: string, at: At): OnnxRef {
  const nodes: Record<'model' | 'eval' | 'labels', YamlNode> = { model: modelNode, eval: modelNode, labels: modelNode };
  const paths: Record<string, string> = { model: resolve(dirname(file), model) };
  for (const [key, what] of [['eval', 'the evaluation inputs as .npy, [N, ...] with the batch first'], ['labels', 'N integer class labels as .npy']] as const) {
    const n = root.get(key, true) as YamlNode | undefined;
    if (n === undefined) throw at(root, `${key}: required with an ONNX model (${what}), e.g. ${key}: ${key === 'eval' ? 'x.npy' : 'y.npy'}`);
    const v = isScalar(n) ? String(n.value) : '';
    if (!v.endsWith('.npy')) throw at(n, `${key}: expected a path to a .npy file (${what}), got '${v}'`);
    nodes[key] = n;
    paths[key] = resolve(dirname(file), v);
  }
  return { model: paths['model']!, eval: paths['eval']!, labels: paths['labels']!, at: (key, detail) => at(nodes[key], detail) };
}

/** A non-empty list of unique strings (a lone scalar counts as a list of one). */
function list(node: YamlNode, key: string, at: At): [YamlNode, string][] {
  const items: YamlNode[] = isSeq(node) ? (node.items as YamlNode[]) : [node];
  if (items.length === 0) throw at(node, `${key}: expected at least one value`);
  const seen = new Set<string>();
  return items.map((n) => {
    if (!isScalar(n) || (typeof n.value !== 'string' && typeof n.value !== 'number' && typeof n.value !== 'boolean')) throw at(n, `${key}: expected a list of names, e.g. ${key}: [a, b]`);
    const s = String(n.value);
    if (seen.has(s)) throw at(n, `${key}: '${s}' is listed twice`);
    seen.add(s);
    return [n, s];
  });
}

/** `aliases` maps other spellings (e.g. YAML 1.1 booleans) to allowed values. */
function optionalList<T extends string>(node: YamlNode | undefined, key: string, allowed: readonly T[], dflt: readonly T[], at: At, aliases: Readonly<Record<string, T>> = {}): T[] {
  if (node === undefined) return [...dflt];
  return list(node, key, at).map(([n, raw]) => {
    const s = aliases[raw] ?? raw;
    if (!(allowed as readonly string[]).includes(s)) throw at(n, `${key}: unknown value '${s}'${suggestion(s, allowed)}; expected one of ${allowed.join(', ')}`);
    return s as T;
  });
}

function parseTarget(node: YamlNode, at: At): Device {
  if (!isMap(node)) throw at(node, 'target: expected a mapping, e.g. target: { device: hx8k }');
  checkKeys(node, ['device'], 'target.', at);
  const d = node.get('device', true) as YamlNode | undefined;
  if (d === undefined) throw at(node, `target.device: required (${DEVICES.join(', ')})`);
  const v = isScalar(d) ? String(d.value) : '';
  if (!(DEVICES as readonly string[]).includes(v)) throw at(d, `target.device: unknown device '${v}'${suggestion(v, DEVICES)}; expected one of ${DEVICES.join(', ')}`);
  return v as Device;
}
