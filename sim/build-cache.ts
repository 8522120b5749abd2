/**
 * The compiled-simulator cache: builds keyed by content (every input file, every build step's
 * command line) and tool version, stored under the user's cache directory, checked on every
 * hit and rebuilt when damaged, and locked so that parallel runs build a key once.
 *
 * Layout of one entry: `<cacheDir>/<key>/<artifact>` and `<key>/entry.json` (size, SHA-256 and
 * tool version of the artifact), written last: an entry without it, or whose artifact is
 * missing, of another size or hash, or built by another tool version, is a miss and is rebuilt.
 * `<key>.lock/` is the writers' lock (a directory: `mkdir` is atomic on every file system).
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { shellLine, type Invocation } from './backends/invocation.ts';
import { runInvocation } from './runner.ts';

/**
 * The default cache: `NPUGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/npugen`, else
 * `~/.cache/npugen` (never the working directory, which may be read-only or a checkout).
 */
export function defaultCacheDir(): string {
  const env = process.env['NPUGEN_CACHE_DIR'];
  if (env !== undefined && env !== '') return env;
  const xdg = process.env['XDG_CACHE_HOME'];
  // The XDG spec: a relative $XDG_CACHE_HOME is invalid and must be ignored.
  return join(xdg !== undefined && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'npugen');
}

export interface CachedBuild {
  /** Prints the tool version; its output is part of the cache key and of the entry record. */
  readonly versionProbe: Invocation;
  /** Build steps, run in order on a cache miss. */
  readonly steps: readonly Invocation[];
  /** Files whose contents determine the build (sources, generated TB, C++ main). */
  readonly inputs: readonly string[];
  /** The built artifact (absolute path); restored from the cache on a hit. */
  readonly artifact: string;
  readonly cacheDir: string;
  readonly logDir: string;
  readonly timeoutMs?: number;
}

export interface BuildOutcome {
  readonly cached: boolean;
  readonly key: string;
  readonly durationMs: number;
  /** Why a cached entry was not used (a damaged entry that was rebuilt), when there was one. */
  readonly repaired?: string;
}

/** What `entry.json` records about a stored artifact. */
interface EntryRecord {
  readonly artifact: string;
  readonly size: number;
  readonly sha256: string;
  readonly version: string;
}

const ENTRY_FILE = 'entry.json';

/**
 * Output of a probe of the installed tools (a `--version`, or a setting such as ccache's
 * `--get-config sloppiness`), per command line, for this process: the probe (Verilator's is a
 * Perl start-up, 0.1-0.5 s) would otherwise dominate a cached run. A tool is not upgraded or
 * reconfigured under a running process, so the first answer stands — per PATH: the same command
 * line names another tool (or none) under another PATH.
 */
const versionCache = new Map<string, Promise<string>>();

export function toolVersion(probe: Invocation): Promise<string> {
  const key = `${process.env['PATH'] ?? ''}\0${shellLine(probe)}`;
  let v = versionCache.get(key);
  if (v === undefined) {
    v = runInvocation(probe, { timeoutMs: 60_000 }).then((r) => r.output);
    // A failed probe (tool missing) must be retried next time, not remembered.
    v.catch(() => versionCache.delete(key));
    versionCache.set(key, v);
  }
  return v;
}

/**
 * Restores `artifact` from a sound cache entry, else builds it (under the key's lock, so a
 * concurrent run of the same build waits and then uses this one's entry) and stores it.
 */
export async function buildCached(build: CachedBuild): Promise<BuildOutcome> {
  const started = performance.now();
  const version = await toolVersion(build.versionProbe);
  const key = await buildKey(build, version);
  const entryDir = join(build.cacheDir, key);
  await mkdir(dirname(build.artifact), { recursive: true });
  const first = await checkEntry(entryDir, build.artifact, version);
  if (first.ok) return restore(first.path, build.artifact, key, started);
  await mkdir(build.cacheDir, { recursive: true });
  const release = await acquireLock(`${entryDir}.lock`, build.timeoutMs ?? 10 * 60_000);
  try {
    // Another writer may have stored it while this run waited for the lock.
    const again = await checkEntry(entryDir, build.artifact, version);
    if (again.ok) return restore(again.path, build.artifact, key, started);
    for (const [i, step] of build.steps.entries()) {
      const logFile = join(build.logDir, `compile-${i}-${step.tool}.log`);
      await runInvocation(step, { logFile, ...(build.timeoutMs === undefined ? {} : { timeoutMs: build.timeoutMs }) });
    }
    await storeEntry(entryDir, build.artifact, version);
  } finally {
    await release();
  }
  const repaired = first.damage;
  return { cached: false, key, durationMs: performance.now() - started, ...(repaired === undefined ? {} : { repaired }) };
}

/** Removes a cache entry (e.g. its artifact ran but was not a working simulator). */
export async function evictCached(cacheDir: string, key: string): Promise<void> {
  await rm(join(cacheDir, key), { recursive: true, force: true });
}

async function restore(cached: string, artifact: string, key: string, started: number): Promise<BuildOutcome> {
  await copyFile(cached, artifact);
  return { cached: true, key, durationMs: performance.now() - started };
}

type EntryCheck = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly damage?: string };

/** Whether the entry is complete and intact; `damage` says what is wrong with a present but unusable one. */
async function checkEntry(entryDir: string, artifact: string, version: string): Promise<EntryCheck> {
  const path = join(entryDir, basename(artifact));
  let record: EntryRecord;
  try {
    record = JSON.parse(await readFile(join(entryDir, ENTRY_FILE), 'utf8')) as EntryRecord;
  } catch {
    return (await exists(path)) ? { ok: false, damage: 'no entry record (an interrupted or older cache)' } : { ok: false };
  }
  if (record.version !== version) return { ok: false, damage: 'built by another tool version' };
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch {
    return { ok: false, damage: 'artifact missing' };
  }
  if (data.length !== record.size) return { ok: false, damage: `artifact is ${data.length} bytes, was ${record.size} (truncated?)` };
  if (sha256(data) !== record.sha256) return { ok: false, damage: 'artifact content changed' };
  return { ok: true, path };
}

/** Stores the artifact, then its record: copies via temporary names and renames, so readers never see a partial file. */
async function storeEntry(entryDir: string, artifact: string, version: string): Promise<void> {
  await rm(entryDir, { recursive: true, force: true });
  await mkdir(entryDir, { recursive: true });
  const data = await readFile(artifact);
  const dest = join(entryDir, basename(artifact));
  const tag = `${process.pid}.${Date.now()}.tmp`;
  await copyFile(artifact, `${dest}.${tag}`);
  await rename(`${dest}.${tag}`, dest);
  const record: EntryRecord = { artifact: basename(artifact), size: data.length, sha256: sha256(data), version };
  await writeFile(join(entryDir, `${ENTRY_FILE}.${tag}`), `${JSON.stringify(record)}\n`);
  await rename(join(entryDir, `${ENTRY_FILE}.${tag}`), join(entryDir, ENTRY_FILE));
}

async function buildKey(build: CachedBuild, version: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`version\0${version}\0`);
  for (const step of build.steps) hash.update(`step\0${step.tool}\0${shellLine(step)}\0`);
  for (const input of build.inputs) {
    hash.update(`file\0${basename(input)}\0`);
    hash.update(await readFile(input));
  }
  return hash.digest('hex').slice(0, 32);
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Takes the lock directory `lock`, waiting while another live process holds it. A lock whose
 * owner process is gone (killed mid-build) is taken over. Returns the release function.
 */
export async function acquireLock(lock: string, waitMs: number): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  const owner = join(lock, 'owner');
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      await mkdir(lock);
      await writeFile(owner, `${process.pid}\n`);
      return () => rm(lock, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (await lockIsStale(lock, owner)) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`compile cache: ${lock} is still held after ${Math.round(waitMs / 1000)} s; if no npugen is running, remove it`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** The owner process no longer exists, or the lock has no owner file 10 s after it was made. */
async function lockIsStale(lock: string, owner: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number((await readFile(owner, 'utf8')).trim());
  } catch {
    const made = await stat(lock).then((s) => s.mtimeMs, () => Date.now());
    return Date.now() - made > 10_000;
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
