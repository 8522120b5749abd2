/** Where the CLI writes; tests pass collectors instead of the process streams. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly isTty: boolean;
}

export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  isTty: Boolean(process.stderr.isTTY),
};

/** Exit codes: 0 success, 1 verification failure, 2 bad input or missing tool. */
export const EXIT = { ok: 0, mismatch: 1, badInput: 2 } as const;

/** Thrown by commands for bad arguments; the CLI prints it with usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
