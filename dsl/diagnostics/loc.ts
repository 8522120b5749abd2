/**
 * Source locations: the file:line:col of the DSL call in the user's code. Frames inside
 * npugen's own core (the builder, IR, op table, diagnostics) are skipped, so a node built by
 * a helper is attributed to whoever called the core API.
 */
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
  const frozen = Object.freeze(loc);
  mapped.set(key, frozen);
  return frozen;
}

/** `file:line:col`, with the file relative to `cwd` when inside it. */
export function formatLoc(loc: SourceLoc, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, loc.file);
  const file = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : loc.file;
  return `${file}:${loc.line}:${loc.col}`;
}
