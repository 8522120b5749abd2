/**
 * Lowers a read ONNX model to layers: nodes in file order (ONNX requires topological order), each
 * through its op table entry; constant-only nodes fold; Relu/Clip/QuantizeLinear nodes absorbed by
 * a layer are skipped; layers whose output nothing reads (a DequantizeLinear feeding only fused
 * QDQ groups) are dropped.
 */
import type { Layer } from './layer.ts';
import { LowerContext } from './lower-context.ts';
import { OnnxModelError, type OnnxModel } from './model.ts';
import { opEntry, supportedOpList } from './ops/table.ts';
import type { Tensor } from './tensor.ts';

export interface LoweredModel {
  readonly model: OnnxModel;
  readonly layers: readonly Layer[];
  readonly constants: ReadonlyMap<string, Tensor>;
}

const MIN_OPSET = 10;

export function lowerModel(model: OnnxModel): LoweredModel {
  const opset = model.opsets.get('');
  if (opset === undefined || opset < MIN_OPSET) throw new OnnxModelError(`the model imports ONNX opset ${opset ?? 'none'}; npugen needs opset ${MIN_OPSET} or later (QLinearMatMul, MatMulInteger, QLinearConv)`);
  const ctx = new LowerContext(model, new Map(model.initializers));
  const layers: Layer[] = [];
  for (const node of model.nodes) {
    if (ctx.absorbed.has(node)) continue;
    const entry = opEntry(node.domain, node.opType);
    if (entry === undefined) throw ctx.error(node, `op not supported; npugen runs: ${supportedOpList()}`);
    const r = entry.lower(ctx, node);
    if (r !== 'folded') layers.push(r);
  }
  const live = liveLayers(model, layers, ctx.constants);
  if (live.length === 0) throw new OnnxModelError('the model has no layer to run (every output is a constant)');
  return { model, layers: live, constants: ctx.constants };
}

/** Layers some graph output depends on, in order. */
function liveLayers(model: OnnxModel, layers: readonly Layer[], constants: ReadonlyMap<string, Tensor>): Layer[] {
  const needed = new Set(model.outputs.map((o) => o.name));
  const keep = new Set<Layer>();
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i]!;
    if (!needed.has(l.output)) continue;
    keep.add(l);
    for (const x of l.inputs) needed.add(x);
  }
  for (const o of model.outputs) {
    if (!constants.has(o.name) && !layers.some((l) => l.output === o.name) && !model.inputs.some((x) => x.name === o.name)) {
      throw new OnnxModelError(`graph output '${o.name}' is not produced by any supported node`);
    }
  }
  return layers.filter((l) => keep.has(l));
}
