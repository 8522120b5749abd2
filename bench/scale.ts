/**
 * Scale of the systolic_array generator: wall time of generation (build + checks) and of
 * Verilog emission, and heap in use after each, for int8 output-stationary arrays from 8x8 to
 * 128x128 (and the weight-stationary 64x64). Run: `npx tsx bench/scale.ts [--expose-gc]`
 * (with `node --expose-gc --import tsx bench/scale.ts` the heap figures are after a full GC).
 * Target: 64x64 generated and emitted in < 5 s with memory linear in PEs.
 */
import type { Dataflow } from '../dsl/npu/systolic.ts';
import { emitVerilog } from '../generators/verilog/emit.ts';
import { instantiate } from '../catalog/index.ts';

const gc = (globalThis as { gc?: () => void }).gc;
const heapMB = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

interface Row { readonly shape: string; readonly pes: number; readonly buildMs: number; readonly emitMs: number; readonly heapMB: number; readonly perPeKB: number; readonly verilogMB: number }

function run(n: number, dataflow: Dataflow): Row {
  const before = heapMB();
  const t0 = performance.now();
  const { design } = instantiate('systolic_array', { rows: n, cols: n, dataflow, a: 'int8', b: 'int8', accumulator: 'int32', k: 0 }, `sa_${n}x${n}`);
  const t1 = performance.now();
  const files = emitVerilog(design);
  const t2 = performance.now();
  const bytes = files.reduce((s, f) => s + f.text.length, 0);
  const held = heapMB() - before;
  // Keep the design alive until the heap was measured.
  if (design.modules.length === 0) throw new Error('empty design');
  return { shape: `${dataflow === 'output_stationary' ? 'OS' : 'WS'} ${n}x${n}`, pes: n * n, buildMs: t1 - t0, emitMs: t2 - t1, heapMB: held, perPeKB: (held * 1024) / (n * n), verilogMB: bytes / 2 ** 20 };
}

const sizes = process.argv.includes('--quick') ? [8, 16, 32] : [8, 16, 32, 64, 128];
const rows: Row[] = [];
run(4, 'output_stationary'); // warm-up (JIT, module loading)
for (const n of sizes) rows.push(run(n, 'output_stationary'));
if (!process.argv.includes('--quick')) rows.push(run(64, 'weight_stationary'));
console.log(`systolic_array int8 x int8 -> int32 (node ${process.version}${gc ? ', heap after GC' : ', heap without forced GC: run with --expose-gc for exact figures'})`);
console.log('shape        PEs    build ms   emit ms   total ms   heap MB   KB/PE   Verilog MB');
for (const r of rows) {
  console.log(`${r.shape.padEnd(10)} ${String(r.pes).padStart(6)} ${r.buildMs.toFixed(0).padStart(10)} ${r.emitMs.toFixed(0).padStart(9)} ${(r.buildMs + r.emitMs).toFixed(0).padStart(10)} ${r.heapMB.toFixed(1).padStart(9)} ${r.perPeKB.toFixed(1).padStart(7)} ${r.verilogMB.toFixed(2).padStart(12)}`);
}
const os64 = rows.find((r) => r.shape === 'OS 64x64');
if (os64) console.log(`64x64 OS: ${((os64.buildMs + os64.emitMs) / 1000).toFixed(2)} s (target < 5 s): ${os64.buildMs + os64.emitMs < 5000 ? 'OK' : 'OVER'}`);
