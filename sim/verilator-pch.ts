/**
 * The precompiled-`verilated.h` cache: one PCH per (Verilator version and command, build style,
 * C++ level, make-relevant environment), built once per machine under
 * `<defaultCacheDir()>/verilator-pch/<key>/` and checked on every use against the compiler's
 * version, the header's size and time, and the `.gch`'s recorded size.
 *
 * Layout of one entry: `verilated.h.gch`, `verilated.h` (a symlink to the real header), the same
 * pair under `slow/` when the slow files' level differs (the default levels), `pch.json` (what it
 * was built for, or why this machine gets no PCH). An entry is built in a temporary
 * directory and renamed into place under `<key>.lock`, so parallel runs never see a partial one.
 * Nothing here fails a build: any problem means "no PCH" and the build runs as without one.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { shellQuote } from './backends/invocation.ts';
import { verilatorVersion } from './backends/verilator.ts';
import { cxxVersion, isGcc, parseMakeVars, pchCompile, pchProbeSource, PCH_PROBE_TOP, verilatorPchProbe, type VerilatorMakeVars, type VerilatorPchUse } from './backends/verilator-pch.ts';
import type { VerilatorBuildInput } from './backends/verilator.ts';
import { acquireLock, defaultCacheDir, toolVersion } from './build-cache.ts';
import { runInvocation, ToolFailedError } from './runner.ts';

export interface PchRequest {
  /** PCH cache root (default `<defaultCacheDir()>/verilator-pch`). */
  readonly dir?: string;
  readonly verilator?: string;
  readonly style: VerilatorBuildInput['style'];
  /** The build's effective level (`effectiveCppOpt`): the PCH must be compiled at it. */
  readonly cppOpt: VerilatorBuildInput['cppOpt'];
  readonly timeoutMs?: number;
}

export type PchOutcome =
  | { readonly use: VerilatorPchUse; readonly dir: string; readonly built: boolean }
  | { readonly use?: undefined; readonly skipped: string };

type PchRecord =
  | { readonly ok: true; readonly cxxVersion: string; readonly gchSize: number; readonly slowGchSize?: number; readonly header: FileStamp; readonly vars: VerilatorMakeVars }
  | { readonly ok: false; readonly reason: string };

interface FileStamp {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

const RECORD = 'pch.json';
const GCH = 'verilated.h.gch';
/** Subdirectory of the slow files' PCH, when their level differs. */
const SLOW = 'slow';
/** `-include <path>` goes through make and the shell unquoted: paths needing quotes get no PCH. */
const PLAIN_PATH = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Environment variables Verilator's makefile reads into the compile flags. */
const MAKE_ENV = ['VERILATOR_ROOT', 'CXX', 'CXXFLAGS', 'CPPFLAGS', 'OPT', 'M32', 'USER_CPPFLAGS', 'VM_PARALLEL_BUILDS'];

/** The default PCH cache root. */
export function defaultPchDir(): string {
  return join(defaultCacheDir(), 'verilator-pch');
}

/**
 * A usable PCH for builds like `req`, building it first when there is none (once per machine;
 * a concurrent caller waits for it). Never throws: any failure is `{ skipped }`.
 */
export async function ensureVerilatorPch(req: PchRequest): Promise<PchOutcome> {
  try {
    const root = req.dir ?? defaultPchDir();
    await mkdir(root, { recursive: true });
    const key = await pchKey(req, root);
    const dir = join(root, key);
    if (!PLAIN_PATH.test(dir)) return { skipped: `the cache path ${shellQuote(dir)} needs shell quoting` };
    const first = await checkEntry(dir);
    if (first !== undefined) return first;
    const release = await acquireLock(`${dir}.lock`, req.timeoutMs ?? 5 * 60_000);
    try {
      const again = await checkEntry(dir);
      if (again !== undefined) return again;
      await buildEntry(root, dir, req);
      const built = await checkEntry(dir);
      if (built === undefined) return { skipped: 'the PCH just built does not check out' };
      return built.use === undefined ? built : { ...built, built: true };
    } finally {
      await release();
    }
  } catch (e) {
    return { skipped: e instanceof Error ? e.message : String(e) };
  }
}

/** Removes an entry GCC could not use (the next build makes a new one). */
export async function evictVerilatorPch(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

async function pchKey(req: PchRequest, root: string): Promise<string> {
  const version = await toolVersion(verilatorVersion({ ...(req.verilator === undefined ? {} : { verilator: req.verilator }) }, root));
  const env = MAKE_ENV.map((name) => `${name}=${process.env[name] ?? ''}`);
  const parts = [version, req.verilator ?? 'verilator', req.style, req.cppOpt ?? 'default', ...env];
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 24);
}

/** The entry's outcome if it is complete and current (or a recorded "no PCH here"); undefined to (re)build. */
async function checkEntry(dir: string): Promise<PchOutcome | undefined> {
  let record: PchRecord;
  try {
    record = JSON.parse(await readFile(join(dir, RECORD), 'utf8')) as PchRecord;
  } catch {
    return undefined;
  }
  if (!record.ok) return { skipped: record.reason };
  if (!(await variantIntact(dir, record.gchSize))) return undefined;
  if (record.slowGchSize !== undefined && !(await variantIntact(join(dir, SLOW), record.slowGchSize))) return undefined;
  if (!sameStamp(await stampOf(record.header.path).catch(() => undefined), record.header)) return undefined;
  if ((await toolVersion(cxxVersion(record.vars, dir))) !== record.cxxVersion) return undefined;
  const use: VerilatorPchUse = {
    header: join(dir, 'verilated.h'), optFast: record.vars.optFast, optSlow: record.vars.optSlow,
    ...(record.slowGchSize === undefined ? {} : { slowHeader: join(dir, SLOW, 'verilated.h') }),
  };
  return { use, dir, built: false };
}

/** `dir` holds the `.gch` of the recorded size and the `verilated.h` link. */
async function variantIntact(dir: string, gchSize: number): Promise<boolean> {
  const gch = await stat(join(dir, GCH)).catch(() => undefined);
  return gch?.size === gchSize && (await lstat(join(dir, 'verilated.h')).catch(() => undefined)) !== undefined;
}

async function stampOf(path: string): Promise<FileStamp> {
  const s = await stat(path);
  return { path, size: s.size, mtimeMs: s.mtimeMs };
}

function sameStamp(a: FileStamp | undefined, b: FileStamp): boolean {
  return a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * Probes the makefile's flags with a tiny model, compiles the PCH with them in a temporary
 * directory, records it, and renames the directory to `dir`. A compiler that is not GCC, or a
 * PCH compile that fails, is recorded as "no PCH" (not retried until the key changes).
 */
async function buildEntry(root: string, dir: string, req: PchRequest): Promise<void> {
  // Under the key's lock nobody else builds this key: a temporary directory of it is a killed build's.
  const prefix = `${basename(dir)}.tmp-`;
  for (const stale of (await readdir(root)).filter((f) => f.startsWith(prefix))) await rm(join(root, stale), { recursive: true, force: true });
  const tmp = await mkdtemp(join(root, prefix));
  try {
    const probeDir = join(tmp, 'probe');
    await mkdir(probeDir);
    await writeFile(join(probeDir, `${PCH_PROBE_TOP}.v`), pchProbeSource(req.style));
    const probe = verilatorPchProbe({ ...(req.verilator === undefined ? {} : { verilator: req.verilator }), style: req.style, cppOpt: req.cppOpt, cwd: probeDir });
    const timeout = { timeoutMs: req.timeoutMs ?? 5 * 60_000 };
    await runInvocation(probe.verilate, timeout);
    const vars = parseMakeVars((await runInvocation(probe.printVars, timeout)).output);
    const record = vars === undefined
      ? { ok: false as const, reason: 'Verilator\'s makefile did not print its compile flags' }
      : await compileEntry(tmp, vars, timeout);
    await rm(probeDir, { recursive: true, force: true });
    await writeFile(join(tmp, RECORD), `${JSON.stringify(record)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function compileEntry(tmp: string, vars: VerilatorMakeVars, timeout: { timeoutMs: number }): Promise<PchRecord> {
  const version = await toolVersion(cxxVersion(vars, tmp));
  if (!isGcc(version)) return { ok: false, reason: `${vars.cxx} is not GCC (npugen precompiles verilated.h for GCC only)` };
  const header = await stampOf(join(vars.root, 'include', 'verilated.h'));
  const slow = vars.optSlow !== vars.optFast;
  if (slow) await mkdir(join(tmp, SLOW));
  // Both settle before anything is decided: the temporary directory is removed after a failure.
  const compiles = await Promise.allSettled([
    runInvocation(pchCompile(vars, GCH, tmp), { ...timeout, logFile: join(tmp, 'pch-build.log') }),
    ...(slow ? [runInvocation(pchCompile(vars, GCH, join(tmp, SLOW), 'slow'), { ...timeout, logFile: join(tmp, SLOW, 'pch-build.log') })] : []),
  ]);
  const failed = compiles.find((c): c is PromiseRejectedResult => c.status === 'rejected');
  if (failed !== undefined) {
    // A compiler that rejects the header is recorded; a timeout (a loaded machine) is retried next time.
    if (!(failed.reason instanceof ToolFailedError)) throw failed.reason;
    return { ok: false, reason: `the PCH compile failed (${failed.reason.message.split('\n')[0]})` };
  }
  await symlink(header.path, join(tmp, 'verilated.h'));
  if (slow) await symlink(header.path, join(tmp, SLOW, 'verilated.h'));
  const gchSize = (await stat(join(tmp, GCH))).size;
  const slowGchSize = slow ? (await stat(join(tmp, SLOW, GCH))).size : undefined;
  return { ok: true, cxxVersion: version, gchSize, ...(slowGchSize === undefined ? {} : { slowGchSize }), header, vars };
}
