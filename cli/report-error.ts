/**
 * The CLI's one error path: every thrown error becomes a message and an exit code (cli/io.ts
 * EXIT). Known user-facing errors (bad flags, files, keys, designs, missing tools, file-system
 * problems) print their message and exit 2; anything else is a bug in npugen and prints one
 * line asking for a report (the stack only with `--debug`), exit 3. Loaded only when a command
 * failed, so start-up does not pay for the error classes of every subsystem.
 */
import { NPUGEN_VERSION } from '../dsl/version.ts';
import { EXIT, InputError, UsageError, type CliIo } from './io.ts';
import { fsInputError, isErrnoError } from './fs-errors.ts';

/** Where bug reports go (the message names it so a user knows what to do). */
export const BUG_REPORT = 'please report it with the command you ran';

export async function reportError(e: unknown, io: CliIo, debug: boolean): Promise<number> {
  const code = await userErrorExit(e, io);
  if (code !== undefined) return code;
  io.err(internalErrorLine(e, debug));
  if (debug && e instanceof Error && e.stack) io.err(e.stack);
  return EXIT.internal;
}

/** One line: what happened and what to do about it. */
export function internalErrorLine(e: unknown, debug: boolean): string {
  const first = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n')[0]!.slice(0, 300);
  return `npugen: internal error (a bug in npugen ${NPUGEN_VERSION}): ${first}; ${BUG_REPORT}${debug ? '' : ' (rerun with --debug for the stack trace)'}`;
}

/** The exit code for a user-facing error after printing it, or undefined for an internal one. */
async function userErrorExit(e: unknown, io: CliIo): Promise<number | undefined> {
  const bad = (text: string): number => {
    io.err(text);
    return EXIT.badInput;
  };
  if (e instanceof UsageError) return bad(`npugen: ${e.message}\nRun 'npugen --help' for usage.`);
  if (e instanceof InputError) return bad(`npugen: ${e.message}`);
  if (e instanceof Error && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS_')) {
    return bad(`npugen: ${e.message.replace(/\n/g, ' ')}\nRun 'npugen --help' for usage.`);
  }
  // Loaded here, not at start-up; a command that threw one of these has loaded its module already.
  const [{ DesignError, formatDiagnostic }, runner, design, { VerifyInputError }, { StimulusError }, { VectorFileError }, conf, { ConformanceInputError }, { ParamError }, { UnknownGeneratorError }] = await Promise.all([
    import('../dsl/diagnostics/diagnostic.ts'), import('../sim/runner.ts'), import('./design-file.ts'),
    import('../sim/cosim/verify.ts'), import('../sim/cosim/stimulus.ts'), import('./vector-file.ts'),
    import('../sim/golden/conformance/run.ts'), import('../sim/golden/conformance/types.ts'),
    import('../dsl/npu/params.ts'), import('../catalog/index.ts'),
  ]);
  if (e instanceof DesignError) return bad(e.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  const plain = [
    VerifyInputError, StimulusError, VectorFileError, design.DesignFileError, design.DesignNameError,
    runner.ToolNotFoundError, runner.ToolFailedError, runner.ToolTimeoutError,
    conf.ConformanceParseError, ConformanceInputError, ParamError, UnknownGeneratorError,
  ];
  if (plain.some((cls) => e instanceof cls)) return bad(`npugen: ${(e as Error).message}`);
  const onnx = await onnxErrorClasses();
  if (onnx.some((cls) => e instanceof cls)) return bad(`npugen: ${(e as Error).message}`);
  if (isErrnoError(e) && e.syscall !== undefined) return bad(`npugen: ${fsInputError(e).message}`);
  return undefined;
}

/** The ONNX front end's error classes, only when it is loaded (it pulls in protobuf decoding). */
async function onnxErrorClasses(): Promise<readonly (abstract new (...a: never[]) => Error)[]> {
  const [{ OnnxModelError }, { OnnxTensorError }, { NpyError }, { OrtError }] = await Promise.all([
    import('../onnx/model.ts'), import('../onnx/tensor.ts'), import('../onnx/npy.ts'), import('../onnx/ort.ts'),
  ]);
  return [OnnxModelError, OnnxTensorError, NpyError, OrtError];
}
