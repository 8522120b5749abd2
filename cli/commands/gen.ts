/**
 * `npugen gen <design> -o DIR [--vectors N] [--seed S] [--force] [--no-locations] [--allow-large] [--progress]`
 * writes, for a design named <name>:
 * - `<module>.v` per module (children first; the top is `<name>.v`);
 * - `<name>_tb.v`: the self-checking testbench (`npugen_tb`, `$readmemh` loader) and its
 *   clock wrapper `npugen_tb_clock` (the simulation top);
 * - `<name>_stim.hex` / `<name>_exp.hex`: vectors for it: corner cases and seeded random rows
 *   with expected outputs from the design's transaction model (the golden library) when it
 *   has one, else from the built-in simulator of the IR;
 * - `<name>.f`: the RTL file list in dependency order;
 * - `<name>.core`: a FuseSoC CAPI2 core (filesets rtl/tb, targets default/sim);
 * - `<name>.ts`: typed bindings (ports with widths and formats as literal types, parameters).
 * The directory is written safely (cli/output-dir.ts): files npugen did not write are never
 * overwritten without --force, the design file never; an error or Ctrl-C leaves no partial
 * output and no temporary directory. A PE array over the resource budget is refused before it
 * is built (cli/array-budget.ts; `--allow-large` to go past it); a long run prints its estimate
 * and each phase.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Design } from '../../dsl/ir/nodes.ts';
import { topModule } from '../../dsl/ir/nodes.ts';
import { formatName, isNumberFormat } from '../../formats/number-format.ts';
import { portFormat } from '../../formats/port.ts';
import { NPUGEN_VERSION } from '../../dsl/version.ts';
import { emitVerilog } from '../../generators/verilog/emit.ts';
import { generateTestbench, CLOCK_WRAPPER_MODULE, TB_MODULE } from '../../generators/testbench/generate.ts';
import type { TestbenchModel } from '../../generators/testbench/model.ts';
import { fileList } from '../../generators/fpga/filelist.ts';
import { fusesocCore } from '../../generators/fpga/fusesoc.ts';
import { generateBindings } from '../../generators/fpga/bindings.ts';
import { checkDesignNames, DesignNameError } from '../design-file.ts';
import { topPorts } from '../../generators/fpga/ports.ts';
import { expectedVectors, type TransactionModel } from '../../sim/models/types.ts';
import { buildStimulus } from '../../sim/cosim/stimulus.ts';
import { builtinResponses, randomStimulus, testbenchModelOf } from '../../sim/cosim/ir-testbench.ts';
import { encodeHexVectors, type Vectors } from '../../sim/vectors.ts';
import { VERILATOR_WORKAROUNDS } from '../../sim/backends/verilator.ts';
import { loadDesign, type LoadedDesign } from '../design-file.ts';
import { EXIT, UsageError, type CliIo } from '../io.ts';
import { intFlag, seedFlag } from '../args.ts';
import { checkTarget, writeOutputDir, type FileEntry } from '../output-dir.ts';
import { ArrayBudget } from '../array-budget.ts';
import { estimateArrayGen } from '../../sim/array-budget.ts';

/** A design whose names cannot become files in the output directory (exit 2). */
export { checkDesignNames, DesignNameError };

export type { FileEntry };

export interface GenOptions {
  /** Random vectors for the standalone testbench (corner cases are added when there is a model). */
  readonly vectors: number;
  readonly seed: number;
  /** Directory of the design file: source-location comments are relative to it (or to npugen's root). */
  readonly locBase?: string;
  /** Source-location comments in the Verilog (default true; `--no-locations` turns them off). */
  readonly locations?: boolean;
  /** Called as each step starts (progress output). */
  readonly onPhase?: (phase: string) => void;
}

export const DEFAULT_GEN_VECTORS = 200;

export async function runGen(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      vectors: { type: 'string', default: String(DEFAULT_GEN_VECTORS) },
      seed: { type: 'string', default: '1' },
      force: { type: 'boolean', default: false },
      'no-locations': { type: 'boolean', default: false },
      'allow-large': { type: 'boolean', default: false },
      progress: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('gen takes one design file: npugen gen <design> -o DIR');
  const outDir = values.out;
  if (!outDir) throw new UsageError('gen needs an output directory: npugen gen <design> -o DIR');
  const vectors = intFlag(values.vectors!, '--vectors', 1);
  const seed = seedFlag(values.seed!);
  await checkTarget(outDir);
  const budget = new ArrayBudget(io, {
    command: 'gen', estimate: (shape) => estimateArrayGen(shape, vectors), diskIn: outDir,
    allowLarge: values['allow-large']!, progress: values.progress!,
  });
  const loaded = await loadDesign(positionals[0]!, { beforeBuild: budget.beforeBuild });
  const progress = budget.start(`gen ${loaded.design.top}`);
  try {
    const locBase = path.dirname(path.resolve(positionals[0]!));
    const entries = genArtifacts(loaded, { vectors, seed, locBase, locations: !values['no-locations'], onPhase: (p) => progress.phase(p) });
    progress.phase(`write ${entries.length} files into ${outDir}`);
    await writeOutputDir(outDir, entries, { force: values.force!, inputs: [positionals[0]!], ...testWriteDelay() });
    progress.done();
    for (const [name] of entries) io.out(`wrote ${path.join(outDir, name)}`);
    return EXIT.ok;
  } finally {
    progress.done();
  }
}

/**
 * NPUGEN_TEST_WRITE_DELAY_MS slows each file write so a test can interrupt `gen` mid-write
 * deterministically (test/cli/output-dir.test.ts); unset in normal use.
 */
function testWriteDelay(): { afterEachFile?: () => Promise<void> } {
  const ms = Number(process.env.NPUGEN_TEST_WRITE_DELAY_MS ?? 0);
  return ms > 0 ? { afterEachFile: () => new Promise((r) => setTimeout(r, ms)) } : {};
}

/** All files `gen` writes, in the order listed (pure: no file system). */
export function genArtifacts(loaded: LoadedDesign, options: GenOptions): FileEntry[] {
  const design = loaded.design;
  checkDesignNames(design);
  const name = design.top;
  options.onPhase?.('emit Verilog');
  const verilog = emitVerilog(design, {
    ...(options.locBase !== undefined ? { locBase: options.locBase } : {}),
    ...(options.locations !== undefined ? { locations: options.locations } : {}),
  });
  const model = loaded.model;
  options.onPhase?.(`${options.vectors} vectors and their expected outputs`);
  const vectors = standaloneVectors(design, model, options);
  options.onPhase?.('testbench, file list, FuseSoC core, bindings');
  const tb = generateTestbench(vectors.testbench, { loader: 'readmemh' });
  const files = {
    tb: `${name}_tb.v`,
    stim: `${name}_stim.hex`,
    exp: `${name}_exp.hex`,
    list: `${name}.f`,
    core: `${name}.core`,
    bindings: `${name}.ts`,
  };
  const rtl = verilog.map((f) => f.fileName);
  const n = vectors.testbench.vectorCount;
  const header = tbHeader(name, files, n, vectors.reference, rtl);
  const formats = new Map<string, string>(model ? [...model.inputs, ...model.outputs].map((p) => [p.name, portFormat(p)]) : []);
  const latency = model?.latency ?? topModule(design).latency;
  const entries: FileEntry[] = [
    ...verilog.map((f): FileEntry => [f.fileName, f.text]),
    [files.tb, `${header}\n${tb.testbench}\n${tb.clockWrapper}`],
    [files.stim, encodeHexVectors(vectors.testbench.inputs, vectors.stimulus)],
    [files.exp, encodeHexVectors(vectors.testbench.outputs, vectors.expected)],
    [files.list, fileList(rtl)],
    [files.core, fusesocCore({
      name, version: NPUGEN_VERSION, top: name, rtlFiles: rtl,
      description: `${name}: generated by npugen ${NPUGEN_VERSION}${loaded.generator ? ` (generator ${loaded.generator})` : ''}`,
      testbench: { file: files.tb, top: CLOCK_WRAPPER_MODULE, stimFile: files.stim, expFile: files.exp, vectors: n },
    })],
    [files.bindings, generateBindings({
      name, top: name,
      ports: topPorts(design, formats),
      ...(loaded.params ? { parameters: loaded.params } : {}),
      ...(loaded.generator ? { generator: loaded.generator } : {}),
      ...(latency !== undefined ? { latency } : {}),
      banner: `Generated by npugen ${NPUGEN_VERSION}: typed bindings for ${name}. Do not edit: regenerate.`,
      formatOf: formatOfParam,
    })],
  ];
  const seen = new Set<string>();
  for (const [file] of entries) {
    if (seen.has(file)) throw new DesignNameError(`two generated files would be named '${file}' (a module name collides with a generated file); rename the module`);
    seen.add(file);
  }
  return entries;
}

interface StandaloneVectors {
  readonly testbench: TestbenchModel;
  readonly stimulus: Vectors;
  readonly expected: Vectors;
  readonly reference: string;
}

function standaloneVectors(design: Design, model: TransactionModel | undefined, options: GenOptions): StandaloneVectors {
  if (!model) {
    const testbench = testbenchModelOf(design, options.vectors);
    const stimulus = randomStimulus(testbench, options.vectors, options.seed);
    return { testbench, stimulus, expected: builtinResponses(design, testbench, stimulus), reference: `${options.vectors} random vectors (seed ${options.seed}); expected outputs from npugen's built-in simulator of the IR` };
  }
  const stim = buildStimulus(model, { random: options.vectors, seed: options.seed, corners: true, exhaustive: false });
  const base = testbenchModelOf(design, stim.vectors.length, model.latency);
  const testbench: TestbenchModel = {
    ...base,
    inputs: model.inputs.map(({ name, width, signed }) => ({ name, width, signed })),
    outputs: model.outputs.map(({ name, width, signed, validBy }) => ({ name, width, signed, ...(validBy !== undefined ? { validBy } : {}) })),
  };
  return {
    testbench, stimulus: stim.vectors, expected: expectedVectors(model, stim.vectors),
    reference: `${stim.counts.corners} corner-case + ${stim.counts.random} random vectors (seed ${options.seed}); expected outputs from the golden model`,
  };
}

function tbHeader(name: string, files: { stim: string; exp: string; list: string; tb: string }, n: number, reference: string, rtl: readonly string[]): string {
  return [
    `// Generated by npugen ${NPUGEN_VERSION}: self-checking testbench for ${name}.`,
    `// Vectors: ${files.stim} (inputs) and ${files.exp} (expected outputs), ${n} rows:`,
    `//   ${reference}.`,
    '// Plusargs (all but result and max_records are required):',
    `//   +vectors=N        rows to apply and check (at most ${n}, the compiled depth)`,
    '//   +stim=FILE        stimulus, $readmemh hex, one row per vector',
    '//   +exp=FILE         expected outputs, $readmemh hex',
    '//   +result=FILE      result file (default result.txt): an "S vectors=.. checked=.. failing=.. mismatches=.." line,',
    '//                     "M vector cycle output got want xz" per recorded mismatch; failing=0 means pass',
    '//   +max_records=N    mismatch records kept (default 100)',
    '//   +vcd=FILE +vcd_from=C +vcd_to=C   (Icarus) dump the DUT between testbench cycles C',
    // "$ " before each command: Verilator reads a comment starting with the word verilator as a
    // metacomment and stops with "Unknown verilator comment" on this very file.
    `// Run (Icarus), in this directory:`,
    `//   $ iverilog -g2005 -s ${CLOCK_WRAPPER_MODULE} -o ${name}.vvp -c ${files.list} ${files.tb}`,
    `//   $ vvp -n ${name}.vvp +vectors=${n} +stim=${files.stim} +exp=${files.exp} +result=result.txt && cat result.txt`,
    `// Run (Verilator):`,
    `//   $ verilator --binary --timing -Wno-fatal ${VERILATOR_WORKAROUNDS.join(' ')} --top-module ${CLOCK_WRAPPER_MODULE} -f ${files.list} ${files.tb}`,
    `//   $ obj_dir/V${CLOCK_WRAPPER_MODULE} +vectors=${n} +stim=${files.stim} +exp=${files.exp} +result=result.txt`,
    `// The testbench module is ${TB_MODULE}; RTL files in dependency order: ${rtl.join(' ')}.`,
    '',
  ].join('\n');
}

/** Parsed param values that are formats render by their canonical name in the bindings. */
function formatOfParam(v: object): string | undefined {
  return isNumberFormat(v) ? formatName(v) : undefined;
}
