/**
 * A wrapper that delays every output of a design by `cycles` registers (no reset). Its use is
 * proving a pipelined generator variant equal to its unpipelined form: the unpipelined design
 * delayed by the pipeline's latency must match it cycle for cycle.
 */
import { defineModule, type BuiltDesign } from '../builder/module.ts';
import type { Design } from '../ir/nodes.ts';
import type { Sig } from '../builder/signal.ts';

/** `name`: the wrapper's module name. The child's clock and reset become the wrapper's. */
export function buildDelayed(name: string, child: Design, cycles: number): BuiltDesign {
  const top = child.modules.find((m) => m.name === child.top)!;
  return defineModule(name, (m) => {
    const inputs: Record<string, Sig> = {};
    for (const s of top.signals) if (s.kind === 'input' && s.role === undefined) inputs[s.name] = m.input(s.name, s.type);
    const outs = m.instance('inner', child, inputs);
    for (const s of top.signals) {
      if (s.kind !== 'output') continue;
      let v = outs[s.name]!;
      for (let i = 1; i <= cycles; i++) {
        const r = m.reg(`${s.name}_d${i}`, s.type);
        r.next(v);
        v = r;
      }
      m.output(s.name, s.type).drive(v);
    }
    m.latency(cycles + (top.latency ?? 0));
  });
}
