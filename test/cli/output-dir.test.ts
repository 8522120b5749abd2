// Output safety of `npugen gen -o DIR` (cli/output-dir.ts; docs/reliability.md, "Output safety"):
// hand-edited or foreign files are never overwritten without --force, an input never, an
// interrupted run leaves the old output and no temporary directory, modes follow the umask.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import { MANIFEST, readManifest, writeOutputDir } from '../../cli/output-dir.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const example = (f: string) => path.join(ROOT, 'examples', f);
const BIN = path.join(ROOT, 'bin', 'npugen.mjs');
const scratch = () => mkdtempSync(path.join(tmpdir(), 'npugen-outdir-'));

async function cli(...args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const io: CliIo = { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTty: false };
  return { code: await runCli(args, io), text: lines.join('\n') };
}

/** Every file of `dir` with its content, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), 'latin1')]));
}

describe('gen never overwrites what it did not write', () => {
  test('regenerating is allowed; a hand-edited file is refused (exit 2, named) unless --force; other files are kept', async () => {
    const out = path.join(scratch(), 'rtl');
    const mac = example('mac_i8.yaml');
    expect((await cli('gen', mac, '-o', out, '--vectors', '20')).code).toBe(0);
    const manifest = await readManifest(out);
    expect(manifest?.complete).toBe(true);
    expect(Object.keys(manifest!.files).sort()).toEqual(readdirSync(out).filter((f) => f !== MANIFEST).sort());
    expect((await cli('gen', mac, '-o', out, '--vectors', '30')).code).toBe(0); // npugen's own files: replaced
    expect(readFileSync(path.join(out, 'mac_i8_tb.v'), 'utf8')).toContain('30 random');
    writeFileSync(path.join(out, 'notes.txt'), 'mine\n');
    const edited = `${readFileSync(path.join(out, 'mac_i8.v'), 'utf8')}// my fix\n`;
    writeFileSync(path.join(out, 'mac_i8.v'), edited);
    const before = snapshot(out);
    const refused = await cli('gen', mac, '-o', out, '--vectors', '40');
    expect(refused.code).toBe(2);
    expect(refused.text).toMatch(/-o .*rtl: would overwrite a file npugen did not write or that were edited since \(mac_i8\.v\); .*pass --force/);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(path.dirname(out))).toEqual(['rtl']); // no temporary directory left
    expect((await cli('gen', mac, '-o', out, '--vectors', '40', '--force')).code).toBe(0);
    expect(readFileSync(path.join(out, 'mac_i8.v'), 'utf8')).not.toContain('// my fix');
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  test('a file that was there before npugen (no manifest) is refused too', async () => {
    const out = scratch();
    writeFileSync(path.join(out, 'counter.v'), '// hand-written\n');
    const r = await cli('gen', example('counter.ts'), '-o', out);
    expect(r.code).toBe(2);
    expect(r.text).toContain('(counter.v)');
    expect(readFileSync(path.join(out, 'counter.v'), 'utf8')).toBe('// hand-written\n');
  });

  test('a design counter.ts generated into its own folder: the bindings counter.ts never replace it, even with --force', async () => {
    const dir = scratch();
    // A copy of examples/counter.ts in a plain folder (no package.json: compiled as CommonJS).
    const source = readFileSync(example('counter.ts'), 'utf8').replace("'../dsl/index.ts'", JSON.stringify(path.join(ROOT, 'dsl', 'index.ts')));
    const design = path.join(dir, 'counter.ts');
    writeFileSync(design, source);
    for (const force of [[], ['--force']]) {
      const r = await cli('gen', design, '-o', dir, ...force);
      expect(r.code, r.text).toBe(2);
      expect(r.text).toMatch(/-o .*: the generated file 'counter\.ts' would overwrite the input .*counter\.ts; write the output into another directory/);
      expect(readFileSync(design, 'utf8')).toBe(source);
    }
    expect(readdirSync(dir)).toEqual(['counter.ts']);
    // The same file generates fine elsewhere.
    expect((await cli('gen', design, '-o', path.join(dir, 'out'))).code).toBe(0);
  });

  test('new directories follow the umask (not 0700); files too', async () => {
    const out = path.join(scratch(), 'fresh');
    await writeOutputDir(out, [['a.v', 'module a; endmodule\n']]);
    const mask = process.umask();
    expect(statSync(out).mode & 0o777).toBe(0o777 & ~mask);
    expect(statSync(path.join(out, 'a.v')).mode & 0o777).toBe(0o666 & ~mask);
  });
});

/** Spawns `npugen gen` slowed per file, waits until `ready(parent)`, sends `signal`; resolves with the exit. */
function genKilled(args: readonly string[], parent: string, ready: (parent: string) => boolean, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'gen', ...args], { env: { ...process.env, NPUGEN_TEST_WRITE_DELAY_MS: '400' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const poll = setInterval(() => {
      if (ready(parent)) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 20);
    child.on('error', reject);
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, stderr });
    });
  });
}

/** The temporary sibling exists and holds at least one written file: the run is mid-write. */
const midWrite = (parent: string): boolean => readdirSync(parent).some((f) => f.includes('.tmp-') && readdirSync(path.join(parent, f)).length >= 2);

describe('interrupted mid-write (bin/npugen.mjs, NPUGEN_TEST_WRITE_DELAY_MS slows each file)', () => {
  test('SIGTERM into a new directory, SIGINT into one holding older output: no temporary left, old output intact', async () => {
    const freshParent = scratch();
    const oldParent = scratch();
    const oldOut = path.join(oldParent, 'rtl');
    expect((await cli('gen', example('mac_i8.yaml'), '-o', oldOut, '--vectors', '20')).code).toBe(0);
    const before = snapshot(oldOut);
    const [term, int] = await Promise.all([
      genKilled([example('mac_i8.yaml'), '-o', path.join(freshParent, 'rtl')], freshParent, midWrite, 'SIGTERM'),
      genKilled([example('mac_i8.yaml'), '-o', oldOut, '--vectors', '3000'], oldParent, midWrite, 'SIGINT'),
    ]);
    expect(term.code, term.stderr).toBe(143);
    expect(readdirSync(freshParent)).toEqual([]);
    expect(int.code, int.stderr).toBe(130);
    expect(readdirSync(oldParent)).toEqual(['rtl']);
    expect(snapshot(oldOut)).toEqual(before);
  }, 60_000);
});

describe('writeOutputDir', () => {
  test('an interrupted commit is visible (complete: false) and its files still count as npugen\'s', async () => {
    const out = path.join(scratch(), 'rtl');
    await writeOutputDir(out, [['a.v', 'one\n']]);
    let calls = 0;
    const stop = new Error('killed during the commit');
    await expect(writeOutputDir(out, [['a.v', 'two\n'], ['b.v', 'two\n']], {
      afterEachFile: async () => {
        if (++calls === 3) throw stop; // after 2 files written: the first rename of the commit
      },
    })).rejects.toThrow(stop);
    const m = await readManifest(out);
    expect(m?.complete).toBe(false);
    // Recovery: the next run overwrites them without --force, and the manifest is complete again.
    await writeOutputDir(out, [['a.v', 'three\n'], ['b.v', 'three\n']]);
    expect((await readManifest(out))?.complete).toBe(true);
    expect(readFileSync(path.join(out, 'a.v'), 'utf8')).toBe('three\n');
    expect(readdirSync(path.dirname(out))).toEqual(['rtl']);
  });

  test('another design generated into the same directory: both sets are kept and listed', async () => {
    const out = path.join(scratch(), 'rtl');
    await writeOutputDir(out, [['a.v', 'a\n']]);
    await writeOutputDir(out, [['b.v', 'b\n']]);
    expect(Object.keys((await readManifest(out))!.files).sort()).toEqual(['a.v', 'b.v']);
    mkdirSync(path.join(out, 'sub'));
    cpSync(path.join(out, 'a.v'), path.join(out, 'sub', 'a.v'));
    await writeOutputDir(out, [['a.v', 'a2\n']]);
    expect(readFileSync(path.join(out, 'a.v'), 'utf8')).toBe('a2\n');
  });
});
