/**
 * A FuseSoC CAPI2 core (`<name>.core`) for the generated files: fileset `rtl` (the modules,
 * children first) and `tb` (the self-checking testbench and its vector files); target
 * `default` (the RTL, toplevel the design's top, lint with Verilator) and `sim` (RTL + TB,
 * toplevel the testbench's clock wrapper, Icarus by default; the testbench's plusargs are
 * core parameters with the generated vector files as defaults).
 */
import { stringify } from 'yaml';
import { VERILATOR_WORKAROUNDS } from '../verilator-flags.ts';

export interface CoreInput {
  /** Design name; becomes the core's VLNV `npugen:generated:<name>:<version>`. */
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** The design's top module. */
  readonly top: string;
  readonly rtlFiles: readonly string[];
  /** Present when a testbench was generated. */
  readonly testbench?: {
    readonly file: string;
    /** The simulation top (the clock wrapper around the testbench). */
    readonly top: string;
    readonly stimFile: string;
    readonly expFile: string;
    readonly vectors: number;
  };
}

/** The `.core` text: `CAPI=2:` followed by the YAML mapping. */
export function fusesocCore(input: CoreInput): string {
  const filesets: Record<string, unknown> = {
    rtl: { files: [...input.rtlFiles], file_type: 'verilogSource' },
  };
  const targets: Record<string, unknown> = {
    default: {
      filesets: ['rtl'],
      toplevel: input.top,
      default_tool: 'verilator',
      tools: { verilator: { mode: 'lint-only', verilator_options: ['-Wall'] } },
    },
  };
  const core: Record<string, unknown> = {
    name: `npugen:generated:${input.name}:${input.version}`,
    description: input.description,
    filesets,
    targets,
  };
  const tb = input.testbench;
  if (tb) {
    filesets['tb'] = {
      files: [
        tb.file,
        // copyto puts the vector files into the simulator's working directory.
        { [tb.stimFile]: { file_type: 'user', copyto: tb.stimFile } },
        { [tb.expFile]: { file_type: 'user', copyto: tb.expFile } },
      ],
      file_type: 'verilogSource',
    };
    targets['sim'] = {
      filesets: ['rtl', 'tb'],
      toplevel: tb.top,
      default_tool: 'icarus',
      parameters: ['vectors', 'stim', 'exp', 'result'],
      tools: {
        icarus: { iverilog_options: ['-g2005'] },
        // The testbench's clock wrapper uses `always #5`: Verilator needs --timing. The
        // workaround flags keep a known Verilator miscompilation out (sim/backends/verilator.ts).
        verilator: { mode: 'binary', verilator_options: ['--binary', '--timing', '-Wno-fatal', ...VERILATOR_WORKAROUNDS] },
      },
    };
    core['parameters'] = {
      vectors: { datatype: 'int', default: tb.vectors, paramtype: 'plusarg', description: 'number of vectors to apply and check' },
      stim: { datatype: 'str', default: tb.stimFile, paramtype: 'plusarg', description: 'stimulus file ($readmemh hex, one row per vector)' },
      exp: { datatype: 'str', default: tb.expFile, paramtype: 'plusarg', description: 'expected-output file ($readmemh hex)' },
      result: { datatype: 'str', default: 'result.txt', paramtype: 'plusarg', description: 'result file the testbench writes (S line: counts; M lines: mismatches)' },
    };
  }
  return `CAPI=2:\n${stringify(core, { lineWidth: 0 })}`;
}
