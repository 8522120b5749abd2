/**
 * Source locations: the file:line:col of the DSL call in the user's code. Frames inside
 * npugen's own core (the builder, IR, op table, diagnostics) are skipped, so a node built by
 * a helper is attributed to whoever called the core API.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export const UNKNOWN_LOC: SourceLoc = Object.freeze({ file: '<unknown>', line: 0, col: 0 });

const here = path.dirname(fileURLToPath(import.meta.url));
const dslRoot = path.resolve(here, '..');
const coreDirs = ['builder', 'ir', 'ops', 'types', 'diagnostics', 'passes'].map((d) => path.join(dslRoot, d) + path.sep);
/** The package's root: the checkout, or dist/ when this runs compiled. */
const packageRoot = path.resolve(dslRoot, '..') + path.sep;

function isCoreFile(file: string): boolean {
  return coreDirs.some((d) => file.startsWith(d));
}

function normalizeFile(name: string): string {
  return name.startsWith('file://') ? fileURLToPath(name) : name;
}

/**
 * Captures the location of the first stack frame outside npugen's core.
 * `extraSkip` lets library layers (quantized types, NPU generators) attribute to their caller.
 */
export function captureLoc(extraSkip?: (file: string) => boolean): SourceLoc {
  // Most DSL calls are a few frames deep; a short trace is much cheaper to collect.
  return findUserFrame(10, extraSkip) ?? findUserFrame(60, extraSkip) ?? UNKNOWN_LOC;
}

function findUserFrame(limit: number, extraSkip?: (file: string) => boolean): SourceLoc | undefined {
  const saved = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  Error.prepareStackTrace = (_e, frames) => frames;
  const holder: { stack?: unknown } = {};
  Error.captureStackTrace(holder, captureLoc);
  const frames = holder.stack as NodeJS.CallSite[] | undefined;
  Error.prepareStackTrace = saved;
  Error.stackTraceLimit = savedLimit;
  for (const f of frames ?? []) {
    const raw = f.getFileName();
    if (!raw || raw.startsWith('node:')) continue;
    if (isCoreFile(normalizeFile(raw))) continue;
    const loc = mapFrame(f, raw, saved);
    if (isCoreFile(loc.file) || (extraSkip?.(loc.file) ?? false)) continue;
    return loc;
  }
  return undefined;
}

const mapped = new Map<string, SourceLoc>();

/**
 * Maps a raw frame (transpiled code) to the user's source through the installed stack-trace
 * hook (tsx and vitest both install one that applies source maps). Cached per raw position,
 * since generator loops hit the same call sites many times.
 */
function mapFrame(f: NodeJS.CallSite, raw: string, hook: typeof Error.prepareStackTrace): SourceLoc {
  const key = `${raw}:${f.getLineNumber()}:${f.getColumnNumber()}`;
  const hit = mapped.get(key);
  if (hit) return hit;
  let loc: SourceLoc = { file: normalizeFile(raw), line: f.getLineNumber() ?? 0, col: f.getColumnNumber() ?? 0 };
  if (hook) {
    const text = String(hook(new Error(), [f]));
    const m = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/.exec(text);
    if (m) loc = { file: normalizeFile(m[1]!), line: Number(m[2]), col: Number(m[3]) };
  }
  loc = compiledToSource(loc) ?? loc;
  const frozen = Object.freeze(loc);
  mapped.set(key, frozen);
  return frozen;
}

const sourceMaps = new Map<string, SourceMap | null>();

/**
 * npugen's own compiled JavaScript (dist/, e.g. a generator's code) mapped back to its TypeScript
 * source through the build's .js.map, when that source exists (a checkout; the published package
 * ships neither maps nor sources, and keeps the dist/ location). Maps load on first use.
 */
function compiledToSource(loc: SourceLoc): SourceLoc | undefined {
  if (!loc.file.endsWith('.js') || !loc.file.startsWith(packageRoot)) return undefined;
  let map = sourceMaps.get(loc.file);
  if (map === undefined) {
    const mapFile = `${loc.file}.map`;
    map = existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload) : null;
    sourceMaps.set(loc.file, map);
  }
  if (map === null) return undefined;
  const e = map.findEntry(loc.line - 1, loc.col - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (e.originalSource === undefined || e.originalLine === undefined || e.originalColumn === undefined) return undefined;
  const file = e.originalSource.startsWith('file://') ? fileURLToPath(e.originalSource) : path.resolve(path.dirname(loc.file), e.originalSource);
  return existsSync(file) ? { file, line: e.originalLine + 1, col: e.originalColumn + 1 } : undefined;
}

/** `file:line:col`, with the file relative to `cwd` when inside it. */
export function formatLoc(loc: SourceLoc, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, loc.file);
  const file = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : loc.file;
  return `${file}:${loc.line}:${loc.col}`;
}
