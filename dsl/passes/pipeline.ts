/**
 * The middle layer: the one pass pipeline between the DSL's IR and every back end. The Verilog
 * emitter and the built-in simulator both take its output, so the simulator runs exactly the
 * netlist that is emitted. Each pass is a pure function from design to design that keeps
 * source locations and name hints.
 *
 *   IR ─ check ─ lower ─ fold ─ cse ─ dce ─▶ lowered IR (primitive ops, explicit widths)
 */
import type { Design } from '../ir/nodes.ts';
import { DesignError } from '../diagnostics/diagnostic.ts';
import { checkDesign } from './check.ts';
import { lowerDesign } from './lower.ts';
import { foldDesign } from './fold.ts';
import { cseDesign } from './cse.ts';
import { dceDesign } from './dce.ts';

export interface Pass {
  readonly name: string;
  /** What the pass guarantees of its output. */
  readonly doc: string;
  readonly run: (design: Design) => Design;
}

/** Throws `DesignError` when any check reports an error; the design passes through unchanged. */
export function checkPass(design: Design): Design {
  const diags = checkDesign(design);
  if (diags.some((d) => d.severity === 'error')) throw new DesignError(diags);
  return design;
}

/** The passes, in the order they run. */
export const PASSES: readonly Pass[] = [
  { name: 'check', doc: 'names, drivers, types and combinational loops are valid (else DesignError)', run: checkPass },
  { name: 'lower', doc: 'primitive ops only; every operand has the width its op needs', run: lowerDesign },
  { name: 'fold', doc: 'no op of constants, no decided comparison, no identity with a constant', run: foldDesign },
  { name: 'cse', doc: 'no two nodes compute the same thing', run: cseDesign },
  { name: 'dce', doc: 'every node is read by a sink (instance outputs always kept)', run: dceDesign },
];

const cache = new WeakMap<Design, Design>();

/**
 * Runs every pass in order. Memoized per design object (designs are immutable), so emitting and
 * simulating one design lowers it once. `upTo` stops after the named pass (for tests).
 */
export function runPipeline(design: Design, upTo?: string): Design {
  if (upTo === undefined) {
    const hit = cache.get(design);
    if (hit) return hit;
  }
  let d = design;
  for (const p of PASSES) {
    d = p.run(d);
    if (p.name === upTo) return d;
  }
  if (upTo !== undefined) throw new Error(`internal error: no pass named '${upTo}'`);
  cache.set(design, d);
  return d;
}
