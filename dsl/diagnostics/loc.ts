/**
 * Source locations: the file:line:col of the DSL call in the user's code. Frames inside
 * npugen's own core (the builder, IR, op table, diagnostics) are skipped, and so are frames in
 * helper libraries (float and fixed-point layers, delay lines, adder trees, and any file a user
 * registers with `registerHelperFile`), so a node a helper builds is attributed to the helper's
 * caller (Amaranth's `src_loc_at`): the 31 skew registers of a 4x4 array point at the lines of
 * the array generator that asked for them, not all at one line of the delay-line helper.
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
/** Where this code runs from: the checkout, or dist/ when it runs compiled. */
const codeRoot = path.resolve(dslRoot, '..') + path.sep;
/**
 * The package root (the checkout, or the installed package holding dist/): locations inside it
 * print relative to it, the same whether npugen runs from sources or compiled.
 */
export const PACKAGE_ROOT = path.basename(path.dirname(dslRoot)) === 'dist' ? path.resolve(dslRoot, '..', '..') : path.dirname(dslRoot);
const coreDirs = ['builder', 'ir', 'ops', 'types', 'diagnostics', 'passes', 'float', 'quant'].map((d) => path.join(dslRoot, d) + path.sep);
const helperFiles = new Set(['npu/skew.ts', 'npu/tree.ts', 'npu/acc-width.ts', 'npu/skew.js', 'npu/tree.js', 'npu/acc-width.js'].map((f) => path.join(dslRoot, f)));

function isCoreFile(file: string): boolean {
  return helperFiles.has(file) || coreDirs.some((d) => file.startsWith(d));
}

/**
 * Marks a file (its `import.meta.url` or path) as a helper library: nodes built while one of its
 * functions runs are attributed to the first caller outside it.
 */
export function registerHelperFile(fileOrUrl: string): void {
  helperFiles.add(normalizeFile(fileOrUrl));
  coreRaw.clear();
}

/** `isCoreFile` by raw frame file name, cached: every DSL call walks several core frames. */
const coreRaw = new Map<string, boolean>();
function isCoreRaw(raw: string): boolean {
  let core = coreRaw.get(raw);
  if (core === undefined) {
    core = isCoreFile(normalizeFile(raw));
    coreRaw.set(raw, core);
  }
  return core;
}

function normalizeFile(name: string): string {
  return name.startsWith('file://') ? fileURLToPath(name) : name;
}

/**
 * Captures the location of the first stack frame outside npugen's core.
 * `extraSkip` lets library layers (quantized types, NPU generators) attribute to their caller.
 */
export function captureLoc(extraSkip?: (file: string) => boolean): SourceLoc {
  if (pinned !== undefined && extraSkip === undefined) return pinned;
  // Most DSL calls are a few frames deep; a short trace is much cheaper to collect.
  return findUserFrame(10, extraSkip) ?? findUserFrame(60, extraSkip) ?? UNKNOWN_LOC;
}

let pinned: SourceLoc | undefined;

/**
 * Runs `build` (a helper in npugen's core or a helper file, which calls back into no user code)
 * with every location captured inside it set to the helper's caller, found once. That is the
 * location each node would get anyway, since every frame inside the helper is skipped; it
 * saves one stack capture per node (a float multiplier builds hundreds), which was most of the
 * time of building a design. Nested helpers reuse the outermost caller.
 */
export function atCallerLoc<T>(build: () => T): T {
  if (pinned !== undefined) return build();
  pinned = captureLoc();
  try {
    return build();
  } finally {
    pinned = undefined;
  }
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
    if (isCoreRaw(raw)) continue;
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
  if (!loc.file.endsWith('.js') || !loc.file.startsWith(codeRoot)) return undefined;
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

/**
 * `file:line` for generated files: relative to `base` (the design file's directory) when inside
 * it, else to the package root when inside it, else the bare file name. Never absolute and never
 * dependent on the current directory, so output bytes do not depend on where npugen runs or is
 * installed.
 */
export function briefLoc(loc: SourceLoc, base?: string): string {
  return `${portablePath(loc.file, base)}:${loc.line}`;
}

function portablePath(file: string, base?: string): string {
  for (const root of base !== undefined ? [base, PACKAGE_ROOT] : [PACKAGE_ROOT]) {
    const rel = path.relative(root, file);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return path.basename(file);
}

/** `file:line:col`, with the file relative to `cwd` when inside it. */
export function formatLoc(loc: SourceLoc, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, loc.file);
  const file = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : loc.file;
  return `${file}:${loc.line}:${loc.col}`;
}
