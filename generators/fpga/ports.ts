/**
 * The top module's ports as plain data for the FPGA-side artefacts (bindings, cores): name,
 * direction, width, signedness and the format the bits carry. Formats come from the design's
 * transaction model when it has one (`int8`, `fixed<16,4>`, ...), else `int<N>`/`uint<N>`.
 */
import type { Design } from '../../dsl/ir/nodes.ts';
import { topModule } from '../../dsl/ir/nodes.ts';
import type { Port } from '../../formats/port.ts';

/** A port of the top module: a `Port` with its direction, its format resolved, and its clock/reset role. */
export interface PortInfo extends Port {
  readonly dir: 'input' | 'output';
  readonly format: string;
  /** Implicit clock or reset port. */
  readonly role?: 'clock' | 'reset';
}

/** Formats by port name, e.g. from a transaction model's `inputs`/`outputs`. */
export type FormatHints = ReadonlyMap<string, string>;

export function topPorts(design: Design, formats: FormatHints = new Map()): PortInfo[] {
  const top = topModule(design);
  const out: PortInfo[] = [];
  for (const s of top.signals) {
    if (s.kind !== 'input' && s.kind !== 'output') continue;
    const fallback = `${s.type.signed ? 'int' : 'uint'}${s.type.width}`;
    out.push({
      name: s.name,
      dir: s.kind,
      width: s.type.width,
      signed: s.type.signed,
      format: formats.get(s.name) ?? fallback,
      ...(s.role !== undefined ? { role: s.role } : {}),
    });
  }
  return out;
}
