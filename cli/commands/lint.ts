/**
 * `npugen lint <design> [--rtl FILE.v ...]`: `verilator --lint-only -Wall` (any warning
 * fails) and yosys `synth; check -assert` with no latches on the generated RTL (or on the
 * given files, top = the design's top). Prints PASS/FAIL per tool with the tool's output.
 * Exit 0 all pass, 1 a check failed, 2 bad input or a tool missing (with the apt package).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { emitVerilog } from '../../generators/verilog/emit.ts';
import { lintRtl, type LintFile, type LintOutcome } from '../../sim/lint.ts';
import { loadDesign } from '../design-file.ts';
import { EXIT, UsageError, type CliIo } from '../io.ts';
import { checkRtlFiles } from '../rtl-files.ts';

export async function runLint(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { rtl: { type: 'string', multiple: true } },
  });
  if (positionals.length !== 1) throw new UsageError('lint takes one design file: npugen lint <design> [--rtl FILE.v ...]');
  if (values.rtl) checkRtlFiles(values.rtl);
  const { design } = await loadDesign(positionals[0]!);
  const files: LintFile[] = values.rtl
    ? await Promise.all(values.rtl.map(async (f) => ({ fileName: path.basename(f), text: await readRtl(f) })))
    : emitVerilog(design).map((f) => ({ fileName: f.fileName, text: f.text }));
  const outcomes = await lintRtl(files, design.top);
  io.out(formatLintReport(design.top, outcomes));
  return outcomes.every((o) => o.passed) ? EXIT.ok : EXIT.mismatch;
}

async function readRtl(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--rtl ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

const CHECKS: Readonly<Record<LintOutcome['tool'], string>> = {
  verilator: 'verilator --lint-only -Wall',
  yosys: 'yosys synth; check -assert; no latches',
};

/** One block per tool: `<tool>: PASS|FAIL (<check>)`, then the tool's output indented. */
export function formatLintReport(top: string, outcomes: readonly LintOutcome[]): string {
  const lines = [`lint ${top}`];
  for (const o of outcomes) {
    lines.push(`  ${o.tool}: ${o.passed ? 'PASS' : 'FAIL'} (${CHECKS[o.tool]})`);
    const output = o.output.trim();
    if (output) for (const l of output.split('\n')) lines.push(`    ${l}`);
  }
  const failed = outcomes.filter((o) => !o.passed).map((o) => o.tool);
  lines.push(failed.length === 0 ? 'lint: PASS' : `lint: FAIL (${failed.join(', ')})`);
  return lines.join('\n');
}
