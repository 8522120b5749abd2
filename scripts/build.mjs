#!/usr/bin/env node
// Builds the published package into dist/: removes dist/ (so no file of a deleted or renamed
// module survives), compiles with tsconfig.build.json (JavaScript + declarations; its include
// globs pick up new modules), copies the non-TypeScript assets the code reads at run time to the
// same relative places under dist/, and last writes dist/.build-stamp, whose mtime is the time the
// build started: bin/npugen.mjs treats dist/ as stale when a source file is newer than it.
// Runs in `prepare` (npm ci / npm install in a clone, npm pack); `--if-stale` (scripts/setup.sh,
// the package test) builds only when dist/ is missing or older than a source file.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distStaleReason } from './dist-state.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
/** Asset directories and files (relative to the root) that compiled code locates next to itself. */
const ASSETS = ['templates', 'examples/data/digits.csv.gz', 'onnx/proto/onnx.proto'];

if (process.argv.includes('--if-stale')) {
  const why = distStaleReason(root);
  if (why === undefined) process.exit(0);
  console.error(`npugen build: ${why}; building dist/`);
}
const started = new Date();
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (r.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  console.error('npugen build: tsc failed; dist/ removed');
  process.exit(r.status ?? 1);
}
for (const asset of ASSETS) {
  mkdirSync(path.dirname(path.join(dist, asset)), { recursive: true });
  cpSync(path.join(root, asset), path.join(dist, asset), { recursive: true });
}
const stamp = path.join(dist, '.build-stamp');
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);
