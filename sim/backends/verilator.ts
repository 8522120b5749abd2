/**
 * Verilator as data. Two build styles:
 * - `cpp-main`: `--cc --exe --build` with npugen's generated C++ main driving `clk`
 *   (required for the DPI loader, the fastest; see bench/cosim-loaders.ts);
 * - `binary`: `--binary` (Verilator's own main, `--timing`) with the `always #` clock wrapper.
 * X handling: `--x-assign unique --x-initial unique` and, at run time, a fixed seed with
 * `+verilator+rand+reset+2`, so 2-state Verilator sees arbitrary (not conveniently zero)
 * values wherever Icarus would see X, and runs stay reproducible.
 */
import type { Invocation } from './invocation.ts';
import { VERILATOR_WORKAROUNDS } from '../../generators/verilator-flags.ts';

export interface VerilatorTools {
  /** Path or name of `verilator` (default `verilator`). */
  readonly verilator?: string;
}

export interface VerilatorBuildInput extends VerilatorTools {
  /** Compiler cache command for Verilator's makefiles (e.g. `ccache`), when installed. */
  readonly objcache?: string;
  /** Verilog sources, relative to `cwd`. */
  readonly sources: readonly string[];
  readonly top: string;
  readonly style: 'cpp-main' | 'binary';
  /** The C++ main, relative to `cwd` (style `cpp-main` only). */
  readonly mainCpp?: string;
  readonly cwd: string;
  /** Object directory relative to `cwd` (default `obj_dir`). */
  readonly mdir?: string;
  /** C++ optimization for the model: `-O0` builds fastest, `-O2` simulates fastest (default `-O1`). */
  readonly cppOpt?: '-O0' | '-O1' | '-O2' | '-O3';
  /** Parallel build jobs (default 2: these machines have 2 cores). */
  readonly jobs?: number;
  readonly defines?: Readonly<Record<string, string>>;
}

export interface VerilatorRunInput {
  /** The built executable, relative to `cwd`. */
  readonly executable: string;
  readonly plusargs: readonly string[];
  readonly cwd: string;
  /** Seed for Verilator's X randomization (default 1). */
  readonly seed?: number;
}

const APT = 'verilator';
export const VERILATOR_EXE = 'Vsim';

// Defined in generators/ so the generated FuseSoC core can name them too (generators/ may not import sim/).
export { VERILATOR_WORKAROUNDS };

export function verilatorVersion(tools: VerilatorTools, cwd: string): Invocation {
  return { tool: 'verilator', command: tools.verilator ?? 'verilator', args: ['--version'], env: {}, cwd, aptPackage: APT };
}

/** Path of the executable a build produces, relative to the build's `cwd`. */
export function verilatorExecutable(mdir = 'obj_dir'): string {
  return `${mdir}/${VERILATOR_EXE}`;
}

const CPP_OPTS = ['-O0', '-O1', '-O2', '-O3'] as const;

/**
 * `NPUGEN_VERILATOR_OPT` (`-O0`..`-O3`): the C++ level of builds that do not ask for one. `-O0`
 * builds a model about 25% faster (cold, fp_mac bf16) and simulates slower, the right trade for
 * short runs such as the test suite's; any other value is ignored (the default stays).
 */
function cppOptFromEnv(): VerilatorBuildInput['cppOpt'] {
  const raw = process.env['NPUGEN_VERILATOR_OPT'];
  return CPP_OPTS.find((o) => o === raw);
}

export function verilatorBuild(input: VerilatorBuildInput): Invocation {
  const style =
    input.style === 'binary'
      ? ['--binary']
      : ['--cc', '--exe', '--build', '--no-timing', ...(input.mainCpp === undefined ? [] : [input.mainCpp])];
  const cppOpt = input.cppOpt ?? cppOptFromEnv();
  const opt = cppOpt ?? '-O1';
  const defines = Object.entries(input.defines ?? {}).map(([k, v]) => `-D${k}=${v}`);
  return {
    tool: 'verilator',
    command: input.verilator ?? 'verilator',
    args: [
      ...style,
      '-j', String(input.jobs ?? 2),
      '--top-module', input.top,
      '--Mdir', input.mdir ?? 'obj_dir',
      '-o', VERILATOR_EXE,
      // Warnings are the lint step's job (sim/backends/lint.ts); a sim build must not die on them.
      '-Wno-fatal',
      '--x-assign', 'unique',
      '--x-initial', 'unique',
      ...VERILATOR_WORKAROUNDS,
      // Split huge eval functions: measured 5x faster g++ builds of big arrays (toolchain facts).
      '--output-split', '20000',
      '--output-split-cfuncs', '2000',
      '-CFLAGS', opt,
      // Verilator's makefile appends OPT_FAST (-Os) after CFLAGS, so a requested level only holds
      // when the makefile's own levels are set too (a -O0 build was compiled at -Os).
      ...(cppOpt === undefined ? [] : ['-MAKEFLAGS', `OPT_FAST=${opt} OPT_SLOW=${opt} OPT_GLOBAL=${opt}`]),
      ...defines,
      ...input.sources,
    ],
    // Verilator's makefiles honour OBJCACHE: with ccache, its runtime objects (the same in every
    // build) compile once per machine instead of once per design.
    env: input.objcache !== undefined ? { OBJCACHE: input.objcache } : {},
    cwd: input.cwd,
    aptPackage: APT,
  };
}

export function verilatorRun(input: VerilatorRunInput): Invocation {
  const seed = input.seed ?? 1;
  return {
    tool: 'simulator',
    command: `./${input.executable}`,
    args: [`+verilator+seed+${seed}`, '+verilator+rand+reset+2', ...input.plusargs.map((p) => `+${p}`)],
    env: {},
    cwd: input.cwd,
  };
}
