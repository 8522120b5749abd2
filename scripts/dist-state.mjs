// What scripts/build.mjs compiles and copies, and whether dist/ reflects it: used by the build,
// bin/npugen.mjs (run the sources instead of a stale build), scripts/setup.sh and the package test.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Top-level entries that are not part of the package. Everything else at the top level (every
 * directory, and the .ts files) is built: a new source directory needs no change here. Keep
 * tsconfig.build.json's "exclude" the same.
 */
export const NOT_BUILT = new Set(['node_modules', 'dist', 'out', 'test', 'bench', 'docs', 'scripts', 'bin', 'coverage', 'vitest.config.ts']);

/** The top-level files and directories the build reads (relative to `root`). */
export function buildRoots(root) {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && !NOT_BUILT.has(e.name) && (e.isDirectory() || e.name.endsWith('.ts')))
    .map((e) => e.name)
    .concat(['tsconfig.build.json']);
}

/**
 * Why `root`/dist cannot be used, or undefined when its build stamp is at least as new as every
 * build input (files and directories: a deleted file makes its directory newer). A few hundred
 * stat calls, a millisecond or two.
 */
export function distStaleReason(root) {
  let built;
  try {
    built = statSync(path.join(root, 'dist', '.build-stamp')).mtimeMs;
  } catch {
    return 'dist/ is not built';
  }
  for (const rel of buildRoots(root)) {
    const newer = newerThan(path.join(root, rel), built);
    if (newer) return `${path.relative(root, newer)} is newer than dist/`;
  }
  return undefined;
}

function newerThan(p, t) {
  const s = statSync(p, { throwIfNoEntry: false });
  if (!s) return undefined;
  if (s.mtimeMs > t) return p;
  if (!s.isDirectory()) return undefined;
  for (const e of readdirSync(p)) {
    const hit = newerThan(path.join(p, e), t);
    if (hit) return hit;
  }
  return undefined;
}
