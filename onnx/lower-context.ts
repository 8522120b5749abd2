/** What an op's lowering sees: its node, the graph's constants and edges, and how to fail. */
import { OnnxModelError, type OnnxModel, type OnnxNode } from './model.ts';
import type { Tensor } from './tensor.ts';

export class LowerContext {
  private readonly producers = new Map<string, OnnxNode>();
  private readonly consumerMap = new Map<string, OnnxNode[]>();
  /** Nodes absorbed into another node's layer (fused QDQ groups, folded activations). */
  readonly absorbed = new Set<OnnxNode>();
  readonly graphOutputs: ReadonlySet<string>;

  constructor(readonly model: OnnxModel, readonly constants: Map<string, Tensor>) {
    for (const n of model.nodes) {
      for (const o of n.outputs) this.producers.set(o, n);
      for (const i of n.inputs) if (i !== '') this.consumerMap.set(i, [...(this.consumerMap.get(i) ?? []), n]);
    }
    this.graphOutputs = new Set(model.outputs.map((o) => o.name));
  }

  producer(name: string): OnnxNode | undefined {
    return this.producers.get(name);
  }

  consumers(name: string): readonly OnnxNode[] {
    return this.consumerMap.get(name) ?? [];
  }

  /** The single consumer of `name` when it has exactly one and is not a graph output. */
  soleConsumer(name: string): OnnxNode | undefined {
    const c = this.consumers(name);
    return c.length === 1 && !this.graphOutputs.has(name) ? c[0] : undefined;
  }

  /** An error naming the node, its op type and the problem (exit 2 at the CLI). */
  error(node: OnnxNode, message: string): OnnxModelError {
    return new OnnxModelError(`node '${node.name}' (${node.domain === '' ? '' : `${node.domain}.`}${node.opType}): ${message}`);
  }

  /** Input `i` of `node`, or undefined when absent or empty (an omitted optional input). */
  inputName(node: OnnxNode, i: number): string | undefined {
    const n = node.inputs[i];
    return n === undefined || n === '' ? undefined : n;
  }

  /** The constant (initializer or folded) behind input `i`; fails naming `what` when it is not constant. */
  constInput(node: OnnxNode, i: number, what: string): Tensor {
    const name = this.inputName(node, i);
    const t = name === undefined ? undefined : this.constants.get(name);
    if (t === undefined) throw this.error(node, `${what} (input ${i}${name ? ` '${name}'` : ''}) must be a constant initializer`);
    return t;
  }

  optConstInput(node: OnnxNode, i: number, what: string): Tensor | undefined {
    return this.inputName(node, i) === undefined ? undefined : this.constInput(node, i, what);
  }

  intAttr(node: OnnxNode, name: string, dflt: number): number {
    const a = node.attrs.get(name);
    if (a === undefined) return dflt;
    if (a.kind !== 'int') throw this.error(node, `attribute '${name}' must be an int`);
    return a.value;
  }

  floatAttr(node: OnnxNode, name: string, dflt: number): number {
    const a = node.attrs.get(name);
    if (a === undefined) return dflt;
    if (a.kind !== 'float') throw this.error(node, `attribute '${name}' must be a float`);
    return a.value;
  }

  intsAttr(node: OnnxNode, name: string): readonly number[] | undefined {
    const a = node.attrs.get(name);
    if (a === undefined) return undefined;
    if (a.kind !== 'ints') throw this.error(node, `attribute '${name}' must be a list of ints`);
    return a.value;
  }

  stringAttr(node: OnnxNode, name: string, dflt: string): string {
    const a = node.attrs.get(name);
    if (a === undefined) return dflt;
    if (a.kind !== 'string') throw this.error(node, `attribute '${name}' must be a string`);
    return a.value;
  }
}
