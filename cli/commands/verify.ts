/** `npugen verify <design>`: co-simulates the design's RTL against the golden model (or the IR). */
import { readFile } from 'node:fs/promises';
import type { Design } from '../../dsl/ir/nodes.ts';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import type { SimulatorName } from '../../sim/cosim-run.ts';
import { cleanUpOnSignals, runInvocation, ToolNotFoundError } from '../../sim/runner.ts';
import { icarusVersion } from '../../sim/backends/icarus.ts';
import { verilatorVersion } from '../../sim/backends/verilator.ts';
import { verifyDesign, verifyPorts, type SimChoice } from '../../sim/cosim/verify.ts';
import type { Port } from '../../formats/port.ts';
import { formatVerifyReport } from '../../sim/report.ts';
import { formatJunit } from '../../sim/junit.ts';
import { loadDesign } from '../design-file.ts';
import { EXIT, UsageError, type CliIo } from '../io.ts';
import { checkRtlFiles, lintRtlPorts } from '../rtl-files.ts';
import { topModule } from '../../dsl/ir/nodes.ts';
import { isReservedWord } from '../../dsl/passes/reserved-words.ts';
import { intFlag, seedFlag } from '../args.ts';
import { checkOutputFile, writeOutputFile } from '../output-file.ts';
import { startProgress } from '../progress.ts';
import { builtinResponses, EXHAUSTIVE_MAX_BITS, exhaustiveStimulus, randomStimulus, testbenchModelOf } from '../../sim/cosim/ir-testbench.ts';
import type { TransactionModel } from '../../sim/models/types.ts';
import { canStream } from '../../sim/cosim/vector-stream.ts';
import { estimateVerify, formatEstimate, overBudget, worthAnnouncing, type VerifyEstimate } from '../../sim/budget.ts';
import { parseVectorFile, VectorFileError, type VectorFile } from '../vector-file.ts';

const SIMS = ['builtin', 'icarus', 'verilator', 'all'] as const;

export async function runVerify(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      sim: { type: 'string', default: 'all' },
      // No defaults here: with --stimulus, giving any of these is a usage error.
      vectors: { type: 'string' },
      seed: { type: 'string' },
      corners: { type: 'boolean', default: false },
      exhaustive: { type: 'boolean', default: false },
      'max-mismatches': { type: 'string', default: '10' },
      rtl: { type: 'string', multiple: true },
      junit: { type: 'string' },
      vcd: { type: 'string' },
      stimulus: { type: 'string' },
      expected: { type: 'string' },
      'keep-run': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      'allow-large': { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('verify takes one design file: npugen verify <design> [--sim builtin|icarus|verilator|all]');
  const sim = values.sim!;
  if (!(SIMS as readonly string[]).includes(sim)) throw new UsageError(`--sim must be one of ${SIMS.join(', ')}, got '${sim}'`);
  if (values.stimulus !== undefined) {
    const drawn = (['vectors', 'seed', 'corners', 'exhaustive'] as const).filter((k) => values[k] !== undefined && values[k] !== false);
    if (drawn.length > 0) throw new UsageError(`--stimulus runs exactly the file's rows; drop ${drawn.map((k) => `--${k}`).join(', ')}`);
  } else if (values.expected !== undefined) {
    throw new UsageError('--expected needs --stimulus: the expected rows are the outputs for the stimulus file\'s rows');
  }
  const vectors = intFlag(values.vectors ?? '1000', '--vectors', 0);
  if (vectors === 0 && !values.corners && !values.exhaustive && values.stimulus === undefined) {
    throw new UsageError('--vectors 0 checks nothing; give --vectors N with N >= 1 (or add --corners / --exhaustive)');
  }
  const seed = seedFlag(values.seed ?? '1');
  const maxRecords = intFlag(values['max-mismatches']!, '--max-mismatches', 0);
  if (values.junit !== undefined) checkOutputFile(values.junit, '--junit');
  if (values.vcd !== undefined) checkOutputFile(values.vcd, '--vcd');
  if (values.rtl) checkRtlFiles(values.rtl);
  const timeoutMs = values.timeout === undefined ? undefined : secondsFlag(values.timeout, '--timeout') * 1000;
  const loaded = await loadDesign(file);
  const model = loaded.model;
  if (values.rtl) await checkRtlPorts(values.rtl, loaded.design, io);
  const ports = verifyPorts(loaded.design, model);
  const given = values.stimulus === undefined ? undefined : await readVectorFile(values.stimulus, ports.inputs, ports.outputs);
  const expected = values.expected === undefined ? undefined : await readVectorFile(values.expected, ports.outputs, ports.inputs);

  const simulators = await chooseSimulators(sim, model !== undefined, io);
  const estimate = checkBudget(loaded.design, ports, given?.vectors.length ?? vectors, simulators, model, values['allow-large']!);
  if (worthAnnouncing(estimate)) io.err(`npugen: verify ${loaded.design.top}: ${formatEstimate(estimate, tmpdir())}`);
  if (simulators.length === 0 && expected === undefined) {
    // No golden model and no RTL simulator: the built-in simulator can only run the design.
    const rows = given ? given.vectors.toRows() : irStimulus(loaded.design, vectors, seed, values.exhaustive!);
    if (values.corners) throw new UsageError('--corners: corner cases come from a golden model, and this design (a DSL module) has none; use --exhaustive (small inputs) or --vectors');
    const n = rows.length;
    builtinResponses(loaded.design, testbenchModelOf(loaded.design, n), rows);
    const what = given ? values.stimulus : `${values.exhaustive ? 'every input combination, then ' : ''}seed ${seed}`;
    io.out(`builtin: ${loaded.design.top} simulated ${n} cycles (${what}); it is this design's reference, so nothing was compared`);
    io.err(nothingComparedWarning(loaded.design.top));
    return EXIT.ok;
  }
  const progress = startProgress(io, `verify ${loaded.design.top}`, { estimateSeconds: estimate.seconds });
  const releaseSignals = cleanUpOnSignals(() => progress.done());
  try {
    const result = await verifyDesign(loaded.design, {
      removeRunDirsOnPass: !values['keep-run']!,
      ...(timeoutMs === undefined ? {} : { toolTimeoutMs: timeoutMs }),
      simulators, vectors, seed, maxMismatchRecords: maxRecords,
      corners: values.corners!, exhaustive: values.exhaustive!,
      ...(model ? { model } : {}),
      ...(values.rtl ? { rtlFiles: values.rtl } : {}),
      ...(values.vcd !== undefined ? { vcd: values.vcd } : {}),
      ...(given ? { stimulus: given.vectors } : {}),
      ...(expected ? { expected: expected.vectors } : {}),
      onPhase: (p) => progress.phase(p),
    });
    progress.done();
    const files = {
      ...(given ? { stimulus: { file: values.stimulus!, lines: given.lines } } : {}),
      ...(expected ? { expected: { file: values.expected!, lines: expected.lines } } : {}),
    };
    io.out(formatVerifyReport(result, seed, undefined, files));
    if (result.vcdFile) io.out(`waveform around the first failure: ${result.vcdFile}`);
    if (result.keptRunDirs.length > 0) io.err(`npugen: run directories kept${result.passed ? ' (--keep-run)' : ' for inspection (logs/, replay.sh)'}: ${result.keptRunDirs.join(', ')}`);
    if (values.junit !== undefined) await writeOutputFile(values.junit, formatJunit(result, `verify ${loaded.design.top}`), '--junit');
    return result.passed && result.divergences.length === 0 ? EXIT.ok : EXIT.mismatch;
  } finally {
    releaseSignals();
    progress.done();
  }
}

/**
 * The warning of a verify that ran but compared nothing: a design without a golden model (a DSL
 * module) on the built-in simulator alone, which is then its own reference. Exit 0 (the design
 * ran: no exception, no input out of range), but never silently.
 */
export function nothingComparedWarning(top: string): string {
  return `npugen: warning: verify ${top}: nothing was compared: a DSL design has no golden model, so the built-in simulator is its own reference. `
    + 'To check it, give expected outputs (--stimulus FILE --expected FILE), or compare the emitted Verilog with the built-in simulator (--sim icarus, verilator or all)';
}

/**
 * The run's estimate; over the budget (sim/budget.ts) without --allow-large it is refused
 * before any vector is made.
 */
function checkBudget(design: Design, ports: ReturnType<typeof verifyPorts>, vectors: number, simulators: readonly SimChoice[], model: TransactionModel | undefined, allow: boolean): VerifyEstimate {
  const estimate = estimateVerify({
    vectors, inputs: ports.inputs, outputs: ports.outputs, simulators,
    nodes: design.modules.reduce((n, m) => n + m.nodes.length, 0),
    streams: model !== undefined && canStream(model), reference: model === undefined ? 'builtin' : 'golden',
  });
  const over = overBudget(estimate);
  if (over.length > 0 && !allow) {
    throw new UsageError(`--vectors ${vectors}: this run needs ${formatEstimate(estimate, tmpdir())}, over the budget (${over.join('; ')}); lower --vectors, or add --allow-large to run it anyway`);
  }
  return estimate;
}

function secondsFlag(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 7 * 86400) throw new UsageError(`${flag} must be a number of seconds > 0 (at most a week), got '${text}'`);
  return n;
}

/**
 * The --rtl files against the design's top-level ports (names as the generated Verilog spells
 * them); Verilator's warnings about the files are shown, not hidden behind a PASS.
 */
async function checkRtlPorts(files: readonly string[], design: Design, io: CliIo): Promise<void> {
  const top = topModule(design);
  const ports = top.signals.filter((s) => s.kind === 'input' || s.kind === 'output')
    .map((s) => ({ name: isReservedWord(s.name) ? `${s.name}_` : s.name, dir: s.kind as 'input' | 'output', width: s.type.width }));
  const report = await lintRtlPorts(files, design.top, ports);
  for (const w of report?.warnings ?? []) io.err(`npugen: warning: verilator on your --rtl files: ${w}`);
}

/** A --stimulus/--expected file over `ports`; columns of `others` (the other direction) are skipped. */
async function readVectorFile(file: string, ports: readonly Port[], others: readonly Port[]): Promise<VectorFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new VectorFileError(file, 0, 0, `cannot read vector file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseVectorFile(file, text, ports, others.map((p) => p.name));
}

/** Stimulus for a design without a golden model: every input combination (--exhaustive), then random rows. */
function irStimulus(design: Design, vectors: number, seed: number, exhaustive: boolean): bigint[][] {
  const tb = testbenchModelOf(design, 0);
  const all = exhaustive ? exhaustiveStimulus(tb) : [];
  if (all === undefined) throw new UsageError(`--exhaustive: this design's inputs have more than ${EXHAUSTIVE_MAX_BITS} bits; use --vectors instead`);
  return [...all, ...randomStimulus(tb, vectors, seed)];
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
