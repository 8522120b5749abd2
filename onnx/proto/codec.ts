/**
 * ONNX protobuf encoding and decoding with protobufjs, from the ONNX project's own schema
 * (`onnx.proto`, copied with attribution beside this file). No hand-written wire format: the
 * schema is parsed once per process and protobufjs does every byte.
 *
 * The interfaces below name only the fields npugen reads or writes; protobufjs's plain-object
 * form (camelCase field names, int64 as decimal strings, bytes as Uint8Array) is what they type.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export interface TensorShapeDimObject { dimValue?: string | number; dimParam?: string }
export interface TypeObject { tensorType?: { elemType?: number; shape?: { dim?: TensorShapeDimObject[] } } }
export interface ValueInfoObject { name?: string; type?: TypeObject }
export interface TensorObject {
  name?: string;
  dims?: (string | number)[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: (string | number)[];
  doubleData?: number[];
  dataLocation?: number;
}
export interface AttributeObject {
  name?: string;
  type?: number;
  f?: number;
  i?: string | number;
  s?: Uint8Array;
  t?: TensorObject;
  floats?: number[];
  ints?: (string | number)[];
}
export interface NodeObject {
  name?: string;
  opType?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: AttributeObject[];
}
export interface GraphObject {
  name?: string;
  node?: NodeObject[];
  initializer?: TensorObject[];
  input?: ValueInfoObject[];
  output?: ValueInfoObject[];
  valueInfo?: ValueInfoObject[];
}
export interface ModelObject {
  irVersion?: string | number;
  producerName?: string;
  opsetImport?: { domain?: string; version?: string | number }[];
  graph?: GraphObject;
}

/** AttributeProto.AttributeType values npugen uses. */
export const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

let modelType: protobuf.Type | undefined;

function modelProto(): protobuf.Type {
  modelType ??= protobuf.loadSync(fileURLToPath(new URL('./onnx.proto', import.meta.url))).lookupType('onnx.ModelProto');
  return modelType;
}

/** Decodes a serialized ModelProto; throws protobufjs's error on malformed bytes. */
export function decodeModelProto(bytes: Uint8Array): ModelObject {
  const t = modelProto();
  return t.toObject(t.decode(bytes), { longs: String, defaults: false, arrays: true }) as ModelObject;
}

/** Serializes a ModelProto from its plain-object form (fields checked by protobufjs's verifier). */
export function encodeModelProto(model: ModelObject): Uint8Array {
  const t = modelProto();
  const msg = t.fromObject(model);
  const err = t.verify(msg);
  if (err !== null) throw new Error(`ONNX writer: invalid ModelProto: ${err}`);
  return t.encode(msg).finish();
}
