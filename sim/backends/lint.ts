/** Lint and synthesizability checks as data, for the emitter's tests. Pure functions. */
import type { Invocation } from './invocation.ts';

export interface LintInput {
  /** Verilog sources, relative to `cwd`. */
  readonly sources: readonly string[];
  readonly top: string;
  readonly cwd: string;
  /** Path or name of the tool (default `verilator` / `yosys`). */
  readonly command?: string;
}

/** `verilator --lint-only -Wall`: any warning fails (exit code ≠ 0). */
export function verilatorLint(input: LintInput): Invocation {
  return {
    tool: 'verilator',
    command: input.command ?? 'verilator',
    args: ['--lint-only', '-Wall', '--top-module', input.top, ...input.sources],
    env: {},
    cwd: input.cwd,
    aptPackage: 'verilator',
  };
}

/** The yosys script file written next to the sources (kept in the run directory for replay). */
export const YOSYS_SCRIPT = 'check.ys';

/**
 * Yosys generic synthesis then `check -assert` (fails on combinational loops, multiple
 * drivers, undriven wires used as inputs...) and an assertion that no latch was inferred. The script is an `Invocation` file.
 */
export function yosysCheck(input: LintInput): Invocation {
  const reads = input.sources.map((s) => `read_verilog ${s}`);
  // `check` does not look for latches; after synth any latch is a $_DLATCH_* cell.
  const script = [...reads, `synth -top ${input.top}`, 'check -assert', 'select -assert-none t:$dlatch t:$_DLATCH_*', ''].join('\n');
  return {
    tool: 'yosys',
    command: input.command ?? 'yosys',
    args: ['-q', '-s', YOSYS_SCRIPT],
    env: {},
    cwd: input.cwd,
    aptPackage: 'yosys',
    files: [{ path: YOSYS_SCRIPT, content: script }],
  };
}
