/**
 * `npugen gen <design> -o DIR`: writes one Verilog file per module (`DIR/<module>.v`; the top
 * is `<name>.v`). The directory is written atomically: files go to a temporary sibling that is
 * renamed into place only when everything was written, so an error leaves no partial output.
 */
import { mkdir, rename, rm, writeFile, mkdtemp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { emitVerilog } from '../../generators/verilog/emit.ts';
import { loadDesign } from '../design-file.ts';
import { EXIT, UsageError, type CliIo } from '../io.ts';

export async function runGen(designFile: string, outDir: string | undefined, io: CliIo): Promise<number> {
  if (!outDir) throw new UsageError('gen needs an output directory: npugen gen <design> -o DIR');
  const { design } = await loadDesign(designFile);
  const files = emitVerilog(design);
  await writeDirAtomically(outDir, files.map((f) => [f.fileName, f.text]));
  for (const f of files) io.out(`wrote ${path.join(outDir, f.fileName)}`);
  return EXIT.ok;
}

/**
 * Writes `entries` into `dir`: into a fresh temporary sibling first, then swaps it in.
 * Existing files in `dir` that are not rewritten are kept.
 */
export async function writeDirAtomically(dir: string, entries: readonly (readonly [string, string])[]): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(path.join(parent, `.${path.basename(dir)}.tmp-`));
  try {
    for (const [name, text] of entries) {
      const target = path.resolve(tmp, name);
      if (path.dirname(target) !== tmp) throw new UsageError(`refusing to write '${name}' outside the output directory`);
      await writeFile(target, text);
    }
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(tmp)) await rename(path.join(tmp, name), path.join(dir, name));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
