/** `npugen conformance FILE.jsonl`: runs numeric vectors (test/data/SCHEMA.md) against the golden library. */
import { readFile } from 'node:fs/promises';
import { parseConformanceFile, runConformance, conformanceExitCode, formatConformanceReport, ConformanceParseError } from '../../sim/golden/conformance/run.ts';
import { EXIT, UsageError, type CliIo } from '../io.ts';

export async function runConformanceCommand(args: readonly string[], io: CliIo): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) throw new UsageError('conformance takes one file: npugen conformance FILE.jsonl');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    io.err(`npugen: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return EXIT.badInput;
  }
  let lines;
  try {
    lines = parseConformanceFile(text, file);
  } catch (e) {
    if (e instanceof ConformanceParseError) {
      io.err(`npugen: ${e.message}`);
      return EXIT.badInput;
    }
    throw e;
  }
  const result = runConformance(lines);
  io.out(formatConformanceReport(result));
  return conformanceExitCode(result);
}
