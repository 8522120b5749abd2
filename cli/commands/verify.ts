/** `npugen verify <design>`: co-simulates the design's RTL against the golden model (or the IR). */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import type { SimulatorName } from '../../sim/cosim-run.ts';
import { runInvocation, ToolNotFoundError } from '../../sim/runner.ts';
import { icarusVersion } from '../../sim/backends/icarus.ts';
import { verilatorVersion } from '../../sim/backends/verilator.ts';
import { verifyDesign, type SimChoice } from '../../sim/cosim/verify.ts';
import { MODELS } from '../../sim/models/registry.ts';
import { formatVerifyReport } from '../../sim/report.ts';
import { formatJunit } from '../../sim/junit.ts';
import { loadDesign } from '../design-file.ts';
import { EXIT, UsageError, type CliIo } from '../io.ts';
import { startProgress } from '../progress.ts';
import { builtinResponses, randomStimulus, testbenchModelOf } from '../../sim/cosim/ir-testbench.ts';

const SIMS = ['builtin', 'icarus', 'verilator', 'all'] as const;

export async function runVerify(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      sim: { type: 'string', default: 'all' },
      vectors: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      corners: { type: 'boolean', default: false },
      exhaustive: { type: 'boolean', default: false },
      'max-mismatches': { type: 'string', default: '10' },
      rtl: { type: 'string', multiple: true },
      junit: { type: 'string' },
      vcd: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('verify takes one design file: npugen verify <design> [--sim builtin|icarus|verilator|all]');
  const sim = values.sim!;
  if (!(SIMS as readonly string[]).includes(sim)) throw new UsageError(`--sim must be one of ${SIMS.join(', ')}, got '${sim}'`);
  const vectors = intFlag(values.vectors!, '--vectors', 0);
  const seed = intFlag(values.seed!, '--seed', 0);
  const maxRecords = intFlag(values['max-mismatches']!, '--max-mismatches', 0);
  const loaded = await loadDesign(file);
  const model = loaded.generator !== undefined ? MODELS[loaded.generator]?.(loaded.params ?? {}) : undefined;

  const simulators = await chooseSimulators(sim, model !== undefined, io);
  if (simulators.length === 0) {
    // No golden model and no RTL simulator: the built-in simulator can only run the design.
    const tb = testbenchModelOf(loaded.design, vectors);
    builtinResponses(loaded.design, tb, randomStimulus(tb, vectors, seed));
    io.out(`builtin: ${loaded.design.top} simulated ${vectors} cycles (seed ${seed}); it is this design's reference, so nothing was compared`);
    return EXIT.ok;
  }
  const progress = startProgress(io, `verify ${loaded.design.top}`);
  try {
    const result = await verifyDesign(loaded.design, {
      simulators, vectors, seed, maxMismatchRecords: maxRecords,
      corners: values.corners!, exhaustive: values.exhaustive!,
      ...(model ? { model } : {}),
      ...(values.rtl ? { rtlFiles: values.rtl } : {}),
      ...(values.vcd !== undefined ? { vcd: values.vcd } : {}),
      onPhase: (p) => progress.phase(p),
    });
    progress.done();
    io.out(formatVerifyReport(result, seed));
    if (result.vcdFile) io.out(`waveform around the first failure: ${result.vcdFile}`);
    if (values.junit) await writeFile(values.junit, formatJunit(result, `verify ${loaded.design.top}`));
    return result.passed && result.divergences.length === 0 ? EXIT.ok : EXIT.mismatch;
  } finally {
    progress.done();
  }
}

function intFlag(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}, got '${text}'`);
  return n;
}

/**
 * `all`: every installed RTL simulator plus the built-in one (when a golden model is the
 * reference; otherwise the built-in simulator is the reference itself). A simulator named
 * explicitly must be installed (ToolNotFoundError, exit 2, with the apt package).
 */
async function chooseSimulators(sim: string, hasModel: boolean, io: CliIo): Promise<SimChoice[]> {
  if (sim === 'builtin') return hasModel ? ['builtin'] : [];
  if (sim !== 'all') {
    await probe(sim as SimulatorName);
    return [sim as SimulatorName];
  }
  const out: SimChoice[] = [];
  for (const name of ['icarus', 'verilator'] as const) {
    try {
      await probe(name);
      out.push(name);
    } catch (e) {
      if (!(e instanceof ToolNotFoundError)) throw e;
      io.err(`npugen: ${e.message}; skipping ${name}`);
    }
  }
  if (out.length === 0) io.err('npugen: no external simulator found; falling back to the built-in simulator');
  if (hasModel) out.push('builtin');
  return out;
}

async function probe(name: SimulatorName): Promise<void> {
  await runInvocation(name === 'icarus' ? icarusVersion({}, tmpdir()) : verilatorVersion({}, tmpdir()), { timeoutMs: 30_000 });
}
