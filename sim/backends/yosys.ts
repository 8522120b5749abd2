/**
 * Yosys synthesis as data (pure functions): a script file plus the `yosys` invocation that
 * runs it. Targets:
 * - `generic`: `synth -flatten -lut 4` (technology-independent 4-input LUTs and `$_*_` flip-flops);
 * - `ice40`: `synth_ice40` (SB_LUT4, SB_CARRY, SB_DFF*), with `-dsp` also SB_MAC16.
 * Every run writes `stat -json` (resource counts), a flat netlist with `write_verilog -noattr`
 * (for gate-level simulation against the golden model) and, for ice40, the JSON netlist
 * nextpnr reads.
 */
import type { Invocation } from './invocation.ts';

export type SynthTarget = 'generic' | 'ice40';

export interface YosysSynthInput {
  /** Verilog sources, relative to `cwd`, children first. */
  readonly sources: readonly string[];
  readonly top: string;
  readonly target: SynthTarget;
  /** ice40 only: map multipliers to SB_MAC16. */
  readonly dsp?: boolean;
  readonly cwd: string;
  /** Outputs, relative to `cwd`. */
  readonly statJson: string;
  readonly netlist?: string;
  /** ice40 only: the JSON netlist for nextpnr. */
  readonly json?: string;
  /** Script file name (default `synth.ys`). */
  readonly script?: string;
  /** Path or name of `yosys`. */
  readonly command?: string;
}

const APT = 'yosys';

export function yosysVersion(cwd: string, command = 'yosys'): Invocation {
  return { tool: 'yosys', command, args: ['-V'], env: {}, cwd, aptPackage: APT };
}

/** `yosys-config --datdir`: where the cell simulation models live (not in every package). */
export function yosysDatdir(cwd: string, command = 'yosys-config'): Invocation {
  return { tool: 'yosys-config', command, args: ['--datdir'], env: {}, cwd, aptPackage: 'yosys-dev' };
}

/** The synthesis command of a target, as it appears in the script. */
export function synthCommand(target: SynthTarget, top: string, dsp: boolean, json?: string): string {
  if (target === 'generic') {
    if (dsp) throw new Error('yosys: -dsp applies to the ice40 target only');
    return `synth -flatten -top ${top} -lut 4`;
  }
  return `synth_ice40 -top ${top}${dsp ? ' -dsp' : ''}${json !== undefined ? ` -json ${json}` : ''}`;
}

export function yosysSynth(input: YosysSynthInput): Invocation {
  if (input.target === 'generic' && input.json !== undefined) throw new Error('yosys: a JSON netlist for nextpnr needs the ice40 target');
  const script = input.script ?? 'synth.ys';
  const lines = [
    ...input.sources.map((s) => `read_verilog ${s}`),
    synthCommand(input.target, input.top, input.dsp ?? false, input.json),
    `tee -q -o ${input.statJson} stat -json`,
    ...(input.netlist !== undefined ? [`write_verilog -noattr ${input.netlist}`] : []),
    '',
  ];
  return {
    tool: 'yosys',
    command: input.command ?? 'yosys',
    args: ['-q', '-l', script.replace(/\.ys$/, '.log'), '-s', script],
    env: {},
    cwd: input.cwd,
    aptPackage: APT,
    files: [{ path: script, content: lines.join('\n') }],
  };
}

/**
 * Cell simulation models a target's netlist needs, relative to yosys's data directory:
 * `ice40/cells_sim.v` for SB_* cells; `simcells.v` (`$_*_` gates and flip-flops) and
 * `simlib.v` (`$lut` and the other coarse cells) for the generic netlist.
 */
export function cellModelPaths(target: SynthTarget): readonly string[] {
  return target === 'ice40' ? ['ice40/cells_sim.v'] : ['simcells.v', 'simlib.v'];
}
