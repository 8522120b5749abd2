/**
 * A precompiled `verilated.h` for Verilator model builds, as data. Every model file and npugen's
 * C++ main start by parsing `verilated.h` (about 0.8 s of g++ each at -O0); with a GCC precompiled
 * header given by `-include DIR/verilated.h` that drops to a load (measured: the model's `__ALL.cpp`
 * 1.38 -> 0.50 s, the main 1.0 -> 0.35 s, identical object code).
 *
 * GCC uses a `.gch` only when it is reached through `-include` on the command line, and only when
 * the compile's flags match the ones it was built with, so the PCH is compiled with exactly the
 * flags Verilator's makefile uses for the model files (`$(CXX) $(CXXFLAGS) $(CPPFLAGS) $(OPT_FAST)`),
 * read from the makefile of a tiny model built the same way (`verilatorPchProbe`), never assumed.
 * `DIR/verilated.h` is a symlink to the real header: the generated headers include it again
 * (the include guard skips it), and GCC falls back to it when the `.gch` does not fit.
 */
import type { Invocation } from './invocation.ts';
import type { VerilatorBuildInput } from './verilator.ts';

/** What a model build needs to use a PCH: the `-include` header and the makefile's levels it was built for. */
export interface VerilatorPchUse {
  /** Absolute path of `DIR/verilated.h` (the symlink beside `DIR/verilated.h.gch`). */
  readonly header: string;
  /** The makefile's `OPT_FAST` of this build (the flags the PCH was compiled with end with it). */
  readonly optFast: string;
  /** The makefile's `OPT_SLOW` of this build. */
  readonly optSlow: string;
  /**
   * A second PCH for the slow files (`OPT_SLOW`) when their level differs from `OPT_FAST` (the
   * makefile's default: -Os fast, the -CFLAGS level slow), as `header` is for the fast ones.
   */
  readonly slowHeader?: string;
}

/** The makefile variables of a model build that a compile of a model file uses. */
export interface VerilatorMakeVars {
  readonly cxx: string;
  readonly cxxflags: string;
  readonly cppflags: string;
  readonly optFast: string;
  readonly optSlow: string;
  readonly root: string;
}

export const PCH_PROBE_TOP = 'npugen_pch_probe';

/** A tiny design per build style: `binary` must use timing (as the clock wrapper does) for the same flags. */
export function pchProbeSource(style: VerilatorBuildInput['style']): string {
  return style === 'binary'
    ? `module ${PCH_PROBE_TOP}; initial begin #1 $finish; end endmodule\n`
    : `module ${PCH_PROBE_TOP}(input clk); endmodule\n`;
}

/** The makefile level overrides a build passes (`-MAKEFLAGS`), as `NAME=value` words; none for the default level. */
export function makeLevelOverrides(cppOpt: VerilatorBuildInput['cppOpt']): string[] {
  return cppOpt === undefined ? [] : [`OPT_FAST=${cppOpt}`, `OPT_SLOW=${cppOpt}`, `OPT_GLOBAL=${cppOpt}`];
}

/** `-CFLAGS` of a build: `-O1` unless a level is asked for (see `verilatorBuild`). */
export function userCflags(cppOpt: VerilatorBuildInput['cppOpt']): string {
  return cppOpt ?? '-O1';
}

const MARK = 'NPUGEN_MAKEVAR ';

/**
 * The two probe steps, run in `cwd` (which must hold `${PCH_PROBE_TOP}.v`): Verilate the tiny
 * design with the style's options (no C++ build), then have its makefile print the variables.
 */
export function verilatorPchProbe(input: {
  readonly verilator?: string;
  readonly style: VerilatorBuildInput['style'];
  readonly cppOpt: VerilatorBuildInput['cppOpt'];
  readonly cwd: string;
}): { readonly verilate: Invocation; readonly printVars: Invocation } {
  // `--binary` always builds; it is `--main --exe --build --timing`, so probe without `--build`.
  const style = input.style === 'binary' ? ['--cc', '--main', '--exe', '--timing'] : ['--cc', '--exe', '--no-timing'];
  const mk = `V${PCH_PROBE_TOP}.mk`;
  const vars: [string, string][] = [['cxx', 'CXX'], ['cxxflags', 'CXXFLAGS'], ['cppflags', 'CPPFLAGS'], ['optFast', 'OPT_FAST'], ['optSlow', 'OPT_SLOW'], ['root', 'VERILATOR_ROOT']];
  const recipe = vars.map(([key, name]) => `$(info ${MARK}${key}=$(${name}))`).join('');
  return {
    verilate: {
      tool: 'verilator', command: input.verilator ?? 'verilator', cwd: input.cwd, env: {}, aptPackage: 'verilator',
      args: [...style, '-Wno-fatal', '--top-module', PCH_PROBE_TOP, '--Mdir', 'obj_dir', '-CFLAGS', userCflags(input.cppOpt), `${PCH_PROBE_TOP}.v`],
    },
    printVars: {
      tool: 'make', command: 'make', cwd: input.cwd, env: {}, aptPackage: 'make',
      args: ['-s', '-C', 'obj_dir', '-f', mk, ...makeLevelOverrides(input.cppOpt), '--eval', `npugen-makevars:;${recipe}`, 'npugen-makevars'],
    },
  };
}

/** Parses `printVars` output; undefined when a variable is missing (an unexpected makefile). */
export function parseMakeVars(output: string): VerilatorMakeVars | undefined {
  const found = new Map<string, string>();
  for (const line of output.split('\n')) {
    if (line.startsWith(MARK)) {
      const body = line.slice(MARK.length);
      const eq = body.indexOf('=');
      found.set(body.slice(0, eq), body.slice(eq + 1).trim());
    }
  }
  const get = (k: string) => found.get(k);
  const [cxx, cxxflags, cppflags, optFast, optSlow, root] = ['cxx', 'cxxflags', 'cppflags', 'optFast', 'optSlow', 'root'].map(get);
  if (cxx === undefined || cxx === '' || cxxflags === undefined || cppflags === undefined || optFast === undefined || optSlow === undefined || root === undefined || root === '') return undefined;
  return { cxx, cxxflags, cppflags, optFast, optSlow, root };
}

function words(s: string): string[] {
  return s.split(/\s+/).filter((w) => w !== '');
}

/** `<CXX> --version`: part of what a PCH is valid for (a compiler upgrade invalidates it). */
export function cxxVersion(vars: VerilatorMakeVars, cwd: string): Invocation {
  const [command = 'g++', ...pre] = words(vars.cxx);
  return { tool: 'c++', command, args: [...pre, '--version'], env: {}, cwd };
}

/**
 * Compiles `<root>/include/verilated.h` to `output` with the flags of the model's fast (or slow)
 * files: the makefile's `$(CXX) $(CXXFLAGS) $(CPPFLAGS) $(OPT_FAST)` (or `$(OPT_SLOW)`), minus
 * dependency-file flags, which only write a `.d`.
 */
export function pchCompile(vars: VerilatorMakeVars, output: string, cwd: string, kind: 'fast' | 'slow' = 'fast'): Invocation {
  const [command = 'g++', ...pre] = words(vars.cxx);
  const level = kind === 'fast' ? vars.optFast : vars.optSlow;
  const flags = [...words(vars.cxxflags), ...words(vars.cppflags), ...words(level)].filter((w) => w !== '-MMD' && w !== '-MP');
  return {
    tool: 'c++', command, cwd, env: {},
    args: [...pre, ...flags, '-x', 'c++-header', `${vars.root}/include/verilated.h`, '-o', output],
  };
}

/** Whether a `--version` output is GCC's (clang's PCH works differently: it is skipped). */
export function isGcc(versionOutput: string): boolean {
  return !/clang/i.test(versionOutput) && /\bg\+\+|\bgcc\b|Free Software Foundation/i.test(versionOutput);
}

/** The flags a model file gets to use the PCH; `-Winvalid-pch` makes GCC say when it cannot. */
export function pchIncludeFlags(header: string): string {
  return `-include ${header} -Winvalid-pch`;
}
