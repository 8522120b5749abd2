/**
 * A simulator/synthesis file list (`<name>.f`): one source per line in dependency order
 * (children before their parents, the top last), paths relative to the list's directory.
 * No comments: `iverilog -c` and `verilator -f` disagree on comment syntax.
 */
export function fileList(files: readonly string[]): string {
  for (const f of files) {
    if (/\s/.test(f)) throw new Error(`file list: '${f}' contains white space`);
  }
  return files.map((f) => `${f}\n`).join('');
}
