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

/** Every latch cell type, coarse (after proc) and fine. */
export const LATCH_CELLS = 't:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_* t:$_DLATCHSR_*';

/**
 * Yosys coarse-grain synthesis (`synth -noshare -run :fine`: hierarchy, proc, flatten, opt,
 * wreduce, alumacc, memory) then `check -assert` (fails on combinational loops, multiple
 * drivers, undriven wires used as inputs...) and an assertion that no latch was inferred.
 * The script is an `Invocation` file.
 *
 * Why coarse and without `share`: the checks above only need the coarse netlist (latches are
 * `$dlatch` cells from proc_dlatch), while the fine steps (techmap, abc) cost most of the time
 * and the SAT-based `share` pass ran for more than 10 minutes on an fp4 `mx_dot` (it tries every
 * pair of multipliers and shifters under exclusive muxes). Mapping to gates is checked where it
 * is the point: `npugen synth` and its tests (every netlist simulated against the golden model).
 */
export function yosysCheck(input: LintInput): Invocation {
  const reads = input.sources.map((s) => `read_verilog ${s}`);
  const script = [...reads, `synth -top ${input.top} -noshare -run :fine`, 'check -assert', `select -assert-none ${LATCH_CELLS}`, ''].join('\n');
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
