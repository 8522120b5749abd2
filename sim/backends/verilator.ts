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
import { makeLevelOverrides, pchIncludeFlags, userCflags, type VerilatorPchUse } from './verilator-pch.ts';

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
  /**
   * A precompiled `verilated.h` (sim/verilator-pch.ts) for the model and user files (`OPT_FAST`
   * and `OPT_SLOW`; never `OPT_GLOBAL`: the runtime's sources define macros before their includes). A speed-up only: GCC falls back to the header when it does not fit.
   */
  readonly pch?: VerilatorPchUse;
  /**
   * ccache's effective sloppiness (`ccache --get-config sloppiness`: its config file or
   * CCACHE_SLOPPINESS), which a PCH build extends; default CCACHE_SLOPPINESS.
   */
  readonly ccacheSloppiness?: string;
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

/** The C++ level a build with `cppOpt` asks the makefile for (undefined: the makefile's own). */
export function effectiveCppOpt(cppOpt: VerilatorBuildInput['cppOpt']): VerilatorBuildInput['cppOpt'] {
  return cppOpt ?? cppOptFromEnv();
}

export function verilatorBuild(input: VerilatorBuildInput): Invocation {
  const style =
    input.style === 'binary'
      ? ['--binary']
      : ['--cc', '--exe', '--build', '--no-timing', ...(input.mainCpp === undefined ? [] : [input.mainCpp])];
  const cppOpt = effectiveCppOpt(input.cppOpt);
  const opt = userCflags(cppOpt);
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
      ...makeFlags(cppOpt, input.pch),
      ...defines,
      ...input.sources,
    ],
    env: buildEnv(input.objcache, input.pch !== undefined, input.ccacheSloppiness ?? process.env['CCACHE_SLOPPINESS']),
    cwd: input.cwd,
    aptPackage: APT,
  };
}

/**
 * `-MAKEFLAGS` (Verilator hands it to make through the shell). Verilator's makefile appends
 * OPT_FAST (-Os) after CFLAGS, so a requested level only holds when the makefile's own levels are
 * set too (a -O0 build was compiled at -Os).
 */
function makeFlags(cppOpt: VerilatorBuildInput['cppOpt'], pch: VerilatorPchUse | undefined): string[] {
  const levels = makeLevelOverrides(cppOpt);
  if (pch === undefined) return levels.length === 0 ? [] : ['-MAKEFLAGS', levels.join(' ')];
  const fast = `OPT_FAST='${`${pch.optFast} ${pchIncludeFlags(pch.header)}`.trim()}'`;
  // A PCH built at another level does not fit (GCC checks __OPTIMIZE__ and friends): slow files
  // at their own level get their own PCH, or none.
  const slowHeader = pch.optSlow === pch.optFast ? pch.header : pch.slowHeader;
  const slow = slowHeader === undefined ? [] : [`OPT_SLOW='${`${pch.optSlow} ${pchIncludeFlags(slowHeader)}`.trim()}'`];
  return ['-MAKEFLAGS', [fast, ...slow, ...levels.filter((l) => l.startsWith('OPT_GLOBAL='))].join(' ')];
}

/**
 * Verilator's makefiles honour OBJCACHE: with ccache, its runtime objects (the same in every
 * build) compile once per machine instead of once per design. ccache caches compiles that use a
 * PCH only with `pch_defines,time_macros` sloppiness (ccache manual, "Precompiled headers"),
 * added to the user's own (`own`: the variable replaces the config file's value, so it carries it).
 */
function buildEnv(objcache: string | undefined, pch: boolean, own: string | undefined): Record<string, string> {
  if (objcache === undefined) return {};
  if (!pch) return { OBJCACHE: objcache };
  return { OBJCACHE: objcache, CCACHE_SLOPPINESS: [...(own === undefined || own === '' ? [] : [own]), 'pch_defines', 'time_macros'].join(',') };
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
