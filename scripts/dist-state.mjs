// Whether dist/ (scripts/build.mjs) reflects the sources of a checkout: used by bin/npugen.mjs
// (run the sources instead of a stale build), scripts/setup.sh and the package test (rebuild).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The inputs of scripts/build.mjs: tsconfig.build.json's include globs and the copied assets. */
export const BUILD_INPUTS = ['index.ts', 'dsl', 'generators', 'sim', 'cli', 'onnx', 'examples/mlp', 'templates', 'examples/data', 'tsconfig.build.json'];

/**
 * Why `root`/dist cannot be used, or undefined when its build stamp is at least as new as every
 * build input (files and directories: a deleted file makes its directory newer). A few hundred
 * stat calls, about a millisecond.
 */
export function distStaleReason(root) {
  let built;
  try {
    built = statSync(path.join(root, 'dist', '.build-stamp')).mtimeMs;
  } catch {
    return 'dist/ is not built';
  }
  for (const rel of BUILD_INPUTS) {
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
