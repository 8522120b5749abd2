/**
 * Safe writing of an output directory (`npugen gen -o DIR`, `npugen explore -o DIR`;
 * docs/reliability.md, "Output safety").
 *
 * - A manifest, `DIR/.npugen-manifest.json`, lists every file npugen wrote there with its SHA-256.
 *   It is read first and written last. A file that is in DIR but not in the manifest, or whose
 *   content no longer matches its hash (hand-edited), is never overwritten without `force`
 *   (OutputConflictError, exit 2). Other files in DIR (yours, or another design's output) are
 *   left alone.
 * - An output never replaces an input of the same run (the design file), even with `force`.
 * - All files are first written into a fresh temporary sibling `.DIR.tmp-*`. A new (or empty)
 *   DIR is then created by one rename of that directory. An existing DIR is updated by renaming
 *   each file in while the manifest says `complete: false` (so an interrupted update is visible
 *   and the next run still recognizes every file as npugen's), then writing the new manifest.
 * - SIGINT/SIGTERM while writing the temporary directory removes it and exits 130/143; during the
 *   commit (a few renames) the signal is held until the commit is done, so DIR never mixes two
 *   runs' files (a testbench of one with the vectors of another). Any error removes the
 *   temporary directory.
 * - Directories and files are created with the default modes, so the umask applies (mkdtemp's
 *   0700 is not used).
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, realpath, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { NPUGEN_VERSION } from '../dsl/version.ts';
import { EXIT, InputError } from './io.ts';
import { fsInputError, isErrnoError } from './fs-errors.ts';

export type FileEntry = readonly [name: string, content: string | Uint8Array];

export const MANIFEST = '.npugen-manifest.json';

export interface Manifest {
  readonly tool: 'npugen';
  readonly version: string;
  /** False while an update of an existing directory is being committed (or was interrupted). */
  readonly complete: boolean;
  /** File name -> SHA-256 (hex) of the content npugen wrote. */
  readonly files: Readonly<Record<string, string>>;
}

export interface WriteOutputOptions {
  /** How the directory was named on the command line, for messages (default `-o DIR`). */
  readonly flag?: string;
  /** Overwrite files npugen did not write (or that were edited since). */
  readonly force?: boolean;
  /** Files this run reads: never overwritten, even with `force`. */
  readonly inputs?: readonly string[];
  /** Test hook: called after each file is written or renamed (lets a test interrupt mid-write). */
  readonly afterEachFile?: () => Promise<void>;
}

/** Files in the output directory that npugen would overwrite but did not write. */
export class OutputConflictError extends InputError {
  constructor(flag: string, readonly files: readonly string[]) {
    const shown = files.slice(0, 5).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
    super(flag, `would overwrite ${files.length === 1 ? 'a file' : `${files.length} files`} npugen did not write or that were edited since (${shown})`,
      'move them away, choose another directory, or pass --force to overwrite them');
  }
}

const sha256 = (content: string | Uint8Array): string => createHash('sha256').update(content).digest('hex');

/**
 * Writes `entries` (computed lazily is fine) into `dir` with the guarantees above. Errors are
 * InputErrors naming `flag` (exit 2); the directory is left as it was unless the commit ran.
 */
export async function writeOutputDir(dir: string, entries: Iterable<FileEntry>, options: WriteOutputOptions = {}): Promise<void> {
  const flag = options.flag ?? `-o ${dir}`;
  const target = await checkTarget(dir, flag);
  const guard = interruptGuard();
  let tmp: string | undefined;
  try {
    const parent = path.dirname(target);
    await mkdir(parent, { recursive: true }).catch((e: unknown) => rethrowFs(e, flag));
    tmp = await freshSibling(parent, `.${path.basename(target)}.tmp-`, flag);
    guard.tmp = tmp;
    const files: Record<string, string> = {};
    for (const [name, content] of entries) {
      checkEntryName(name, flag);
      if (files[name] !== undefined) throw new InputError(flag, `two generated files are named '${name}'`, 'rename the module that collides');
      await writeFile(path.join(tmp, name), content, { flag: 'wx' }).catch((e: unknown) => rethrowFs(e, flag));
      files[name] = sha256(content);
      await options.afterEachFile?.();
    }
    await checkInputs(target, Object.keys(files), options.inputs ?? [], flag);
    const old = await readManifest(target);
    const existing = await listDir(target);
    const conflicts = options.force ? [] : await foreignFiles(target, Object.keys(files), existing, old);
    if (conflicts.length > 0) throw new OutputConflictError(flag, conflicts);
    const manifest: Manifest = { tool: 'npugen', version: NPUGEN_VERSION, complete: true, files };
    await writeFile(path.join(tmp, MANIFEST), manifestText(manifest));
    guard.committing = true;
    if (existing === undefined || existing.length === 0) {
      if (existing !== undefined) await rmdir(target);
      await rename(tmp, target);
      tmp = undefined;
    } else {
      await commitInto(target, tmp, manifest, old, existing, options.afterEachFile);
    }
  } catch (e) {
    if (isErrnoError(e) && e.syscall !== undefined) throw fsInputError(e, flag);
    throw e;
  } finally {
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
    guard.release();
  }
}

/**
 * The directory to write, resolved; errors for paths that cannot be one: an existing file or
 * device (`-o /dev/null`), a dangling symbolic link, a name too long. Cheap: commands call it
 * before their work so a bad -o fails at once.
 */
export async function checkTarget(dir: string, flag = `-o ${dir}`): Promise<string> {
  if (dir === '') throw new InputError(flag, 'empty directory name', 'give a directory, e.g. -o out');
  const target = path.resolve(dir);
  for (const part of target.split(path.sep)) {
    if (Buffer.byteLength(part) > 255) throw new InputError(flag, `a path component is ${Buffer.byteLength(part)} bytes long; file systems allow 255`, 'use a shorter directory name');
  }
  const info = await lstat(target).catch((e: unknown) => (isErrnoError(e) && e.code === 'ENOENT' ? undefined : rethrowFs(e, flag)));
  if (info === undefined) return target;
  if (info.isSymbolicLink()) {
    const real = await realpath(target).catch(() => undefined);
    if (real === undefined) throw new InputError(flag, 'is a symbolic link to a path that does not exist', 'remove the link or create its target directory');
    const st = await stat(real);
    if (!st.isDirectory()) throw new InputError(flag, `is a symbolic link to ${real}, which is not a directory`, 'give a directory path');
    return real;
  }
  if (!info.isDirectory()) {
    const kind = info.isFile() ? 'a file' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : 'not a directory';
    throw new InputError(flag, `exists and is ${kind}, not a directory`, 'give a directory path (npugen creates it when missing)');
  }
  return target;
}

/**
 * The checks `writeOutputDir` makes before committing, without writing: for commands that run
 * long before they write (explore), so a directory they would refuse is refused at the start.
 */
export async function checkOutputDir(dir: string, names: readonly string[], options: Pick<WriteOutputOptions, 'flag' | 'force' | 'inputs'> = {}): Promise<void> {
  const flag = options.flag ?? `-o ${dir}`;
  const target = await checkTarget(dir, flag);
  await checkInputs(target, names, options.inputs ?? [], flag);
  if (options.force) return;
  const conflicts = await foreignFiles(target, names, await listDir(target), await readManifest(target));
  if (conflicts.length > 0) throw new OutputConflictError(flag, conflicts);
}

/** A new directory next to `prefix` with the default mode (umask applies, unlike mkdtemp's 0700). */
async function freshSibling(parent: string, prefix: string, flag: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const name = path.join(parent, `${prefix}${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(name);
      return name;
    } catch (e) {
      if (!(isErrnoError(e) && e.code === 'EEXIST') || attempt > 10) rethrowFs(e, flag);
    }
  }
}

function checkEntryName(name: string, flag: string): void {
  if (name === '' || name !== path.basename(name) || name.startsWith('.') || name.includes('\0')) {
    throw new InputError(flag, `refusing to write '${name}' outside the output directory`, 'use plain file names');
  }
  if (Buffer.byteLength(name) > 255) throw new InputError(flag, `generated file name is ${Buffer.byteLength(name)} bytes long; file systems allow 255`, 'give the design a shorter name');
}

/** No output may land on a file this run reads (a design `counter.ts` and its bindings `counter.ts`). */
async function checkInputs(target: string, names: readonly string[], inputs: readonly string[], flag: string): Promise<void> {
  const real = await Promise.all(inputs.map(async (f) => realpath(f).catch(() => path.resolve(f))));
  const realTarget = await realpath(target).catch(() => target);
  for (const name of names) {
    const hit = real.findIndex((r) => r === path.join(realTarget, name));
    if (hit >= 0) {
      throw new InputError(flag, `the generated file '${name}' would overwrite the input ${inputs[hit]}`, 'write the output into another directory (-o)');
    }
  }
}

/** The manifest of `dir`, or undefined when there is none (or it is not npugen's). */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(text) as Partial<Manifest>;
    if (m.tool !== 'npugen' || typeof m.files !== 'object' || m.files === null) return undefined;
    return { tool: 'npugen', version: String(m.version), complete: m.complete === true, files: m.files };
  } catch {
    return undefined;
  }
}

async function listDir(dir: string): Promise<string[] | undefined> {
  try {
    return await readdir(dir);
  } catch (e) {
    if (isErrnoError(e) && e.code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Names this run would overwrite that are not npugen's unchanged output. */
async function foreignFiles(target: string, names: readonly string[], existing: readonly string[] | undefined, old: Manifest | undefined): Promise<string[]> {
  if (existing === undefined) return [];
  const present = new Set(existing);
  const out: string[] = [];
  for (const name of names) {
    if (!present.has(name)) continue;
    if (!(await isOurs(target, name, old))) out.push(name);
  }
  return out;
}

async function isOurs(dir: string, name: string, manifest: Manifest | undefined): Promise<boolean> {
  const want = manifest?.files[name];
  if (want === undefined) return false;
  try {
    return sha256(await readFile(path.join(dir, name))) === want;
  } catch {
    return false;
  }
}

/**
 * Updates an existing directory: manifest marked incomplete (listing old and new files, so an
 * interrupted update is recognized as npugen's next time), files renamed in, then the complete
 * manifest. Files of earlier runs that this run does not write (another design generated into
 * the same directory) stay listed while they are unchanged.
 */
async function commitInto(target: string, tmp: string, manifest: Manifest, old: Manifest | undefined, existing: readonly string[], afterEachFile?: () => Promise<void>): Promise<void> {
  const kept: Record<string, string> = {};
  for (const name of existing) {
    if (name === MANIFEST || manifest.files[name] !== undefined) continue;
    if (await isOurs(target, name, old)) kept[name] = old!.files[name]!;
  }
  await writeManifestAtomically(target, { ...manifest, complete: false, files: { ...old?.files, ...manifest.files } });
  for (const name of Object.keys(manifest.files)) {
    await rename(path.join(tmp, name), path.join(target, name));
    await afterEachFile?.();
  }
  await writeManifestAtomically(target, { ...manifest, files: { ...kept, ...manifest.files } });
}

async function writeManifestAtomically(dir: string, manifest: Manifest): Promise<void> {
  const tmp = path.join(dir, `${MANIFEST}.tmp-${randomBytes(4).toString('hex')}`);
  await writeFile(tmp, manifestText(manifest));
  await rename(tmp, path.join(dir, MANIFEST));
}

const manifestText = (m: Manifest): string => `${JSON.stringify(m, null, 2)}\n`;

function rethrowFs(e: unknown, flag: string): never {
  if (isErrnoError(e)) throw fsInputError(e, flag);
  throw e;
}

interface InterruptGuard {
  tmp: string | undefined;
  committing: boolean;
  release(): void;
}

/**
 * SIGINT/SIGTERM while writing: remove the temporary directory and exit 130/143. While
 * committing, the signal waits until release() (the commit is a handful of renames).
 */
function interruptGuard(): InterruptGuard {
  let pending: number | undefined;
  const guard: InterruptGuard = {
    tmp: undefined,
    committing: false,
    release: () => {
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
      if (pending !== undefined) process.exit(pending);
    },
  };
  const on = (code: number) => (): void => {
    if (guard.committing) {
      pending = code;
      return;
    }
    if (guard.tmp !== undefined) rmSync(guard.tmp, { recursive: true, force: true });
    process.exit(code);
  };
  const onInt = on(EXIT.interrupted);
  const onTerm = on(EXIT.terminated);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return guard;
}
