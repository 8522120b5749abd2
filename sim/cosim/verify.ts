/**
 * Verification of a design's RTL against a reference, on Icarus, Verilator and the built-in
 * simulator with the same vectors. The reference is a transaction model from the golden
 * library when the design has one (generators), else the built-in simulator of the same IR
 * (designs written directly in the DSL). Divergence between simulators is reported apart from
 * mismatches against the reference.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Design } from '../../dsl/ir/nodes.ts';
import { topModule } from '../../dsl/ir/nodes.ts';
import type { SourceLoc } from '../../dsl/diagnostics/loc.ts';
import { emitVerilog } from '../../generators/verilog/emit.ts';
import type { TestbenchModel } from '../../generators/testbench/model.ts';
import { portFormat, type Port } from '../../formats/port.ts';
import type { Mismatch, ResultCounts } from '../results.ts';
import { runTestbench, type RunTestbenchInput, type SimulatorName } from '../cosim-run.ts';
import { keepRunDir, prepareRunDir, removeRunDir } from '../runner.ts';
import { canStream, writeVectorStream, type VectorFilePair } from './vector-stream.ts';
import { expectedVectors, type TransactionModel } from '../models/types.ts';
import { VectorSet } from '../vector-set.ts';
import { builtinResponses, EXHAUSTIVE_MAX_BITS, exhaustiveStimulus, randomStimulus, testbenchModelOf } from './ir-testbench.ts';
import { buildStimulus, StimulusError, type Stimulus } from './stimulus.ts';
import { runBuiltin } from './builtin-run.ts';

export type SimChoice = SimulatorName | 'builtin';

export interface VerifyOptions {
  readonly simulators: readonly SimChoice[];
  /** The golden reference; absent = the built-in simulator is the reference (and is not run as a DUT). */
  readonly model?: TransactionModel;
  readonly vectors: number;
  readonly seed: number;
  readonly corners?: boolean;
  readonly exhaustive?: boolean;
  readonly maxMismatchRecords?: number;
  /** Hand-written RTL replacing the generated Verilog (same top-level ports). */
  readonly rtlFiles?: readonly string[];
  readonly runDirFor?: (sim: SimulatorName) => string;
  /**
   * On a mismatch, write a waveform (VCD) of the DUT around the first failing cycle here; the
   * window is re-simulated on Icarus (the 4-state simulator, which shows X/Z).
   */
  readonly vcd?: string;
  /**
   * Remove the run directories verify makes itself (under the OS temp dir, i.e. without
   * `runDirFor`) after a passing run, as the CLI does; by default they stay. A failing run's (or
   * a run stopped by a tool error) always stay, named in `keptRunDirs` / the error message. After
   * a removal, `stimulus` and `expected` of a streamed run can no longer be read.
   */
  readonly removeRunDirsOnPass?: boolean;
  /** Called as phases start, for progress display. */
  readonly onPhase?: (phase: string) => void;
  /**
   * Exactly these stimulus rows (over `verifyPorts(...).inputs`), instead of drawing them:
   * `vectors`, `seed`, `corners` and `exhaustive` are then ignored.
   */
  readonly stimulus?: VectorSet;
  /**
   * With `stimulus`: the expected output rows (over `verifyPorts(...).outputs`, same length). They
   * are the reference the simulators are checked against; the golden model (or the built-in
   * simulator) is still run and checked against them too (`VerifyResult.referenceCheck`).
   */
  readonly expected?: VectorSet;
  /** Per-step limit of the simulator build and run (default: the runner's 10 minutes); raise it for gate-level netlists on a loaded machine. */
  readonly toolTimeoutMs?: number;
}

export interface SimulatorOutcome {
  readonly simulator: SimChoice;
  readonly passed: boolean;
  readonly counts: ResultCounts;
  readonly mismatches: readonly Mismatch[];
  readonly runDir?: string;
  readonly compileCached?: boolean;
  readonly timingsMs: Readonly<Record<string, number>>;
}

/** Two simulators disagree about some (vector, port) beyond the reference comparison. */
export interface Divergence {
  readonly a: SimChoice;
  readonly b: SimChoice;
  readonly detail: string;
}

export interface VerifyResult {
  /** What the simulators were checked against: the golden model, the built-in simulator, or given expected rows. */
  readonly reference: 'golden' | 'builtin' | 'given';
  readonly testbench: TestbenchModel;
  readonly ports: { readonly inputs: readonly Port[]; readonly outputs: readonly Port[] };
  readonly stimulus: VectorSet;
  readonly stimulusCounts: Stimulus['counts'];
  readonly expected: VectorSet;
  readonly outcomes: readonly SimulatorOutcome[];
  readonly divergences: readonly Divergence[];
  readonly passed: boolean;
  /** The waveform written around the first failure, when asked and there was one. */
  readonly vcdFile?: string;
  /** Where each output port is driven in the user's source. */
  readonly driverLocs: ReadonlyMap<string, SourceLoc>;
  /** Time spent making the stimulus and expected vectors (and writing them, when streamed). */
  readonly vectorsMs: number;
  /** With VerifyOptions.expected: the golden model's (or built-in simulator's) rows against them. */
  readonly referenceCheck?: ReferenceCheck;
  /** Run directories left on disk: all but those removed by `removeRunDirsOnPass` after a pass. */
  readonly keptRunDirs: readonly string[];
}

/** The computed reference checked against given expected rows (`expected` = given, `got` = computed). */
export interface ReferenceCheck {
  readonly reference: 'golden' | 'builtin';
  readonly counts: Pick<ResultCounts, 'vectors' | 'failingVectors' | 'mismatches' | 'records'>;
  readonly mismatches: readonly Mismatch[];
}

export class VerifyInputError extends Error {
  override readonly name = 'VerifyInputError';
}

/**
 * The ports vector rows of `design` are over: the model's (formats included), else the top's
 * data ports as plain integers. Stimulus and expected files are read against these.
 */
export function verifyPorts(design: Design, model?: TransactionModel): VerifyResult['ports'] {
  if (model) return { inputs: model.inputs, outputs: model.outputs };
  const tb = testbenchModelOf(design, 0);
  const asPorts = (ps: readonly Port[]): Port[] => ps.map((p) => ({ ...p, format: portFormat(p) }));
  return { inputs: asPorts(tb.inputs), outputs: asPorts(tb.outputs) };
}

export async function verifyDesign(design: Design, opts: VerifyOptions): Promise<VerifyResult> {
  const runDirs = await prepareRunDirs(opts);
  const temporary = opts.runDirFor === undefined;
  let result: VerifyResult;
  try {
    result = await verifyIn(design, opts, runDirs);
  } catch (e) {
    // A tool failure or timeout: its logs are the evidence, so the directories stay and are named.
    for (const dir of runDirs.values()) keepRunDir(dir);
    if (e instanceof Error && runDirs.size > 0 && !(e instanceof VerifyInputError)) e.message += `\n(run directories kept: ${[...runDirs.values()].join(', ')})`;
    throw e;
  }
  const keep = !temporary || opts.removeRunDirsOnPass !== true || !result.passed || result.divergences.length > 0;
  for (const dir of runDirs.values()) {
    if (keep) keepRunDir(dir);
    else await removeRunDir(dir);
  }
  // Not a spread: the result's stimulus and expected getters load vectors only when read.
  return Object.defineProperty(result, 'keptRunDirs', { value: keep ? [...runDirs.values()] : [] });
}

async function verifyIn(design: Design, opts: VerifyOptions, runDirs: ReadonlyMap<SimulatorName, string>): Promise<VerifyResult> {
  const started = performance.now();
  const plan = referencePlan(design, opts, runDirs);
  const vectorsMs = performance.now() - started;
  const sources = opts.rtlFiles && opts.rtlFiles.length > 0 ? opts.rtlFiles.map((path) => ({ path })) : emitVerilog(design).map((f) => ({ name: f.fileName, text: f.text }));
  const outcomes: SimulatorOutcome[] = [];
  for (const simulator of opts.simulators) {
    opts.onPhase?.(`simulate on ${simulator}`);
    if (simulator === 'builtin') {
      if (!opts.model) continue; // it is the reference already
      const r = runBuiltin(design, plan.testbench, plan.vectors.stimulus().toRows(), plan.vectors.expected().toRows(), opts.maxMismatchRecords);
      outcomes.push({ simulator, passed: r.passed, counts: r.counts, mismatches: r.mismatches, timingsMs: { simulate: r.simulateMs } });
      continue;
    }
    const r = await runTestbench({
      model: plan.testbench, sources, ...plan.vectors.forRun, simulator, runDir: runDirs.get(simulator)!,
      ...(opts.maxMismatchRecords !== undefined ? { maxMismatchRecords: opts.maxMismatchRecords } : {}),
      ...(opts.toolTimeoutMs !== undefined ? { compileTimeoutMs: opts.toolTimeoutMs, simulateTimeoutMs: opts.toolTimeoutMs } : {}),
    });
    outcomes.push({ simulator, passed: r.passed, counts: r.counts, mismatches: r.mismatches, runDir: r.runDir, compileCached: r.build.cached, timingsMs: { ...r.timings } });
  }
  const first = outcomes.flatMap((o) => o.mismatches.slice(0, 1))[0];
  let vcdFile: string | undefined;
  if (opts.vcd !== undefined && first !== undefined) {
    opts.onPhase?.('re-simulating the first failure on icarus for the waveform');
    vcdFile = resolve(opts.vcd);
    const vcdRun = await prepareRunDir();
    await runTestbench({
      model: plan.testbench, sources, ...plan.vectors.forRun, simulator: 'icarus', maxMismatchRecords: 1, runDir: vcdRun,
      extraPlusargs: [`vcd=${vcdFile}`, `vcd_from=${Math.max(first.cycle - 20, 0)}`, `vcd_to=${first.cycle + 5}`],
    });
    await removeRunDir(vcdRun);
  }
  const { vectors } = plan;
  return {
    reference: plan.reference,
    testbench: plan.testbench,
    ports: plan.ports,
    stimulusCounts: plan.stimulusCounts,
    get stimulus() { return vectors.stimulus(); },
    get expected() { return vectors.expected(); },
    outcomes,
    divergences: findDivergences(outcomes),
    passed: outcomes.every((o) => o.passed) && (plan.referenceCheck?.counts.mismatches ?? 0) === 0,
    ...(vcdFile !== undefined ? { vcdFile } : {}),
    ...(plan.referenceCheck ? { referenceCheck: plan.referenceCheck } : {}),
    driverLocs: outputDriverLocs(design),
    vectorsMs,
    keptRunDirs: [...runDirs.values()],
  };
}

/** The run directory of each RTL simulator, created now so vectors can be streamed into the first. */
async function prepareRunDirs(opts: VerifyOptions): Promise<Map<SimulatorName, string>> {
  const dirs = new Map<SimulatorName, string>();
  for (const sim of opts.simulators) {
    if (sim === 'builtin' || dirs.has(sim)) continue;
    dirs.set(sim, await prepareRunDir(opts.runDirFor?.(sim)));
  }
  return dirs;
}

/** Where a run's vectors are: in memory, or streamed to binary files (loaded only when asked for). */
interface VectorSource {
  readonly forRun: Pick<RunTestbenchInput, 'stimulus' | 'expected' | 'vectorFiles'>;
  stimulus(): VectorSet;
  expected(): VectorSet;
}

function inMemory(stimulus: VectorSet, expected: VectorSet): VectorSource {
  return { forRun: { stimulus, expected }, stimulus: () => stimulus, expected: () => expected };
}

function onDisk(files: VectorFilePair, testbench: TestbenchModel): VectorSource {
  let stimulus: VectorSet | undefined;
  let expected: VectorSet | undefined;
  return {
    forRun: { vectorFiles: files },
    stimulus: () => (stimulus ??= VectorSet.fromFile(testbench.inputs, readFileSync(files.stimulus), files.stimulus)),
    expected: () => (expected ??= VectorSet.fromFile(testbench.outputs, readFileSync(files.expected), files.expected)),
  };
}

interface ReferencePlan {
  readonly reference: VerifyResult['reference'];
  readonly testbench: TestbenchModel;
  readonly ports: VerifyResult['ports'];
  readonly stimulusCounts: Stimulus['counts'];
  readonly vectors: VectorSource;
  readonly referenceCheck?: ReferenceCheck;
}

function referencePlan(design: Design, opts: VerifyOptions, runDirs: ReadonlyMap<SimulatorName, string>): ReferencePlan {
  if (opts.model) checkPorts(design, opts.model);
  if (opts.stimulus) return givenPlan(design, opts, opts.stimulus);
  if (!opts.model) {
    if (opts.corners) throw new VerifyInputError('--corners: corner cases come from a golden model, and this design (a DSL module) has none; use --exhaustive (small inputs) or --vectors');
    const ports = testbenchModelOf(design, 0);
    const all = opts.exhaustive ? exhaustiveStimulus(ports) : [];
    if (all === undefined) throw new StimulusError(`--exhaustive: this design's inputs have more than ${EXHAUSTIVE_MAX_BITS} bits (more than 2^${EXHAUSTIVE_MAX_BITS} combinations); use --vectors instead`);
    const stimulus = [...all, ...randomStimulus(ports, opts.vectors, opts.seed)];
    if (stimulus.length === 0) throw new VerifyInputError('no vectors to check (--vectors 0 and no --exhaustive); give --vectors N with N >= 1');
    const testbench = testbenchModelOf(design, stimulus.length);
    return {
      reference: 'builtin', testbench,
      stimulusCounts: { exhaustive: all.length, corners: 0, random: stimulus.length - all.length },
      vectors: inMemory(VectorSet.fromRows(testbench.inputs, stimulus), VectorSet.fromRows(testbench.outputs, builtinResponses(design, testbench, stimulus))),
      ports: verifyPorts(design),
    };
  }
  const model = opts.model;
  const stimPlan = { random: opts.vectors, seed: opts.seed, corners: opts.corners ?? false, exhaustive: opts.exhaustive ?? false };
  if (stimPlan.random === 0 && !stimPlan.corners && !stimPlan.exhaustive) throw new VerifyInputError('no vectors to check (--vectors 0 and no --corners or --exhaustive); give --vectors N with N >= 1');
  const testbenchOf = (count: number): TestbenchModel => modelTestbench(design, model, count);
  const ports = { inputs: model.inputs, outputs: model.outputs };
  const streamDir = runDirs.values().next().value;
  if (streamDir !== undefined && canStream(model)) {
    // The golden vectors go straight to the first RTL simulator's run directory, chunk by chunk.
    mkdirSync(join(streamDir, 'vectors'), { recursive: true });
    const files = { stimulus: join(streamDir, 'vectors', 'stimulus.bin'), expected: join(streamDir, 'vectors', 'expected.bin') };
    for (const f of Object.values(files)) rmSync(f, { force: true }); // never write through a link of an earlier run
    const counts = writeVectorStream(model, stimPlan, files);
    const testbench = testbenchOf(counts.exhaustive + counts.corners + counts.random);
    return { reference: 'golden', testbench, stimulusCounts: counts, vectors: onDisk(files, testbench), ports };
  }
  const stim = buildStimulus(model, stimPlan);
  return { reference: 'golden', testbench: testbenchOf(stim.vectors.length), stimulusCounts: stim.counts, vectors: inMemory(stim.vectors, expectedVectors(model, stim.vectors)), ports };
}

/** The testbench of `count` vectors over the model's ports and timing. */
function modelTestbench(design: Design, model: TransactionModel, count: number): TestbenchModel {
  return {
    ...testbenchModelOf(design, count, model.latency),
    inputs: model.inputs.map(({ name, width, signed }) => ({ name, width, signed })),
    outputs: model.outputs.map(({ name, width, signed, validBy }) => ({ name, width, signed, ...(validBy !== undefined ? { validBy } : {}) })),
  };
}

/**
 * Given stimulus rows: the reference computes their expected rows (golden model, else built-in
 * simulator). Given expected rows as well, those are the reference and the computed rows are
 * checked against them.
 */
function givenPlan(design: Design, opts: VerifyOptions, stimulus: VectorSet): ReferencePlan {
  const ports = verifyPorts(design, opts.model);
  const testbench = opts.model ? modelTestbench(design, opts.model, stimulus.length) : testbenchModelOf(design, stimulus.length);
  const computed = opts.model
    ? expectedVectors(opts.model, stimulus)
    : VectorSet.fromRows(testbench.outputs, builtinResponses(design, testbench, stimulus.toRows()));
  const reference = opts.model ? 'golden' : 'builtin';
  if (stimulus.length === 0) throw new VerifyInputError('the stimulus has no rows, so nothing would be checked; give at least one vector row');
  const stimulusCounts = { exhaustive: 0, corners: 0, random: 0, given: stimulus.length };
  if (!opts.expected) return { reference, testbench, ports, stimulusCounts, vectors: inMemory(stimulus, computed) };
  if (opts.expected.length !== stimulus.length) throw new VerifyInputError(`the expected vectors have ${opts.expected.length} rows, the stimulus has ${stimulus.length}; each stimulus row needs its expected row`);
  const referenceCheck = { reference, ...compareRows(ports.outputs, opts.expected, computed, opts.maxMismatchRecords ?? 10) } as const;
  return { reference: 'given', testbench, ports, stimulusCounts, vectors: inMemory(stimulus, opts.expected), referenceCheck };
}

/**
 * `got` against `expected`, row by row, as the testbench compares: an output qualified by
 * `validBy` only where the expected valid bit is 1.
 */
function compareRows(outputs: readonly Port[], expected: VectorSet, got: VectorSet, maxRecords: number): Omit<ReferenceCheck, 'reference'> {
  const validIndex = new Map(outputs.map((p, k) => [p.name, k]));
  const mismatches: Mismatch[] = [];
  let count = 0;
  let failing = 0;
  for (let v = 0; v < expected.length; v++) {
    const exp = expected.row(v);
    const act = got.row(v);
    let bad = false;
    outputs.forEach((p, k) => {
      if (p.validBy !== undefined && exp[validIndex.get(p.validBy)!] !== 1n) return;
      if (exp[k] === act[k]) return;
      bad = true;
      count++;
      if (mismatches.length < maxRecords) mismatches.push({ vectorIndex: v, cycle: v, port: p.name, got: act[k]!, expected: exp[k]!, hasXZ: false });
    });
    if (bad) failing++;
  }
  return { counts: { vectors: expected.length, failingVectors: failing, mismatches: count, records: mismatches.length }, mismatches };
}

/** The model's ports must be exactly the design's data ports (names, widths, signedness). */
function checkPorts(design: Design, model: TransactionModel): void {
  const top = topModule(design);
  const problems: string[] = [];
  for (const kind of ['input', 'output'] as const) {
    const want = kind === 'input' ? model.inputs : model.outputs;
    const have = top.signals.filter((s) => s.kind === kind && s.role === undefined);
    for (const p of want) {
      const s = have.find((x) => x.name === p.name);
      if (!s) problems.push(`the model's ${kind} '${p.name}' is not a port of ${top.name}`);
      else if (s.type.width !== p.width || s.type.signed !== p.signed) problems.push(`${kind} '${p.name}': design has ${s.type.signed ? 'SInt' : 'UInt'}(${s.type.width}), model expects ${p.format}`);
    }
    for (const s of have) if (!want.some((p) => p.name === s.name)) problems.push(`${kind} '${s.name}' of ${top.name} is not in the model`);
  }
  if (problems.length > 0) throw new VerifyInputError(`design and golden model disagree on ports:\n  ${problems.join('\n  ')}`);
}

/** Simulators that saw different mismatch sets (only comparable when all were recorded). */
function findDivergences(outcomes: readonly SimulatorOutcome[]): Divergence[] {
  const out: Divergence[] = [];
  const key = (m: Mismatch) => `${m.vectorIndex}/${m.port}/${m.got === null ? 'x' : m.got}`;
  for (let i = 0; i < outcomes.length; i++) for (let j = i + 1; j < outcomes.length; j++) {
    const a = outcomes[i]!;
    const b = outcomes[j]!;
    const complete = a.counts.records === a.counts.mismatches && b.counts.records === b.counts.mismatches;
    if (a.counts.mismatches !== b.counts.mismatches) {
      out.push({ a: a.simulator, b: b.simulator, detail: `${a.simulator} has ${a.counts.mismatches} mismatches, ${b.simulator} has ${b.counts.mismatches}` });
      continue;
    }
    if (!complete) continue;
    const ka = new Set(a.mismatches.map(key));
    const diff = b.mismatches.find((m) => !ka.has(key(m)));
    if (diff) out.push({ a: a.simulator, b: b.simulator, detail: `they differ at vector ${diff.vectorIndex} port ${diff.port}` });
  }
  return out;
}

export function outputDriverLocs(design: Design): Map<string, SourceLoc> {
  const top = topModule(design);
  const locs = new Map<string, SourceLoc>();
  for (const c of top.connects) {
    const s = top.signals[c.target]!;
    if (s.kind === 'output') locs.set(s.name, c.loc);
  }
  return locs;
}
