#!/usr/bin/env node
// Builds the published package into dist/: removes dist/ (so no file of a deleted or renamed
// module survives), compiles every top-level source directory with tsconfig.build.json
// (JavaScript, declarations, source maps), copies every other file of those directories (the
// assets code reads at run time: templates, .proto, the demo's data, the example designs) to the
// same relative place under dist/, and last writes dist/.build-stamp, whose mtime is the time the
// build started: bin/npugen.mjs treats dist/ as stale when a source file is newer than it.
// What is built is scripts/dist-state.mjs's buildRoots: a new source directory needs no change.
// Runs in `prepare` (npm ci / npm install in a clone, npm pack); `--if-stale` (scripts/setup.sh,
// the package test) builds only when dist/ is missing or older than a source file. `--no-check`
// (prepare, setup.sh) emits without type-checking (tsc --noCheck): `npm test` type-checks the
// whole tree as its first step, and checking the sources twice cost a fresh clone's set-up about
// 12 s of CPU. `npm run build` checks.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRoots, distStaleReason } from './dist-state.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

if (process.argv.includes('--if-stale')) {
  const why = distStaleReason(root);
  if (why === undefined) process.exit(0);
  console.error(`npugen build: ${why}; building dist/`);
}
const started = new Date();
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const check = process.argv.includes('--no-check') ? ['--noCheck'] : [];
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), ...check], { stdio: 'inherit', cwd: root });
if (r.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  console.error('npugen build: tsc failed; dist/ removed');
  process.exit(r.status ?? 1);
}
for (const rel of buildRoots(root)) copyAssets(rel);
const stamp = path.join(dist, '.build-stamp');
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);

/** Copies the files under `rel` that tsc does not emit (anything but .ts and .md) into dist/. */
function copyAssets(rel) {
  const from = path.join(root, rel);
  const entries = rel.endsWith('.ts') || rel.endsWith('.json') ? [] : readdirSync(from, { withFileTypes: true });
  for (const e of entries) {
    const sub = path.join(rel, e.name);
    if (e.isDirectory()) copyAssets(sub);
    else if (!e.name.endsWith('.ts') && !e.name.endsWith('.md')) {
      mkdirSync(path.join(dist, rel), { recursive: true });
      copyFileSync(path.join(root, sub), path.join(dist, sub));
    }
  }
}
