/**
 * File-system failures (EACCES, ENOSPC, ENAMETOOLONG, ...) as user-facing InputErrors (exit 2):
 * they are about the user's paths or machine, never a bug in npugen.
 */
import { InputError } from './io.ts';

const WHY: Readonly<Record<string, readonly [problem: string, fix: string]>> = {
  ENOENT: ['does not exist', 'check the path'],
  EACCES: ['permission denied', 'choose a path you can write to, or change its permissions'],
  EPERM: ['operation not permitted', 'choose another path'],
  EROFS: ['is on a read-only file system', 'choose a writable location'],
  ENOSPC: ['no space left on the device', 'free some space or choose another location'],
  EDQUOT: ['disk quota exceeded', 'free some space or choose another location'],
  ENOTDIR: ['a part of the path is a file, not a directory', 'check the path'],
  EISDIR: ['is a directory, a file was expected', 'give a file path'],
  EEXIST: ['already exists', 'remove it or choose another path'],
  ENAMETOOLONG: ['the name is too long for the file system (255 bytes per name)', 'use a shorter name'],
  ELOOP: ['has too many levels of symbolic links', 'check the links in the path'],
  EMFILE: ['too many open files', 'raise the limit (ulimit -n) or run fewer jobs'],
  ENFILE: ['too many open files on the system', 'run fewer jobs'],
  EBUSY: ['is busy', 'retry when the other program is done'],
  EXDEV: ['would move across file systems', 'choose a path on the same file system'],
};

/** An errno-style error from node:fs / node:child_process. */
export function isErrnoError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code!);
}

/**
 * The InputError for a failed file operation. `subject` names what the user gave (e.g.
 * `-o out`, `--junit report.xml`); without it the path from the error is used.
 */
export function fsInputError(e: NodeJS.ErrnoException & { code: string }, subject?: string): InputError {
  const [problem, fix] = WHY[e.code] ?? [`failed (${e.code})`, 'check the path and the file system'];
  const where = e.path !== undefined ? `'${shorten(e.path)}'` : undefined;
  const showPath = where !== undefined && subject !== undefined && !subject.endsWith(e.path!);
  const what = `${e.syscall ?? 'access'}${showPath ? ` ${where}` : ''}: ${problem} (${e.code})`;
  return new InputError(subject ?? where ?? 'file system', what, fix);
}

/** Paths can be 10,000 characters long (that is one of the failures): keep messages readable. */
function shorten(p: string): string {
  return p.length <= 160 ? p : `${p.slice(0, 80)}...(${p.length} characters)...${p.slice(-40)}`;
}
