/** `npugen conformance FILE.jsonl`: runs numeric vectors (test/data/SCHEMA.md) against the golden library. */
import { readFile, stat } from 'node:fs/promises';
import { parseConformanceFile, runConformance, conformanceExitCode, formatConformanceReport } from '../../sim/golden/conformance/run.ts';
import { InputError, UsageError, type CliIo } from '../io.ts';
import { fsInputError, isErrnoError } from '../fs-errors.ts';

/**
 * Largest conformance file read (docs/reliability.md): the file is parsed in memory, and a
 * JavaScript string holds at most ~512 MiB. Larger suites are split into several files.
 */
export const MAX_CONFORMANCE_BYTES = 256 * 1024 * 1024;

export async function runConformanceCommand(args: readonly string[], io: CliIo): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) throw new UsageError('conformance takes one file: npugen conformance FILE.jsonl');
  const text = await readConformanceFile(file);
  const lines = parseConformanceFile(text, file);
  if (lines.length === 0) throw new InputError(file, 'has no test vectors, so nothing would be checked', 'give a JSONL file with one vector per line (schema: test/data/SCHEMA.md)');
  const result = runConformance(lines);
  io.out(formatConformanceReport(result));
  return conformanceExitCode(result);
}

async function readConformanceFile(file: string): Promise<string> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new InputError(file, 'is a directory', 'give a .jsonl file');
    if (info.size > MAX_CONFORMANCE_BYTES) {
      throw new InputError(file, `is ${(info.size / 2 ** 20).toFixed(0)} MiB; conformance files are read whole, at most ${MAX_CONFORMANCE_BYTES / 2 ** 20} MiB`, 'split it into several files (any line boundary works)');
    }
    return await readFile(file, 'utf8');
  } catch (e) {
    if (isErrnoError(e)) throw fsInputError(e, file);
    throw e;
  }
}
