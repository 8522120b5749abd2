/**
 * Evaluates a design module (import, then call a function default export) in a worker thread
 * with a time limit, and hands the design (plain data: structured-cloned) to the caller. In the
 * main thread a `while (true)` in the module would hang the CLI for good, and a top-level await
 * that never settles would end it with Node's silent exit 13; here the first is stopped after
 * the limit and the second is seen as the worker ending without an answer. Both are
 * DesignFileErrors (exit 2) that say what happened.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** What the worker answered. `uncloneable`: the default export is not plain data (the caller evaluates it itself). */
export type ModuleEvaluation =
  | { readonly kind: 'design'; readonly value: unknown }
  | { readonly kind: 'error'; readonly stage: 'import' | 'call'; readonly name: string; readonly message: string; readonly diagnostics?: unknown[] }
  | { readonly kind: 'uncloneable' }
  | { readonly kind: 'timeout'; readonly seconds: number }
  | { readonly kind: 'unsettled' };

/** Default limit; `NPUGEN_DESIGN_TIMEOUT` (seconds) overrides. */
export const DESIGN_TIMEOUT_SECONDS = 60;

export function designTimeoutSeconds(): number {
  const raw = process.env['NPUGEN_DESIGN_TIMEOUT'];
  const n = raw === undefined || raw === '' ? DESIGN_TIMEOUT_SECONDS : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : DESIGN_TIMEOUT_SECONDS;
}

// CommonJS, evaluated by the worker: dynamic import() works there, and no file path is needed
// (the same text runs from the sources and from dist/).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const post = (m) => parentPort.postMessage(m);
const fail = (stage, e) => post({ kind: 'error', stage, name: (e && e.name) || 'Error', message: e && e.message !== undefined ? String(e.message) : String(e),
  diagnostics: e && Array.isArray(e.diagnostics) ? e.diagnostics : undefined });
(async () => {
  let mod;
  try {
    try { mod = await import(workerData.url); }
    catch (e) {
      if (!e || e.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
      const { tsImport } = await import(workerData.tsx);
      mod = await tsImport(workerData.url, workerData.url);
    }
  } catch (e) { fail('import', e); return; }
  let d = mod.default;
  if (d !== null && typeof d === 'object' && d.kind !== 'design' && 'default' in d) d = d.default;
  try { if (typeof d === 'function') d = d(); } catch (e) { fail('call', e); return; }
  try { post({ kind: 'design', value: d }); } catch { post({ kind: 'uncloneable' }); }
})();
`;

/** tsx's ESM API entry (its `import` export; `require.resolve` would give the CommonJS one). */
function tsxEsmApi(): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(join(dirname(pkg), exports['./esm/api']!.import.default)).href;
}

/** Evaluates `file` (a path) in a worker; resolves with what happened, never hangs past the limit. */
export function evaluateDesignModule(file: string, timeoutSeconds = designTimeoutSeconds()): Promise<ModuleEvaluation> {
  const tsx = tsxEsmApi();
  const worker = new Worker(WORKER, { eval: true, workerData: { url: pathToFileURL(file).href, tsx }, stdout: false, stderr: false });
  return new Promise((resolve) => {
    let answered = false;
    const finish = (r: ModuleEvaluation) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      resolve(r);
      void worker.terminate();
    };
    const timer = setTimeout(() => finish({ kind: 'timeout', seconds: timeoutSeconds }), timeoutSeconds * 1000);
    worker.on('message', (m: ModuleEvaluation) => finish(m));
    worker.on('error', (e) => finish({ kind: 'error', stage: 'import', name: e.name, message: e.message }));
    // Exiting without an answer: the module's top-level await waited on a promise nothing settles.
    worker.on('exit', () => finish({ kind: 'unsettled' }));
  });
}
