/**
 * Runs a model on onnxruntime-node (the CPU provider, all graph optimizations on, as a user's
 * session would run it) and returns the graph outputs plus any extra tensors requested. Extra
 * tensors are read by declaring them as additional graph outputs; npugen only asks for layer
 * outputs (the outputs of whole fused groups), which does not change what onnxruntime fuses.
 */
import { decodeModelProto, encodeModelProto } from './proto/codec.ts';
import { type DType, type Tensor, ELEM_TYPE } from './tensor.ts';

export interface OrtSession {
  run(inputs: ReadonlyMap<string, Tensor>): Promise<Map<string, Tensor>>;
  release(): Promise<void>;
}

/** Thrown when onnxruntime refuses the model or a run (its own message included). */
export class OrtError extends Error {
  override readonly name = 'OrtError';
}

export function withExtraOutputs(bytes: Uint8Array, extra: readonly { name: string; dtype: DType }[]): Uint8Array {
  if (extra.length === 0) return bytes;
  const m = decodeModelProto(bytes);
  const present = new Set((m.graph?.output ?? []).map((o) => o.name));
  const add = extra.filter((e) => !present.has(e.name)).map((e) => ({ name: e.name, type: { tensorType: { elemType: ELEM_TYPE[e.dtype] } } }));
  return encodeModelProto({ ...m, graph: { ...m.graph, output: [...(m.graph?.output ?? []), ...add] } });
}

export async function openOrtSession(bytes: Uint8Array): Promise<OrtSession> {
  const ort = await import('onnxruntime-node');
  let session: import('onnxruntime-node').InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', executionProviders: ['cpu'], intraOpNumThreads: 1 });
  } catch (e) {
    throw new OrtError(`onnxruntime could not load the model: ${(e as Error).message}`);
  }
  return {
    async run(inputs) {
      const feeds: Record<string, import('onnxruntime-node').Tensor> = {};
      for (const [name, t] of inputs) feeds[name] = new ort.Tensor(t.dtype, t.data, [...t.dims]);
      let out;
      try {
        out = await session.run(feeds);
      } catch (e) {
        throw new OrtError(`onnxruntime failed to run the model: ${(e as Error).message}`);
      }
      const res = new Map<string, Tensor>();
      for (const [name, v] of Object.entries(out)) res.set(name, { dtype: v.type as DType, dims: v.dims.map(Number), data: v.data as Tensor['data'] });
      return res;
    },
    release: () => session.release(),
  };
}
