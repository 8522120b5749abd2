/**
 * Single output files named by a flag (`--junit FILE`, `--vcd FILE`): checked before the work
 * starts, so a bad path fails in a second with exit 2 instead of after a long run, and written
 * whole (a temporary sibling renamed over the target).
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from './io.ts';
import { fsInputError, isErrnoError } from './fs-errors.ts';

/** Throws an InputError naming `flag` unless `file` can be created or replaced. */
export function checkOutputFile(file: string, flag: string): void {
  const subject = `${flag} ${file}`;
  if (file === '') throw new InputError(flag, 'empty file name', `give a file, e.g. ${flag} out/report`);
  const dir = path.dirname(path.resolve(file));
  const parent = statOrUndefined(dir, subject);
  if (parent === undefined) throw new InputError(subject, `the directory ${path.dirname(file)} does not exist`, 'create it first or choose another path');
  if (!parent.isDirectory()) throw new InputError(subject, `${path.dirname(file)} is not a directory`, 'choose another path');
  if (Buffer.byteLength(path.basename(file)) > 255) throw new InputError(subject, 'the file name is longer than 255 bytes', 'use a shorter name');
  const self = statOrUndefined(path.resolve(file), subject);
  if (self?.isDirectory()) throw new InputError(subject, 'is a directory', 'give a file path');
}

/** Writes `content` to `file` whole; file-system errors become InputErrors naming `flag`. */
export async function writeOutputFile(file: string, content: string | Uint8Array, flag: string): Promise<void> {
  const target = path.resolve(file);
  // /dev/null and other devices are written in place (a rename would replace the device node).
  const info = statOrUndefined(target, `${flag} ${file}`);
  const tmp = info !== undefined && !info.isFile() ? undefined : path.join(path.dirname(target), `.${path.basename(target).slice(0, 200)}.tmp-${randomBytes(4).toString('hex')}`);
  try {
    if (tmp === undefined) return await writeFile(target, content);
    await writeFile(tmp, content);
    await rename(tmp, target);
  } catch (e) {
    if (tmp !== undefined) await rm(tmp, { force: true });
    if (isErrnoError(e)) throw fsInputError(e, `${flag} ${file}`);
    throw e;
  }
}

function statOrUndefined(p: string, subject: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch (e) {
    if (isErrnoError(e) && e.code === 'ENOENT') return undefined;
    if (isErrnoError(e)) throw fsInputError(e, subject);
    throw e;
  }
}
