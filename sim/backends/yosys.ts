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

/** How a miter is proved; see `yosysProveEquiv`. */
export type EquivMethod =
  /** Both sides combinational: one SAT call over all inputs. */
  | { readonly kind: 'combinational' }
  /**
   * Both sides feed-forward (no state feeds back), outputs a function of the last `latency` + 1
   * inputs: `latency` + 1 time frames from a free initial state, outputs compared at the last
   * frame only. Complete for such designs: every state reachable after `latency` cycles is covered.
   */
  | { readonly kind: 'pipeline'; readonly latency: number }
  /** Registers with feedback: k-induction from the all-zero state, k up to `maxSteps`. */
  | { readonly kind: 'induction'; readonly maxSteps: number };

export interface YosysEquivInput {
  /** The reference: Verilog sources (relative to `cwd`) and its top module. */
  readonly gold: { readonly sources: readonly string[]; readonly top: string };
  /** The design under proof; its top must have the same port names and widths as gold's (module names other than the tops must differ from gold's). */
  readonly gate: { readonly sources: readonly string[]; readonly top: string };
  readonly method: EquivMethod;
  readonly cwd: string;
  readonly script?: string;
  readonly command?: string;
}

/** The SAT flags of a proof method (the miter asserts gold outputs == gate outputs). */
function satFlags(method: EquivMethod): string {
  switch (method.kind) {
    case 'combinational':
      return '';
    case 'pipeline':
      return ` -seq ${method.latency + 1} -prove-skip ${method.latency}`;
    case 'induction':
      return ` -tempinduct -set-init-zero -maxsteps ${method.maxSteps}`;
  }
}

/**
 * An equivalence proof of two designs with yosys: an equivalence miter of gold and gate
 * (flattened), proved with its SAT solver. Exits non-zero with "proof did fail" and a
 * counterexample (inputs and outputs per time frame) when they differ.
 */
export function yosysProveEquiv(input: YosysEquivInput): Invocation {
  const script = input.script ?? 'prove.ys';
  // Each top is renamed right after it is read, so gold and gate may share a module name
  // (a hand-written block with the generated block's ports); other module names must differ.
  const lines = [
    ...input.gold.sources.map((s) => `read_verilog ${s}`),
    `rename ${input.gold.top} npugen_gold`,
    ...input.gate.sources.map((s) => `read_verilog ${s}`),
    `rename ${input.gate.top} npugen_gate`,
    'prep',
    'miter -equiv -flatten -make_assert -make_outputs npugen_gold npugen_gate npugen_miter',
    'hierarchy -top npugen_miter',
    'flatten',
    'opt -fast',
    `sat -verify -prove-asserts -show-ports${satFlags(input.method)} npugen_miter`,
    '',
  ];
  return {
    tool: 'yosys',
    command: input.command ?? 'yosys',
    args: ['-l', script.replace(/\.ys$/, '.log'), '-s', script],
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
