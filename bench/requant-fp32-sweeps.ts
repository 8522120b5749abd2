/**
 * The whole exhaustive single-operation sweeps of `requantizer` `scale: fp32` (the tests run a
 * 1/16 slice on the built-in simulator): for int8 and uint8 outputs, (a) every x in a window x
 * every zero point through the multiplier 1.0 and (b) every x in [-1024, 1024) x every
 * multiplier 2^-s, s = 0..31, 2^16 rows each, on Verilator against the golden model.
 *
 *   npx tsx bench/requant-fp32-sweeps.ts [--json bench/results/requant-fp32-sweeps.json]
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { instantiate } from '../catalog/index.ts';
import { intFormat } from '../formats/fixed.ts';
import { emitVerilog } from '../generators/verilog/emit.ts';
import { runTestbench } from '../sim/cosim-run.ts';
import { testbenchModelOf } from '../sim/cosim/ir-testbench.ts';
import { requantFp32Sweeps } from '../sim/models/requantizer-fp32.ts';

const { values } = parseArgs({ options: { json: { type: 'string', default: 'bench/results/requant-fp32-sweeps.json' } } });
const rows = [];
for (const output of ['int8', 'uint8'] as const) {
  const params = { input: intFormat(32, true), output: intFormat(8, output === 'int8'), per_channel: false, channels: 1 };
  const { design, model } = instantiate('requantizer', { input: 'int32', output, per_channel: false, channels: 1, scale: 'fp32' }, `requant_fp32_${output}`);
  const sweeps = requantFp32Sweeps(params);
  for (const [sweep, stimulus] of Object.entries(sweeps)) {
    const tb = { ...testbenchModelOf(design, stimulus.length, model.latency), inputs: model.inputs.map(({ name: n, width, signed }) => ({ name: n, width, signed })), outputs: model.outputs.map(({ name: n, width, signed }) => ({ name: n, width, signed })) };
    const started = performance.now();
    const r = await runTestbench({ model: tb, sources: emitVerilog(design).map((f) => ({ name: f.fileName, text: f.text })), stimulus, expected: model.expected(stimulus), simulator: 'verilator' });
    const row = { output, sweep, rows: stimulus.length, checked: r.counts.checked, mismatches: r.counts.mismatches, wallMs: Math.round(performance.now() - started), compileCached: r.build.cached };
    console.log(`${output} ${sweep}: ${row.checked}/${row.rows} rows checked, ${row.mismatches} mismatches (${row.wallMs} ms)`);
    rows.push(row);
  }
}
await writeFile(values.json!, `${JSON.stringify({ loadAverage: loadavg()[0], simulator: 'verilator', sweeps: rows }, null, 2)}\n`);
if (rows.some((r) => r.mismatches !== 0 || r.checked !== r.rows)) process.exitCode = 1;
