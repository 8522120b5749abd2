/**
 * One co-simulation run: testbench model + RTL + vectors → run directory → compiled (or
 * cached) simulator → result file → typed result. Layout of a run directory:
 *   src/       RTL copies and generated TB sources     vectors/  stimulus and expected files
 *   build/     compile working directory               logs/     one log per tool step
 *   result.txt the TB's result file                    replay.sh reproduces the run by hand
 */
import { copyFile, link, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { generateTestbench, CLOCK_WRAPPER_MODULE, TB_MODULE, type GeneratedTestbench, type VectorLoader } from '../generators/testbench/generate.ts';
import type { TestbenchModel } from '../generators/testbench/model.ts';
import { icarusCompile, icarusRun, icarusVersion, type IcarusTools } from './backends/icarus.ts';
import type { Invocation } from './backends/invocation.ts';
import { effectiveCppOpt, verilatorBuild, verilatorExecutable, verilatorRun, verilatorVersion, type VerilatorBuildInput, type VerilatorTools } from './backends/verilator.ts';
import type { VerilatorPchUse } from './backends/verilator-pch.ts';
import { ensureVerilatorPch, evictVerilatorPch, type PchOutcome } from './verilator-pch.ts';
import { parseResults, ResultFileError, type TestbenchResult } from './results.ts';
import { onPath, prepareRunDir, runInvocation, ToolFailedError, writeReplayScript } from './runner.ts';
import { buildCached, defaultCacheDir, evictCached, toolVersion, type BuildOutcome } from './build-cache.ts';
import { writeVectorFiles, type Vectors } from './vectors.ts';
import { BINARY_HEADER_BYTES, BINARY_MAGIC, VectorSet } from './vector-set.ts';
import type { VectorFilePair } from './cosim/vector-stream.ts';

export type SimulatorName = 'icarus' | 'verilator';

/** An RTL source: an existing file, or text to write under `name`. */
export type RtlSource = { readonly path: string } | { readonly name: string; readonly text: string };

export interface RunTestbenchInput {
  readonly model: TestbenchModel;
  readonly sources: readonly RtlSource[];
  /** `model.vectorCount` vectors of input values (rows in the port order of `model.inputs`, or a set). */
  readonly stimulus?: Vectors;
  /** `model.vectorCount` vectors of expected output values (port order of `model.outputs`). */
  readonly expected?: Vectors;
  /**
   * Instead of `stimulus` and `expected`: binary vector files already written (`sim/vectors.ts`
   * format). They are hard-linked (else copied) into the run directory, or converted for `$readmemh`.
   */
  readonly vectorFiles?: VectorFilePair;
  readonly simulator: SimulatorName;
  /** Run directory (created if missing); default a fresh directory under the OS temp dir. */
  readonly runDir?: string;
  /** Compile cache; default `defaultCacheDir()`. */
  readonly cacheDir?: string;
  /** Detailed mismatch records kept (all are still counted). Default 100. */
  readonly maxMismatchRecords?: number;
  /** Default: `dpi` on Verilator (fastest, measured), `readmemh` on Icarus. */
  readonly loader?: VectorLoader;
  /** Verilator clocking for non-DPI loaders: generated C++ main (default) or `--binary --timing`. */
  readonly verilatorStyle?: VerilatorBuildInput['style'];
  readonly verilatorCppOpt?: VerilatorBuildInput['cppOpt'];
  /**
   * Where Verilator builds keep their precompiled `verilated.h` (sim/verilator-pch.ts): a
   * directory (default `<defaultCacheDir()>/verilator-pch`, machine-wide, whatever `cacheDir` is),
   * or false for none. `NPUGEN_VERILATOR_PCH=0` also turns it off. A speed-up only.
   */
  readonly verilatorPch?: string | false;
  readonly tools?: IcarusTools & VerilatorTools;
  readonly compileTimeoutMs?: number;
  readonly simulateTimeoutMs?: number;
  /** Extra plusargs for the simulation (e.g. the testbench's +vcd window on Icarus). */
  readonly extraPlusargs?: readonly string[];
}

export interface PhaseTimings {
  /** Run directory, testbench generation, sources, replay script (everything before the build but the vectors). */
  readonly setupMs: number;
  readonly writeVectorsMs: number;
  /** Includes the cache lookup; near zero on a hit. */
  readonly compileMs: number;
  readonly simulateMs: number;
  readonly parseMs: number;
}

export interface RunTestbenchResult extends TestbenchResult {
  readonly runDir: string;
  readonly resultFile: string;
  readonly build: BuildOutcome;
  readonly timings: PhaseTimings;
  /** What ran (also in replay.sh): the compile steps (skipped on a cache hit) and the simulation. */
  readonly invocations: { readonly compile: readonly Invocation[]; readonly simulate: Invocation };
  /**
   * Verilator runs: the precompiled verilated.h the build was given (its directory, and whether
   * this run built it), or why there was none; undefined when turned off or on Icarus.
   */
  readonly pch?: { readonly dir: string; readonly built: boolean } | { readonly skipped: string };
}

interface Plan {
  readonly versionProbe: Invocation;
  readonly compile: readonly Invocation[];
  readonly artifact: string;
  readonly run: Invocation;
}

/** Runs the testbench; resolves with the parsed result (a failing DUT is a result, not an error). */
export async function runTestbench(input: RunTestbenchInput): Promise<RunTestbenchResult> {
  await checkVectorCounts(input);
  const loader = input.loader ?? (input.simulator === 'verilator' ? 'dpi' : 'readmemh');
  if (loader === 'dpi' && input.simulator !== 'verilator') throw new Error('the dpi loader needs Verilator');
  let started = performance.now();
  const runDir = await prepareRunDir(input.runDir);
  for (const sub of ['src', 'build', 'vectors', 'logs']) await mkdir(join(runDir, sub), { recursive: true });
  const tb = generateTestbench(input.model, { loader, maxRecords: input.maxMismatchRecords ?? 100 });
  const sources = await writeSources(runDir, input, tb);
  let setupMs = performance.now() - started;

  started = performance.now();
  const { stimFile, expFile } = await writeVectors(runDir, input, tb.vectorFormat);
  const writeVectorsMs = performance.now() - started;
  started = performance.now();

  const plusargs = [`vectors=${input.model.vectorCount}`, `stim=${stimFile}`, `exp=${expFile}`, 'result=result.txt',
    `max_records=${input.maxMismatchRecords ?? 100}`, ...(input.extraPlusargs ?? [])];
  const pch = input.simulator === 'verilator' ? await pchFor(input, loader) : undefined;
  const sloppiness = pch?.use !== undefined && onPath('ccache') ? await ccacheSloppiness(runDir) : undefined;
  const planWith = (use: VerilatorPchUse | undefined): Plan =>
    input.simulator === 'icarus' ? icarusPlan(runDir, sources, plusargs, input) : verilatorPlan(runDir, sources, plusargs, input, loader, use, sloppiness);
  let plan = planWith(pch?.use);
  // The replay builds without the PCH: it is only a speed-up, and lives in this machine's cache.
  const portable = pch?.use === undefined ? plan : planWith(undefined);
  const pchNote = pch?.use === undefined ? '' : '; npugen also gave g++ a precompiled verilated.h (-include, a speed-up only), left out here';
  await writeReplayScript(runDir, [
    ...portable.compile.map((invocation) => ({ comment: `compile (${invocation.tool})${pchNote}`, invocation })),
    { comment: 'simulate; writes result.txt', invocation: plan.run },
  ]);
  setupMs += performance.now() - started;

  const cacheDir = input.cacheDir ?? defaultCacheDir();
  const buildInputOf = (p: Plan) => ({
    versionProbe: p.versionProbe,
    steps: p.compile,
    inputs: sources.map((s) => join(runDir, 'src', s)),
    artifact: p.artifact,
    cacheDir,
    logDir: join(runDir, 'logs'),
    ...(input.compileTimeoutMs === undefined ? {} : { timeoutMs: input.compileTimeoutMs }),
  });
  let buildInput = buildInputOf(plan);
  let build: BuildOutcome;
  let dropped = false;
  try {
    build = await buildCached(buildInput);
  } catch (e) {
    // Never fail a run because of the PCH: a build GCC failed on it is redone without it.
    if (pch?.use === undefined || !(e instanceof ToolFailedError) || !PCH_FAILURE.test(e.outputTail)) throw e;
    await evictVerilatorPch(pch.dir);
    dropped = true;
    plan = portable;
    buildInput = buildInputOf(plan);
    build = { ...(await buildCached(buildInput)), repaired: `the precompiled verilated.h in ${pch.dir} did not work; built without it` };
  }

  const resultFile = join(runDir, 'result.txt');
  await rm(resultFile, { force: true }); // a reused run directory must not yield a stale result
  started = performance.now();
  const simulate = () => runInvocation(plan.run, { logFile: join(runDir, 'logs', 'simulate.log'), ...(input.simulateTimeoutMs === undefined ? {} : { timeoutMs: input.simulateTimeoutMs }) });
  try {
    await simulate();
  } catch (e) {
    // The testbench exits 0 whatever the DUT does, so a cached simulator that fails to run is
    // damaged (a checked entry can still be a binary whose libraries changed): rebuild it once.
    if (!build.cached || !(e instanceof ToolFailedError)) throw e;
    await evictCached(cacheDir, build.key);
    build = { ...(await buildCached(buildInput)), repaired: 'the cached simulator failed to run' };
    started = performance.now();
    await simulate();
  }
  const simulateMs = performance.now() - started;

  started = performance.now();
  const text = await readFile(resultFile, 'utf8').catch(() => {
    throw new ResultFileError(`the simulation wrote no ${resultFile} (see logs/simulate.log)`);
  });
  const result = parseResults(text, input.model.outputs);
  const parseMs = performance.now() - started;
  return {
    ...result,
    runDir,
    resultFile,
    build,
    timings: { setupMs, writeVectorsMs, compileMs: build.durationMs, simulateMs, parseMs },
    invocations: { compile: plan.compile, simulate: plan.run },
    ...(pch === undefined ? {} : { pch: pchReport(pch, dropped) }),
  };
}

/** Writes stimulus and expected files in the loader's format; returns their run-relative paths. */
async function writeVectors(runDir: string, input: RunTestbenchInput, format: 'hex' | 'binary'): Promise<{ stimFile: string; expFile: string }> {
  const ext = format === 'hex' ? 'hex' : 'bin';
  const stimFile = `vectors/stimulus.${ext}`;
  const expFile = `vectors/expected.${ext}`;
  const files = input.vectorFiles;
  if (files !== undefined && format === 'binary') {
    await placeFile(files.stimulus, join(runDir, stimFile));
    await placeFile(files.expected, join(runDir, expFile));
    return { stimFile, expFile };
  }
  const load = async (ports: RunTestbenchInput['model']['inputs'], path: string) => VectorSet.fromFile(ports, await readFile(path), path);
  const stimulus = files ? await load(input.model.inputs, files.stimulus) : input.stimulus!;
  const expected = files ? await load(input.model.outputs, files.expected) : input.expected!;
  await writeVectorFiles({ [format]: join(runDir, stimFile) }, input.model.inputs, stimulus);
  await writeVectorFiles({ [format]: join(runDir, expFile) }, input.model.outputs, expected);
  return { stimFile, expFile };
}

/** Puts `src` at `dest` (nothing to do if it is already there): a hard link, else a copy. */
async function placeFile(src: string, dest: string): Promise<void> {
  if (resolve(src) === resolve(dest)) return;
  await rm(dest, { force: true });
  await link(src, dest).catch(() => copyFile(src, dest));
}

async function checkVectorCounts(input: RunTestbenchInput): Promise<void> {
  const n = input.model.vectorCount;
  if ((input.vectorFiles === undefined) === (input.stimulus === undefined || input.expected === undefined)) {
    throw new TypeError('runTestbench: give either stimulus and expected, or vectorFiles');
  }
  const counts = input.vectorFiles
    ? await Promise.all([input.vectorFiles.stimulus, input.vectorFiles.expected].map(headerCount))
    : [input.stimulus!.length, input.expected!.length];
  if (counts[0] !== n || counts[1] !== n) {
    throw new RangeError(`model.vectorCount is ${n} but got ${counts[0]} stimulus and ${counts[1]} expected rows`);
  }
}

/** The row count in a binary vector file's header. */
async function headerCount(path: string): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(BINARY_HEADER_BYTES), 0, BINARY_HEADER_BYTES, 0);
    if (bytesRead < BINARY_HEADER_BYTES || buffer.toString('latin1', 0, 8) !== BINARY_MAGIC) throw new Error(`${path}: not an npugen vector file`);
    return buffer.readUInt32LE(12);
  } finally {
    await fh.close();
  }
}

/** Writes RTL and generated sources into `src/`; returns their file names (DUT first). */
async function writeSources(runDir: string, input: RunTestbenchInput, tb: GeneratedTestbench): Promise<string[]> {
  const names: string[] = [];
  for (const source of input.sources) {
    const name = 'path' in source ? basename(source.path) : source.name;
    if (names.includes(name) || name.startsWith('npugen_')) throw new Error(`RTL source name '${name}' is taken`);
    if ('path' in source) await copyFile(source.path, join(runDir, 'src', name));
    else await writeFile(join(runDir, 'src', name), source.text);
    names.push(name);
  }
  const generated: [string, string][] = [[`${TB_MODULE}.v`, tb.testbench]];
  if (input.simulator === 'icarus' || input.verilatorStyle === 'binary') generated.push([`${CLOCK_WRAPPER_MODULE}.v`, tb.clockWrapper]);
  else generated.push(['npugen_main.cpp', tb.verilatorMain]);
  for (const [name, text] of generated) await writeFile(join(runDir, 'src', name), text);
  return [...names, ...generated.map(([name]) => name)];
}

function icarusPlan(runDir: string, sources: readonly string[], plusargs: readonly string[], input: RunTestbenchInput): Plan {
  const tools = input.tools ?? {};
  const build = join(runDir, 'build');
  return {
    versionProbe: icarusVersion(tools, build),
    compile: [icarusCompile({ ...tools, sources: sources.map((s) => `../src/${s}`), tops: [CLOCK_WRAPPER_MODULE], output: 'sim.vvp', cwd: build })],
    artifact: join(build, 'sim.vvp'),
    run: icarusRun({ ...tools, vvpFile: 'build/sim.vvp', plusargs, cwd: runDir }),
  };
}

function pchReport(pch: PchOutcome, dropped: boolean): NonNullable<RunTestbenchResult['pch']> {
  if (pch.use === undefined) return { skipped: pch.skipped };
  return dropped ? { skipped: `GCC failed on ${pch.dir}; built without it (evicted)` } : { dir: pch.dir, built: pch.built };
}

/**
 * GCC's words when it stops on a PCH ("cannot read PCH file", "while reading precompiled header",
 * "cannot read <dir>/verilated.h.gch"); not the echoed command lines, which name `-Winvalid-pch`.
 */
const PCH_FAILURE = /\.gch\b|PCH file|precompiled header/;

/**
 * ccache's effective sloppiness (its config file, or CCACHE_SLOPPINESS), which a PCH build
 * extends: the variable it sets would otherwise replace the config file's value. Once per process.
 */
async function ccacheSloppiness(cwd: string): Promise<string | undefined> {
  const probe: Invocation = { tool: 'ccache', command: 'ccache', args: ['--get-config', 'sloppiness'], env: {}, cwd };
  return toolVersion(probe).then((out) => out.trim(), () => undefined);
}

function verilatorStyle(input: RunTestbenchInput, loader: VectorLoader): VerilatorBuildInput['style'] {
  return loader === 'dpi' ? 'cpp-main' : (input.verilatorStyle ?? 'cpp-main');
}

/** The PCH for this run's Verilator build, unless turned off (`verilatorPch: false`, `NPUGEN_VERILATOR_PCH=0`). */
async function pchFor(input: RunTestbenchInput, loader: VectorLoader): Promise<PchOutcome | undefined> {
  if (input.verilatorPch === false || process.env['NPUGEN_VERILATOR_PCH'] === '0') return undefined;
  const verilator = input.tools?.verilator;
  return ensureVerilatorPch({
    ...(typeof input.verilatorPch === 'string' ? { dir: input.verilatorPch } : {}),
    ...(verilator === undefined ? {} : { verilator }),
    style: verilatorStyle(input, loader),
    cppOpt: effectiveCppOpt(input.verilatorCppOpt),
    ...(input.compileTimeoutMs === undefined ? {} : { timeoutMs: input.compileTimeoutMs }),
  });
}

function verilatorPlan(
  runDir: string, sources: readonly string[], plusargs: readonly string[], input: RunTestbenchInput, loader: VectorLoader,
  pch: VerilatorPchUse | undefined, sloppiness: string | undefined,
): Plan {
  const tools = input.tools ?? {};
  const build = join(runDir, 'build');
  const style = verilatorStyle(input, loader);
  const verilog = sources.filter((s) => s.endsWith('.v') || s.endsWith('.sv'));
  const main = sources.find((s) => s.endsWith('.cpp'));
  const buildInput: VerilatorBuildInput = {
    ...tools,
    sources: verilog.map((s) => `../src/${s}`),
    top: style === 'binary' ? CLOCK_WRAPPER_MODULE : TB_MODULE,
    style,
    cwd: build,
    ...(main === undefined ? {} : { mainCpp: `../src/${main}` }),
    ...(input.verilatorCppOpt === undefined ? {} : { cppOpt: input.verilatorCppOpt }),
    ...(onPath('ccache') ? { objcache: 'ccache' } : {}),
    ...(pch === undefined ? {} : { pch }),
    ...(sloppiness === undefined ? {} : { ccacheSloppiness: sloppiness }),
  };
  const exe = verilatorExecutable(buildInput.mdir);
  return {
    versionProbe: verilatorVersion(tools, build),
    compile: [verilatorBuild(buildInput)],
    artifact: join(build, exe),
    run: verilatorRun({ executable: `build/${exe}`, plusargs, cwd: runDir }),
  };
}
