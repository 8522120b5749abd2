/**
 * The npugen command line. Thin: parses arguments, calls the library, prints, and maps
 * outcomes to exit codes (cli/io.ts EXIT: 0 success, 1 verification failure, 2 bad input or
 * missing tool, 3 internal error). `--debug` anywhere on the line (or NPUGEN_DEBUG=1) adds the
 * stack trace to an internal error.
 */
// Start-up cost is what this file imports: keep it to these three small leaf modules. Commands,
// and the error path (report-error.ts, with the error classes it recognizes), load on demand.
import { NPUGEN_VERSION } from '../dsl/version.ts';
import { EXIT, UsageError, processIo, type CliIo } from './io.ts';
import { suggestion } from './did-you-mean.ts';

const HELP = `npugen ${NPUGEN_VERSION}: design and verify quantized NPU datapaths

Usage:
  npugen demo [--sim verilator|icarus|builtin] [--tile RxC] [--onnx FILE]
                                    train a digits MLP, quantize it (int8/int4), run it on generated
                                    gemm_tile hardware and check every output against the golden model;
                                    --onnx writes the int8 model as ONNX: FILE (QOperator), FILE.qdq.onnx
  npugen gen <design> -o DIR [--vectors N] [--seed S] [--force] [--no-locations]
                                    write into DIR: <module>.v per module, <name>_tb.v (self-checking
                                    testbench; plusargs in its header) with <name>_stim.hex/_exp.hex,
                                    <name>.f (file list), <name>.core (FuseSoC), <name>.ts (typed bindings);
                                    files npugen did not write (or you edited) are kept unless --force;
                                    --allow-large: past the array budget; --progress: estimate and phases
  npugen lint <design> [--rtl FILE.v]  verilator --lint-only -Wall and yosys check -assert (no latches)
  npugen synth <design> [options]   yosys resource counts (LUT/FF/DSP/BRAM) and nextpnr-ice40 Fmax
      --target generic|ice40 [--dsp]      default: generic, ice40 and ice40 -dsp
      --device up5k|hx8k                  nextpnr device (default up5k); --no-pnr skips place and route
      --verify [--sim icarus|verilator|all] [--vectors N]
                                          simulate each gate-level netlist against the golden model
      --json                              machine-readable output
      --allow-large  --progress           past the array budget (as verify) / print estimate and phases
      --keep-run                          keep each configuration's run directory (netlist, logs)
  npugen verify <design> [options]  co-simulate the RTL and compare every output
      --sim builtin|icarus|verilator|all   simulators (default all that are installed)
      --vectors N  --seed S               random stimulus (default 1000 vectors, seed 1)
      --corners  --exhaustive             add corner-case vectors / every input combination (<= 2^16)
      --junit FILE                        write a JUnit XML report
      --vcd FILE                          on a mismatch, a waveform around the first failure (Icarus)
      --max-mismatches N                  detailed mismatch records per simulator (default 10)
      --rtl FILE.v                        check your own RTL (same ports) instead of the generated
      --stimulus FILE                     exactly these input rows (CSV or JSONL, a column per input
                                          port, decimal or 0x codes; docs/cosim.md) instead of drawn ones
      --expected FILE                     with --stimulus: check against these output rows, and report
                                          where the golden model disagrees with them
      --timeout SECONDS                   stop a simulator (compile or run) that takes longer (exit 2)
      --keep-run                          keep the run directories of a passing run (a failing run's are
                                          always kept and named; Ctrl-C removes them)
      --allow-large                       run past the resource budget (2 GB disk, 2 GB memory, 1 h)
  npugen run MODEL.onnx [options]  run a quantized ONNX model on generated gemm_tile hardware; check every
                                    layer against the golden model and onnxruntime (docs/onnx.md)
      --input NAME=FILE.npy               an input tensor (repeat per input)
      --random N  --seed S                N random input sets (floats uniform in [-1, 1]; default seed 1)
      --sim builtin|icarus|verilator      simulator (default verilator)
      --tile RxC                          gemm_tile shape (default 8x8)
      --json                              one JSON object on stdout
  npugen explore SWEEP.yaml -o DIR [--jobs N] [--shard i/n] [--only ID] [--no-cache] [--quick] [--timeout-min M]
                                    accuracy, area, Fmax, cycles, bytes and energy per precision/tile
                                    point, each run on RTL and its gate-level netlist (docs/explore.md);
                                    --quick: built-in simulator, no synthesis (seconds, not verified RTL);
                                    report files npugen did not write are kept unless --force
  npugen explore merge DIR... -o OUT [--force]  merge shard outputs into one report
  npugen conformance FILE.jsonl     run numeric vectors (schema: test/data/SCHEMA.md) on the golden model
  npugen --help | --version

A <design> is a YAML file (generator, name, params) or a .ts module whose default export is a design.
Options for every command: --debug (an internal error prints its stack trace)
Exit codes: 0 success, 1 verification failure, 2 bad input or missing tool (the message says what
to fix), 3 internal error (a bug: please report it), 130 interrupted (docs/reliability.md).`;

const COMMANDS = ['demo', 'gen', 'lint', 'synth', 'verify', 'run', 'explore', 'conformance'];

export async function runCli(args: readonly string[], io: CliIo = processIo): Promise<number> {
  const debug = args.includes('--debug') || process.env.NPUGEN_DEBUG === '1';
  const argv = args.filter((a) => a !== '--debug');
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined: case '--help': case '-h': case 'help':
        io.out(HELP);
        return cmd === undefined ? EXIT.badInput : EXIT.ok;
      case '--version': case '-V':
        io.out(NPUGEN_VERSION);
        return EXIT.ok;
      // Commands load on demand: `gen` pulls in ts-morph (the TypeScript compiler), `verify` the
      // golden models and simulators, and none of it is needed by `--version` or another command.
      // A new command is one more case here importing its own module.
      case 'gen':
        return await (await import('./commands/gen.ts')).runGen(rest, io);
      case 'lint':
        return await (await import('./commands/lint.ts')).runLint(rest, io);
      case 'synth':
        return await (await import('./commands/synth.ts')).runSynth(rest, io);
      case 'verify':
        return await (await import('./commands/verify.ts')).runVerify(rest, io);
      case 'conformance':
        return await (await import('./commands/conformance.ts')).runConformanceCommand(rest, io);
      case 'run':
        return await (await import('./commands/run.ts')).runRunCommand(rest, io);
      case 'explore':
        return await (await import('./commands/explore.ts')).runExploreCommand(rest, io);
      case 'demo':
        return await (await import('./commands/demo.ts')).runDemoCommand(rest, io);
      default:
        throw new UsageError(`unknown command '${cmd}'${suggestion(cmd, COMMANDS)}`);
    }
  } catch (e) {
    return await (await import('./report-error.ts')).reportError(e, io, debug);
  }
}
