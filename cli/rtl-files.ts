/** `--rtl FILE.v` (verify, lint): the user's own Verilog in place of the generated. */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from './io.ts';
import type { Port } from '../formats/port.ts';

/**
 * --rtl files must exist and be readable, and have distinct base names (they are copied side by
 * side into the simulator's run directory).
 */
export function checkRtlFiles(files: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const f of files) {
    let info;
    try {
      info = statSync(f);
    } catch (e) {
      throw new InputError(`--rtl ${f}`, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'check the path');
    }
    if (!info.isFile()) throw new InputError(`--rtl ${f}`, 'is not a regular file', 'give a Verilog file');
    const base = path.basename(f);
    const prev = seen.get(base);
    if (prev !== undefined) throw new InputError(`--rtl ${f}`, `has the same file name as --rtl ${prev}; the files are copied side by side, so one would replace the other`, 'rename one of them');
    seen.set(base, f);
  }
}

/** A top-level port the --rtl files must have: its name in the generated Verilog and width. */
export interface RtlPort extends Pick<Port, 'name' | 'width'> {
  readonly dir: 'input' | 'output';
}

/** What Verilator said about the --rtl files: warnings to show (the run goes on). */
export interface RtlLintReport {
  readonly warnings: readonly string[];
}

/**
 * Checks the --rtl files against the design's top-level ports with Verilator's linter (the
 * simulators only warn about a port of the wrong width, and the run then reports every vector
 * as a mismatch): a tiny wrapper instantiates `top` with wires of the design's widths. A port of
 * another width, a missing or extra port, a missing module or a parse error is an InputError
 * (exit 2). Warnings located in the user's files (INFINITELOOP, MULTIDRIVEN, ...) are returned
 * so the caller shows them instead of hiding them behind a PASS. Without Verilator on PATH the
 * check is skipped (undefined).
 */
export async function lintRtlPorts(files: readonly string[], top: string, ports: readonly RtlPort[]): Promise<RtlLintReport | undefined> {
  const dir = await mkdtemp(path.join(tmpdir(), 'npugen-rtl-check-'));
  try {
    const wrapper = path.join(dir, `${WRAPPER}.v`);
    await writeFile(wrapper, wrapperText(top, ports));
    let output: string;
    try {
      output = await runVerilatorLint([wrapper, ...files.map((f) => path.resolve(f))]);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return interpretLint(output, wrapper, files, top);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const WRAPPER = 'npugen_port_check';

function wrapperText(top: string, ports: readonly RtlPort[]): string {
  const wires = ports.map((p) => `  wire ${p.width > 1 ? `[${p.width - 1}:0] ` : ''}${p.name};`);
  const pins = ports.map((p) => `.${p.name}(${p.name})`).join(', ');
  return [`module ${WRAPPER};`, ...wires, `  ${top} dut (${pins});`, 'endmodule', ''].join('\n');
}

function runVerilatorLint(files: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('verilator', ['--lint-only', '-Wno-fatal', '--top-module', WRAPPER, ...files], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(err);
      resolve(`${stdout}${stderr}`);
    });
  });
}

/** Port problems (from the wrapper's lines) become one InputError; other %Error lines too. */
function interpretLint(output: string, wrapper: string, files: readonly string[], top: string): RtlLintReport {
  const lines = output.split('\n').filter((l) => l.startsWith('%'));
  const subject = `--rtl ${files.join(' ')}`;
  const problems: string[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const line of lines) {
    const inWrapper = line.includes(wrapper);
    let m: RegExpExecArray | null;
    if (inWrapper && (m = /port connection '(\w+)' expects (\d+) bits on the pin connection, but .* generates (\d+) bits/.exec(line))) {
      problems.push(`port '${m[1]}' is ${m[2]} bits wide in your RTL, the design's is ${m[3]}`);
    } else if (inWrapper && (m = /missing pin: '(\w+)'/.exec(line))) {
      problems.push(`your RTL has a port '${m[1]}' that the design does not have`);
    } else if (inWrapper && (m = /(?:Pin not found|Pin is not an in\/out[^:]*): '(\w+)'/.exec(line))) {
      problems.push(`your RTL has no port '${m[1]}'`);
    } else if (inWrapper && /Cannot find file containing module/.test(line)) {
      problems.push(`no module named '${top}' in the --rtl files (the top must have the design's name)`);
    } else if (line.startsWith('%Error') && !/Exiting due to|This may be because/.test(line)) {
      if (!inWrapper) errors.push(line.replace(/^%Error[-A-Z_]*: /, ''));
    } else if (line.startsWith('%Warning') && !inWrapper) {
      warnings.push(line.replace(/^%Warning-([A-Z_]+): (.*)$/, '$2 [$1]'));
    }
  }
  if (problems.length > 0) {
    throw new InputError(subject, `does not match the design's ports: ${[...new Set(problems)].join('; ')}`, 'give the top module the design\'s ports (names and widths, as in the generated Verilog: npugen gen)');
  }
  if (errors.length > 0) throw new InputError(subject, `Verilator cannot read it: ${errors.slice(0, 3).join('; ')}`, 'fix the Verilog (npugen lint --rtl shows every message)');
  return { warnings };
}
