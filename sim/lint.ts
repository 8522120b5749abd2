/**
 * Lint and synthesizability checks of generated RTL: `verilator --lint-only -Wall` (any
 * warning fails) and yosys `synth; check -assert` with no latches. Writes the sources into a
 * run directory and runs both through the runner.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verilatorLint, yosysCheck } from './backends/lint.ts';
import { prepareRunDir, runInvocation, ToolFailedError } from './runner.ts';

export interface LintFile {
  readonly fileName: string;
  readonly text: string;
}

export interface LintOutcome {
  readonly tool: 'verilator' | 'yosys';
  readonly passed: boolean;
  /** The tool's output tail when it failed. */
  readonly output: string;
}

export async function lintRtl(files: readonly LintFile[], top: string, runDir?: string): Promise<LintOutcome[]> {
  const dir = await prepareRunDir(runDir);
  await mkdir(dir, { recursive: true });
  for (const f of files) await writeFile(join(dir, f.fileName), f.text);
  const sources = files.map((f) => f.fileName);
  const out: LintOutcome[] = [];
  for (const [tool, inv] of [['verilator', verilatorLint({ sources, top, cwd: dir })], ['yosys', yosysCheck({ sources, top, cwd: dir })]] as const) {
    try {
      await runInvocation(inv, { logFile: join(dir, `${tool}.log`) });
      out.push({ tool, passed: true, output: '' });
    } catch (e) {
      if (!(e instanceof ToolFailedError)) throw e;
      out.push({ tool, passed: false, output: e.outputTail });
    }
  }
  return out;
}
