// Outputs qualified by a valid output are compared only when valid is expected high, on both
// simulators and in the built-in comparison.
import { describe, expect, test } from 'vitest';
import { runTestbench } from '../../../sim/cosim-run.ts';
import type { TestbenchModel } from '../../../generators/testbench/model.ts';
import { describeWithTools, SIMULATORS, testCacheDir } from '../../helpers/simulators.ts';

// y is x + 1 when v (registered x[0]) is 1; otherwise y is junk (x * 3).
const DUT = `\`default_nettype none
module vb (input wire clk, input wire rst, input wire [7:0] x, output reg v, output reg [7:0] y);
  always @(posedge clk) begin
    if (rst) begin v <= 1'b0; y <= 8'd0; end
    else begin v <= x[0]; y <= x[0] ? x + 8'd1 : x * 8'd3; end
  end
endmodule
\`default_nettype wire
`;

function model(n: number): TestbenchModel {
  return {
    top: 'vb', clock: 'clk', reset: { name: 'rst', activeHigh: true, cycles: 2 },
    inputs: [{ name: 'x', width: 8, signed: false }],
    outputs: [{ name: 'v', width: 1, signed: false }, { name: 'y', width: 8, signed: false, validBy: 'v' }],
    latency: 1, vectorCount: n,
  };
}

const xs = Array.from({ length: 64 }, (_, i) => BigInt((i * 37) & 255));
// Expected: y = x + 1 when valid; when not valid the expectation is deliberately wrong (0).
const expected = xs.map((x) => ((x & 1n) === 1n ? [1n, (x + 1n) & 255n] : [0n, 0n]));

describeWithTools('icarus', 'validBy on Icarus and Verilator', () => {
  for (const simulator of SIMULATORS) {
    test(`${simulator}: don't-care rows are skipped, valid rows are compared`, async () => {
      const ok = await runTestbench({ model: model(xs.length), sources: [{ name: 'vb.v', text: DUT }], stimulus: xs.map((x) => [x]), expected, simulator, cacheDir: testCacheDir() });
      expect(ok.passed).toBe(true);
      const wrong = expected.map((r, i) => (i === 5 ? [r[0]!, r[1]! ^ 4n] : r));
      expect((xs[5]! & 1n)).toBe(1n);
      const bad = await runTestbench({ model: model(xs.length), sources: [{ name: 'vb.v', text: DUT }], stimulus: xs.map((x) => [x]), expected: wrong, simulator, cacheDir: testCacheDir() });
      expect(bad.passed).toBe(false);
      expect(bad.mismatches.map((m) => [m.vectorIndex, m.port])).toEqual([[5, 'y']]);
    });
  }
});

describe('model', () => {
  test('vector 5 is a valid row', () => expect(Number(xs[5]! & 1n)).toBe(1));
});
