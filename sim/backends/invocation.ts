/**
 * A tool invocation as plain data: back ends describe what to run, only `sim/runner.ts`
 * runs it. Paths in `args` are relative to `cwd` where possible so that identical builds in
 * different run directories hash identically (see the compile cache in the runner).
 */
export interface Invocation {
  /** Short tool name for messages and logs, e.g. `iverilog`, `vvp`, `verilator`, `simulator`. */
  readonly tool: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Extra environment variables (the parent environment is inherited). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Debian/Ubuntu package providing `command`, for the install hint when it is missing. */
  readonly aptPackage?: string;
  /** Files (path relative to `cwd`) the runner writes before running, e.g. a yosys script. */
  readonly files?: readonly InvocationFile[];
}

export interface InvocationFile {
  readonly path: string;
  readonly content: string;
}

/** Renders an invocation as one POSIX shell line (for replay scripts and error messages). */
export function shellLine(inv: Invocation): string {
  const env = Object.entries(inv.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return [...env, shellQuote(inv.command), ...inv.args.map(shellQuote)].join(' ');
}

/** Quotes a word for POSIX sh only when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
