/**
 * The commit a benchmark's RTL came from, and the uncommitted changes under the source trees the
 * results depend on (the checkout is shared: other work may be in flight while a benchmark runs).
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SourceState {
  readonly commit: string;
  readonly dirty: string[];
}

/** HEAD and `git status --porcelain` of `paths` (default the generator and emitter sources). */
export function sourceState(paths: readonly string[] = ['dsl', 'generators']): SourceState {
  const git = (...args: string[]): string => { try { return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { return ''; } };
  return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--', ...paths).split('\n').filter((l) => l !== '') };
}
