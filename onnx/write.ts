/**
 * Writing ONNX models (the inverse of model.ts, same protobufjs schema): used by
 * `npugen demo --onnx` and by the tests to build small QOperator and QDQ models.
 */
import { ATTR, encodeModelProto, type AttributeObject, type ValueInfoObject } from './proto/codec.ts';
import { type DType, type Tensor, ELEM_TYPE, tensorToProto } from './tensor.ts';

/** An attribute value; integers and floats are tagged because ONNX types them differently. */
export type AttrSpec =
  | { readonly i: number }
  | { readonly f: number }
  | { readonly s: string }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly t: Tensor };

export interface NodeSpec {
  readonly op: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly domain?: string;
  readonly attrs?: Readonly<Record<string, AttrSpec>>;
}

export interface ValueSpec {
  readonly name: string;
  readonly dtype: DType;
  readonly dims: readonly (number | string)[];
}

export interface ModelSpec {
  readonly name: string;
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly initializers: Readonly<Record<string, Tensor>>;
  readonly nodes: readonly NodeSpec[];
  /** Opset per domain; default { '': 21 } plus com.microsoft 1 when a node uses it. */
  readonly opsets?: Readonly<Record<string, number>>;
  readonly irVersion?: number;
}

function attrObject(name: string, a: AttrSpec): AttributeObject {
  if ('i' in a) return { name, type: ATTR.INT, i: a.i };
  if ('f' in a) return { name, type: ATTR.FLOAT, f: a.f };
  if ('s' in a) return { name, type: ATTR.STRING, s: new TextEncoder().encode(a.s) };
  if ('ints' in a) return { name, type: ATTR.INTS, ints: [...a.ints] };
  if ('floats' in a) return { name, type: ATTR.FLOATS, floats: [...a.floats] };
  return { name, type: ATTR.TENSOR, t: tensorToProto('', a.t) };
}

function valueInfo(v: ValueSpec): ValueInfoObject {
  return {
    name: v.name,
    type: { tensorType: { elemType: ELEM_TYPE[v.dtype], shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

/** Serialized ModelProto bytes for `spec` (IR version 10 unless given). */
export function encodeOnnxModel(spec: ModelSpec): Uint8Array {
  const usesMs = spec.nodes.some((n) => n.domain === 'com.microsoft');
  const opsets = spec.opsets ?? { '': 21, ...(usesMs ? { 'com.microsoft': 1 } : {}) };
  return encodeModelProto({
    irVersion: spec.irVersion ?? 10,
    producerName: 'npugen',
    opsetImport: Object.entries(opsets).map(([domain, version]) => ({ domain, version })),
    graph: {
      name: spec.name,
      node: spec.nodes.map((n) => ({
        name: n.name, opType: n.op, domain: n.domain ?? '', input: [...n.inputs], output: [...n.outputs],
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attrObject(k, v)),
      })),
      initializer: Object.entries(spec.initializers).map(([k, t]) => tensorToProto(k, t)),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  });
}
