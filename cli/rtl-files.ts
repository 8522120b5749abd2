/** `--rtl FILE.v` (verify, lint): the user's own Verilog in place of the generated. */
import { statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from './io.ts';

/**
 * --rtl files must exist and be readable, and have distinct base names (they are copied side by
 * side into the simulator's run directory).
 */
export function checkRtlFiles(files: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const f of files) {
    let info;
    try {
      info = statSync(f);
    } catch (e) {
      throw new InputError(`--rtl ${f}`, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'check the path');
    }
    if (!info.isFile()) throw new InputError(`--rtl ${f}`, 'is not a regular file', 'give a Verilog file');
    const base = path.basename(f);
    const prev = seen.get(base);
    if (prev !== undefined) throw new InputError(`--rtl ${f}`, `has the same file name as --rtl ${prev}; the files are copied side by side, so one would replace the other`, 'rename one of them');
    seen.set(base, f);
  }
}
