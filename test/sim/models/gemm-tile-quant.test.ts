// The gemm_tile quantized-layer options (zero points, bias, fp32 / none output stages) vs their
// transaction model (golden GEMM on zero-point-free operands + requantizeFp32) on the built-in
// simulator, and a planted fault caught.
import { describe, expect, test } from 'vitest';
import { topModule, type Design } from '../../../dsl/ir/nodes.ts';
import { Rng } from '../../../sim/random.ts';
import { compareWithModel, expectPortsMatch, fromRegistry } from '../../helpers/model-check.ts';

const CONFIGS: Record<string, unknown>[] = [
  { rows: 2, cols: 3, a: 'uint8', b: 'int8', k: 9, output: 'uint8', per_channel: true, scale: 'fp32', zero_points: true, bias: true },
  { rows: 3, cols: 2, a: 'int8', b: 'int8', k: 4, output: 'int8', scale: 'fp32', zero_points: true },
  { rows: 2, cols: 2, a: 'uint8', b: 'uint8', k: 7, output: 'int32', scale: 'none', zero_points: true, bias: true },
];

describe('gemm_tile quantized options vs the golden model (built-in simulator)', () => {
  for (const raw of CONFIGS) {
    test(JSON.stringify(raw), () => {
      const { design, model } = fromRegistry('gemm_tile', raw);
      expectPortsMatch(design, model);
      const rows = [...model.corners(), ...model.random(1200, new Rng(4))];
      expect(compareWithModel(design, model, rows).first).toEqual([]);
    });
  }

  test('a planted fault (the zero point of weight column 1 not subtracted) is caught', () => {
    const { design, model } = fromRegistry('gemm_tile', CONFIGS[0]!);
    const rows = [...model.corners(), ...model.random(800, new Rng(6))];
    expect(compareWithModel(stubRead(design, 'b_zero_point_1'), model, rows).bad).toBeGreaterThan(0);
  });
});

function stubRead(design: Design, name: string): Design {
  const top = topModule(design);
  const hits = top.nodes.filter((n) => n.kind === 'read' && top.signals[n.signal]!.name === name);
  if (hits.length !== 1) throw new Error(`stubRead: ${hits.length} reads of ${name}`);
  const nodes = top.nodes.map((n) => (n.id === hits[0]!.id ? ({ kind: 'const', id: n.id, type: n.type, loc: n.loc, value: 0n } as const) : n));
  return { ...design, modules: design.modules.map((m) => (m === top ? { ...top, nodes } : m)) };
}
