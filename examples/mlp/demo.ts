/**
 * The end-to-end demo: train the MLP, quantize it (int8 and int4 weights), run the whole test
 * split through generated gemm_tile hardware on a simulator, and check every hardware output
 * against the golden model's quantized inference.
 */
import type { SimulatorName } from '../../sim/cosim-run.ts';
import { runTestbench } from '../../sim/cosim-run.ts';
import { runBuiltin } from '../../sim/cosim/builtin-run.ts';
import { emitVerilog } from '../../generators/verilog/emit.ts';
import { loadDigits, splitDigits } from './data.ts';
import { floatAccuracy, trainMlp } from './train.ts';
import { goldenInfer, INT8, quantAccuracy, quantizeInputs, quantizeMlp, W4A8, type QuantMlp } from './quantize.ts';
import { buildTile, scheduleLayer, type TileShape } from './hardware.ts';

export interface DemoOptions {
  readonly simulator: SimulatorName | 'builtin';
  readonly shape: TileShape;
  readonly onPhase?: (phase: string) => void;
  /** Called with each quantized model (e.g. to export it as ONNX). */
  readonly onQuantized?: (weightBits: 8 | 4, q: QuantMlp) => void;
}

export interface PrecisionResult {
  readonly name: string;
  readonly accuracy: number;
  /** Absent for the float model. */
  readonly hardware?: {
    readonly bitExact: boolean;
    readonly mismatches: number;
    /** Clock cycles per test image. */
    readonly cycles: number;
    /** Simulation and compare wall time, and the simulator build's (0 when cached). */
    readonly simMs: number;
    readonly buildMs: number;
  };
}

export interface DemoResult {
  readonly rows: readonly PrecisionResult[];
  readonly testImages: number;
  readonly simulator: SimulatorName | 'builtin';
  readonly bitExact: boolean;
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  opts.onPhase?.('training the float MLP');
  const { train, test } = splitDigits(loadDigits());
  const model = trainMlp(train);
  const rows: PrecisionResult[] = [{ name: 'float64', accuracy: floatAccuracy(model, test) }];
  for (const spec of [INT8, W4A8]) {
    const bits = spec.weightBits as 8 | 4;
    opts.onPhase?.(`quantizing (int${bits} weights)`);
    const q = quantizeMlp(model, train, spec);
    opts.onQuantized?.(bits, q);
    const logits = goldenInfer(q, test.images);
    const hw = await runOnHardware(q, test.images, opts);
    rows.push({ name: `int8 activations, int${bits} weights`, accuracy: quantAccuracy(logits, test.labels), hardware: hw });
  }
  const bitExact = rows.every((r) => r.hardware === undefined || r.hardware.bitExact);
  return { rows, testImages: test.images.length, simulator: opts.simulator, bitExact };
}

async function runOnHardware(q: QuantMlp, images: readonly Uint8Array[], opts: DemoOptions): Promise<NonNullable<PrecisionResult['hardware']>> {
  let input: Int8Array<ArrayBufferLike> = quantizeInputs(images, q.spec.actBits);
  const bits = q.spec.weightBits;
  let cycles = 0;
  let mismatches = 0;
  let simMs = 0;
  let buildMs = 0;
  for (const [li, layer] of q.layers.entries()) {
    const tile = buildTile(opts.shape, q.spec, li === 0 ? 'relu' : 'none', layer.k);
    const run = scheduleLayer(tile, opts.shape, layer, input, images.length, q.spec.perChannel);
    opts.onPhase?.(`int${bits} layer ${li + 1}: ${run.cycles} cycles on ${opts.simulator}`);
    if (opts.simulator === 'builtin') {
      const r = runBuiltin(tile, run.testbench, run.stimulus, run.expected, 10);
      mismatches += r.counts.mismatches;
      simMs += r.simulateMs;
    } else {
      const sources = emitVerilog(tile).map((f) => ({ name: f.fileName, text: f.text }));
      const r = await runTestbench({ model: run.testbench, sources, stimulus: run.stimulus, expected: run.expected, simulator: opts.simulator, maxMismatchRecords: 10 });
      mismatches += r.counts.mismatches;
      // A run that stopped early checked fewer cycles than it was given: never call that exact.
      if (r.counts.checked !== run.cycles) mismatches += 1;
      simMs += r.timings.writeVectorsMs + r.timings.simulateMs + r.timings.parseMs;
      buildMs += r.build.cached ? 0 : r.timings.compileMs;
    }
    cycles += run.cycles;
    // The next layer consumes this layer's outputs, which the run just proved equal to the golden ones.
    input = run.output;
  }
  return { bitExact: mismatches === 0, mismatches, cycles: cycles / images.length, simMs, buildMs };
}

export function formatDemo(r: DemoResult): string {
  const pct = (a: number) => `${(a * 100).toFixed(1)}%`;
  const lines = [
    `UCI digits, MLP 64-32-10 (int32 biases), test split: last ${r.testImages} of 1,797 images; hardware: gemm_tile on ${r.simulator}`,
    '',
    `${'precision'.padEnd(34)}${'test accuracy'.padEnd(15)}hardware`,
  ];
  for (const row of r.rows) {
    const hw = row.hardware
      ? `${row.hardware.bitExact ? 'bit-exact' : `${row.hardware.mismatches} MISMATCHES`}, ${row.hardware.cycles.toFixed(1)} cycles/inference, ${(row.hardware.simMs / 1000).toFixed(2)} s simulation${row.hardware.buildMs > 0 ? ` (+${(row.hardware.buildMs / 1000).toFixed(1)} s simulator build)` : ''}`
      : '(reference, not run in hardware)';
    lines.push(`${row.name.padEnd(34)}${pct(row.accuracy).padEnd(15)}${hw}`);
  }
  lines.push('', `bit-exact: ${r.bitExact ? 'yes' : 'no'} (every output of every cycle compared with the golden model on ${r.simulator})`);
  return lines.join('\n');
}
