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

/**
 * Exit codes (README, docs/reliability.md): 0 success, 1 verification failure (a mismatch),
 * 2 bad input, unusable environment or missing tool (the message says what and how to fix it),
 * 3 internal error (a bug in npugen: one line asking for a report; `--debug` adds the stack),
 * 130 interrupted (Ctrl-C / SIGINT), 143 terminated (SIGTERM).
 */
export const EXIT = { ok: 0, mismatch: 1, badInput: 2, internal: 3, interrupted: 130, terminated: 143 } as const;

/** Thrown by commands for bad arguments; the CLI prints it with usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * A user mistake or an unusable environment that is not a verification failure (exit 2).
 * `subject` names the flag, key, file or tool; `problem` says what is wrong or what was
 * expected; `fix` how to fix it. Printed as `npugen: SUBJECT: PROBLEM; FIX`.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(readonly subject: string, readonly problem: string, readonly fix?: string) {
    super(`${subject}: ${problem}${fix ? `; ${fix}` : ''}`);
  }
}
