/**
 * Reading an ONNX model (ModelProto bytes) into npugen's graph form: opsets by domain, graph
 * inputs (initializers excluded) and outputs with element types and shapes, initializers and
 * Constant nodes as tensors, and the nodes with their attributes, in file order.
 */
import { ATTR, decodeModelProto, type AttributeObject, type NodeObject, type ValueInfoObject } from './proto/codec.ts';
import { type DType, type Tensor, OnnxTensorError, dtypeOfElemType, elemTypeName, tensorFromProto } from './tensor.ts';

/** Thrown for a model npugen cannot read or run; the message names the node, op and what is supported. Exit 2. */
export class OnnxModelError extends Error {
  override readonly name = 'OnnxModelError';
}

export type OnnxAttr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: Tensor }
  | { readonly kind: 'other'; readonly type: number };

export interface OnnxNode {
  /** The node's name, or `<op_type>#<index>` when the file leaves it empty. */
  readonly name: string;
  readonly opType: string;
  /** '' for the default ONNX domain (ai.onnx is normalized to ''). */
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, OnnxAttr>;
}

export interface OnnxValue {
  readonly name: string;
  readonly dtype: DType;
  /** Dimensions; a symbolic or unknown dimension is its name (dim_param) or '?'. */
  readonly dims: readonly (number | string)[];
}

export interface OnnxModel {
  readonly opsets: ReadonlyMap<string, number>;
  readonly graphName: string;
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
  readonly initializers: ReadonlyMap<string, Tensor>;
  readonly nodes: readonly OnnxNode[];
}

export const normalizeDomain = (d: string | undefined): string => (d === undefined || d === 'ai.onnx' ? '' : d);

function readAttr(a: AttributeObject, where: string): OnnxAttr {
  switch (a.type) {
    case ATTR.INT: return { kind: 'int', value: Number(a.i ?? 0) };
    case ATTR.FLOAT: return { kind: 'float', value: a.f ?? 0 };
    case ATTR.STRING: return { kind: 'string', value: new TextDecoder().decode(a.s ?? new Uint8Array()) };
    case ATTR.INTS: return { kind: 'ints', value: (a.ints ?? []).map(Number) };
    case ATTR.FLOATS: return { kind: 'floats', value: a.floats ?? [] };
    case ATTR.TENSOR: return { kind: 'tensor', value: tensorFromProto(a.t ?? {}, `${where} attribute '${a.name}'`) };
    default: return { kind: 'other', type: a.type ?? 0 };
  }
}

function readValue(v: ValueInfoObject, what: string): OnnxValue {
  const tt = v.type?.tensorType;
  const name = v.name ?? '';
  if (tt === undefined) throw new OnnxModelError(`${what} '${name}' is not a tensor; npugen runs tensor inputs and outputs only`);
  const dtype = dtypeOfElemType(tt.elemType ?? 0);
  if (dtype === undefined) throw new OnnxModelError(`${what} '${name}' has element type ${elemTypeName(tt.elemType ?? 0)}; supported: float, int8, uint8, int32, int64`);
  const dims = (tt.shape?.dim ?? []).map((d) => (d.dimValue !== undefined ? Number(d.dimValue) : d.dimParam || '?'));
  return { name, dtype, dims };
}

function readNode(n: NodeObject, index: number): OnnxNode {
  const opType = n.opType ?? '';
  const name = n.name || `${opType}#${index}`;
  const attrs = new Map<string, OnnxAttr>();
  for (const a of n.attribute ?? []) attrs.set(a.name ?? '', readAttr(a, `node '${name}' (${opType})`));
  return { name, opType, domain: normalizeDomain(n.domain), inputs: n.input ?? [], outputs: n.output ?? [], attrs };
}

/** Parses ModelProto bytes; `file` names the source in errors. */
export function readOnnxModel(bytes: Uint8Array, file: string): OnnxModel {
  let m;
  try {
    m = decodeModelProto(bytes);
  } catch (e) {
    throw new OnnxModelError(`${file}: not an ONNX model (protobuf decoding failed: ${(e as Error).message})`);
  }
  const g = m.graph;
  if (g === undefined || (g.node ?? []).length === 0) throw new OnnxModelError(`${file}: the model has no graph or no nodes`);
  try {
    const opsets = new Map((m.opsetImport ?? []).map((o) => [normalizeDomain(o.domain), Number(o.version ?? 0)] as const));
    const initializers = new Map<string, Tensor>();
    for (const t of g.initializer ?? []) initializers.set(t.name ?? '', tensorFromProto(t, `initializer '${t.name}'`));
    const nodes: OnnxNode[] = [];
    (g.node ?? []).forEach((raw, i) => {
      const node = readNode(raw, i);
      const value = node.attrs.get('value');
      // Constant nodes are initializers written another way.
      if (node.opType === 'Constant' && node.domain === '' && value?.kind === 'tensor' && node.outputs[0] !== undefined) initializers.set(node.outputs[0], value.value);
      else nodes.push(node);
    });
    const inputs = (g.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map((v) => readValue(v, 'graph input'));
    const outputs = (g.output ?? []).map((v) => readValue(v, 'graph output'));
    return { opsets, graphName: g.name ?? '', inputs, outputs, initializers, nodes };
  } catch (e) {
    if (e instanceof OnnxTensorError) throw new OnnxModelError(`${file}: ${e.message}`);
    if (e instanceof OnnxModelError) throw new OnnxModelError(`${file}: ${e.message}`);
    throw e;
  }
}
