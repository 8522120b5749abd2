import type { Layer } from '../layer.ts';
import type { LowerContext } from '../lower-context.ts';
import type { OnnxNode } from '../model.ts';

/**
 * One supported op: how a node lowers to a layer. `lower` returns 'folded' when the node was
 * evaluated at lowering (all inputs constant; its outputs are now constants) or absorbed.
 */
export interface OpEntry {
  readonly opType: string;
  /** '' for the default ONNX domain. */
  readonly domain: string;
  /** What of the op is supported, for error messages and docs/onnx.md. */
  readonly supports: string;
  readonly lower: (ctx: LowerContext, node: OnnxNode) => Layer | 'folded';
}
