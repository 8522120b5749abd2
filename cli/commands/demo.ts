/** `npugen demo`: the end-to-end example (train, quantize, run on generated hardware, compare). */
import { tmpdir } from 'node:os';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatDemo, runDemo } from '../../examples/mlp/demo.ts';
import { icarusVersion } from '../../sim/backends/icarus.ts';
import { verilatorVersion } from '../../sim/backends/verilator.ts';
import { runInvocation, ToolNotFoundError } from '../../sim/runner.ts';
import { EXIT, UsageError, type CliIo } from '../io.ts';
import { startProgress } from '../progress.ts';
import { exportMlpOnnx } from '../../examples/mlp/onnx-export.ts';
import type { QuantMlp } from '../../examples/mlp/quantize.ts';

/** Writes FILE (QOperator form) and FILE with .qdq.onnx (QDQ form); returns both paths. */
function writeOnnx(file: string, q: QuantMlp): string[] {
  const qdqFile = file.replace(/(\.onnx)?$/, '.qdq.onnx');
  try {
    writeFileSync(file, exportMlpOnnx(q, 'qoperator'));
    writeFileSync(qdqFile, exportMlpOnnx(q, 'qdq'));
  } catch (e) {
    throw new UsageError(`--onnx: cannot write '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return [file, qdqFile];
}

export async function runDemoCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { sim: { type: 'string', default: 'verilator' }, tile: { type: 'string', default: '8x8' }, onnx: { type: 'string' } } });
  const sim = values.sim!;
  if (!['verilator', 'icarus', 'builtin'].includes(sim)) throw new UsageError(`--sim must be verilator, icarus or builtin, got '${sim}'`);
  const m = /^([0-9]+)x([0-9]+)$/.exec(values.tile!);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[1]) > 64 || Number(m[2]) > 64) throw new UsageError(`--tile must be RxC with 1..64, e.g. 8x8, got '${values.tile}'`);
  let simulator = sim as 'verilator' | 'icarus' | 'builtin';
  if (simulator !== 'builtin') {
    try {
      await runInvocation(simulator === 'icarus' ? icarusVersion({}, tmpdir()) : verilatorVersion({}, tmpdir()), { timeoutMs: 30_000 });
    } catch (e) {
      if (!(e instanceof ToolNotFoundError)) throw e;
      io.err(`npugen: ${e.message}; falling back to the built-in simulator`);
      simulator = 'builtin';
    }
  }
  const progress = startProgress(io, 'demo');
  try {
    const written: string[] = [];
    const r = await runDemo({
      simulator, shape: { rows: Number(m[1]), cols: Number(m[2]) }, onPhase: (p) => progress.phase(p),
      ...(values.onnx !== undefined ? { onQuantized: (bits: 8 | 4, q: QuantMlp) => { if (bits === 8) written.push(...writeOnnx(values.onnx!, q)); } } : {}),
    });
    progress.done();
    io.out(formatDemo(r));
    if (written.length > 0) io.out(`\nwrote the int8 model as ONNX: ${written.join(', ')} (check it: npugen run ${written[0]} --random 4)`);
    return r.bitExact ? EXIT.ok : EXIT.mismatch;
  } finally {
    progress.done();
  }
}
