// The float layer's bit helpers, exhaustively at small widths on the built-in simulator; the
// float generators' emitted RTL is lint-clean (verilator -Wall) and latch-free (yosys).
// Numerics against the golden library: test/dsl/npu/fp-*.test.ts.
import { describe, expect, test } from 'vitest';
import { defineModule, UInt } from '../../../dsl/index.ts';
import { Simulator } from '../../../sim/eval/simulator.ts';
import { normalize, shrSticky } from '../../../dsl/float/bits.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { describeWithTools } from '../../helpers/simulators.ts';
import { fromRegistry, type Raw } from './helpers.ts';

describe('float layer bit helpers', () => {
  test('normalize: every 7-bit value; shrSticky: every 6-bit value and shift', () => {
    const d = defineModule('nz', (m) => {
      const x = m.input('x', UInt(7));
      const n = normalize(x);
      m.output('y', UInt(7)).drive(n.sig);
      m.output('lz', n.lz.type).drive(n.lz);
      const v = m.input('v', UInt(6));
      const s = m.input('s', UInt(3));
      const r = shrSticky(v, s);
      m.output('r', UInt(6)).drive(r.sig);
      m.output('st', UInt(1)).drive(r.sticky);
    });
    const sim = new Simulator(d);
    for (let x = 1n; x < 128n; x++) {
      const o = sim.step({ x, v: 0n, s: 0n });
      const lz = 7 - x.toString(2).length;
      expect([o['y'], o['lz']]).toEqual([(x << BigInt(lz)) & 127n, BigInt(lz)]);
    }
    for (let v = 0n; v < 64n; v++) for (let s = 0n; s < 8n; s++) {
      const o = sim.step({ x: 1n, v, s });
      expect([o['r'], o['st']]).toEqual([v >> s, (v & ((1n << s) - 1n)) !== 0n ? 1n : 0n]);
    }
  });
});

describeWithTools('yosys', 'float RTL is lint-clean and latch-free', () => {
  const cases: [string, Raw][] = [
    ['fp_mul', { a: 'fp8_e4m3', b: 'fp8_e5m2', out: 'fp16' }],
    ['fp_mul', { a: 'bf16', b: 'bf16', out: 'bf16', subnormals: 'flush' }],
    ['fp_convert', { from: 'fp32', to: 'fp4_e2m1', saturate: true }],
    ['fp_convert', { from: 'fp16', to: 'fp8_e4m3' }],
    ['fp_mac', { a: 'fp8_e4m3', b: 'fp8_e5m2', accumulator: 'fp32', fused: false }],
    ['fp_mac', { a: 'bf16', b: 'bf16', accumulator: 'fp32', subnormals: 'flush' }],
    ['fp_dot', { lanes: 3, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp16' }],
  ];
  for (const [gen, raw] of cases) {
    test(`${gen} ${JSON.stringify(raw)}: verilator -Wall and yosys check pass`, async () => {
      const { design } = fromRegistry(gen, raw, `${gen}_lint`);
      const outcomes = await lintRtl(emitVerilog(design), `${gen}_lint`);
      for (const o of outcomes) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
    }, 300_000);
  }
});
