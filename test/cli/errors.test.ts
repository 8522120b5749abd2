// The CLI's one error path (docs/reliability.md, "Exit codes" and "Error messages"): every case
// of issue 16 under "Stack traces and wrong exit codes" and "Wrong answers" exits 2 with a
// message naming the flag, key or file, and no stack; a bug exits 3 with one line.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, symlinkSync, writeFileSync, ftruncateSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import { reportError } from '../../cli/report-error.ts';
import { MAX_CONFORMANCE_BYTES } from '../../cli/commands/conformance.ts';
import { loadDesign } from '../../cli/design-file.ts';
import { verifyDesign } from '../../sim/cosim/verify.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const example = (f: string) => path.join(ROOT, 'examples', f);
const BIN = path.join(ROOT, 'bin', 'npugen.mjs');

function collector(): CliIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTty: false, text: () => lines.join('\n') };
}

/** Runs the CLI in-process; returns the exit code and everything printed. */
async function cli(...args: string[]): Promise<{ code: number; text: string }> {
  const io = collector();
  const code = await runCli(args, io);
  return { code, text: io.text() };
}

const scratch = () => mkdtempSync(path.join(tmpdir(), 'npugen-errors-'));

/** Exit 2, the expected message, and nothing that looks like a stack trace. */
function expectBadInput(r: { code: number; text: string }, message: RegExp): void {
  expect(r.code, r.text).toBe(2);
  expect(r.text).toMatch(message);
  expect(r.text).not.toMatch(/\n\s+at /);
}

describe('bad output paths exit 2 naming -o', () => {
  test('an existing file, a dangling link, /dev/null, a file as a parent, a 10,000-character name', async () => {
    const dir = scratch();
    const file = path.join(dir, 'afile');
    writeFileSync(file, 'mine\n');
    const link = path.join(dir, 'dangling');
    symlinkSync(path.join(dir, 'nowhere', 'x'), link);
    const mac = example('mac_i8.yaml');
    expectBadInput(await cli('gen', mac, '-o', file), /-o .*afile: exists and is a file, not a directory; give a directory path/);
    expectBadInput(await cli('gen', mac, '-o', link), /-o .*dangling: is a symbolic link to a path that does not exist/);
    expectBadInput(await cli('gen', mac, '-o', '/dev/null'), /-o \/dev\/null: exists and is a device, not a directory/);
    expectBadInput(await cli('gen', mac, '-o', path.join(file, 'out')), /-o .*afile\/out: .*(ENOTDIR|not a directory)/);
    expectBadInput(await cli('gen', mac, '-o', path.join(dir, 'a'.repeat(10_000))), /-o .*a path component is 10000 bytes long; file systems allow 255/);
    expect(readdirSync(dir).sort()).toEqual(['afile', 'dangling']); // no temporary directory left
  });

  // Root writes through mode bits, so the test above skips as root; /sys refuses even root.
  test.runIf(process.platform === 'linux' && existsSync('/sys/kernel'))('a location even root cannot write (/sys): exit 2 naming -o, nothing left', async () => {
    expectBadInput(await cli('gen', example('mac_i8.yaml'), '-o', '/sys/npugen-out'), /-o \/sys\/npugen-out: .*(EPERM|EACCES|EROFS)\)?; choose another path/);
    expect(readdirSync('/sys').filter((f) => f.includes('npugen'))).toEqual([]);
  });

  test.skipIf(process.getuid?.() === 0)('a read-only directory', async () => {
    const dir = scratch();
    const ro = path.join(dir, 'ro');
    mkdirSync(ro, { mode: 0o555 });
    expectBadInput(await cli('gen', example('mac_i8.yaml'), '-o', path.join(ro, 'out')), /-o .*ro\/out: .*permission denied \(EACCES\)/);
  });
});

describe('bad flags and input files exit 2 before any work', () => {
  test('--vectors -1, --vectors 0, --seed above 2^32-1, --junit/--vcd into a missing directory', async () => {
    const mac = example('mac_i8.yaml');
    expectBadInput(await cli('verify', mac, '--sim', 'builtin', '--vectors', '-1'), /--vectors/);
    expectBadInput(await cli('verify', mac, '--sim', 'builtin', '--vectors=-1'), /--vectors must be an integer >= 0, got '-1'/);
    expectBadInput(await cli('verify', mac, '--sim', 'builtin', '--vectors', '0'), /--vectors 0 checks nothing/);
    expectBadInput(await cli('verify', example('counter.ts'), '--sim', 'builtin', '--vectors', '0'), /--vectors 0 checks nothing/);
    // 4294967297 = 2^32 + 1 would draw exactly seed 1's vectors.
    expectBadInput(await cli('verify', mac, '--sim', 'builtin', '--seed', '4294967297'), /--seed must be an integer in 0\.\.4294967295, got '4294967297'/);
    expectBadInput(await cli('gen', mac, '-o', path.join(scratch(), 'o'), '--seed', '4294967297'), /--seed must be an integer in 0\.\.4294967295/);
    const missing = path.join(scratch(), 'no-such-dir');
    for (const flag of ['--junit', '--vcd']) {
      const r = await cli('verify', mac, '--sim', 'builtin', '--vectors', '5', flag, path.join(missing, 'x'));
      expectBadInput(r, new RegExp(`${flag} .*no-such-dir/x: the directory .*no-such-dir does not exist; create it first`));
      expect(r.text).not.toContain('PASS'); // checked before the run, not after it
    }
  });

  test('--rtl: a missing file, two files with the same name (verify and lint)', async () => {
    const dir = scratch();
    for (const d of ['a', 'b']) {
      mkdirSync(path.join(dir, d));
      writeFileSync(path.join(dir, d, 'mac.v'), 'module mac_i8; endmodule\n');
    }
    const mac = example('mac_i8.yaml');
    expectBadInput(await cli('verify', mac, '--sim', 'builtin', '--rtl', path.join(dir, 'none.v')), /--rtl .*none\.v: no such file; check the path/);
    expectBadInput(await cli('verify', mac, '--sim', 'builtin', '--rtl', path.join(dir, 'a', 'mac.v'), '--rtl', path.join(dir, 'b', 'mac.v')), /--rtl .*b\/mac\.v: has the same file name as --rtl .*a\/mac\.v.*rename one of them/);
    expectBadInput(await cli('lint', mac, '--rtl', path.join(dir, 'none.v')), /--rtl .*none\.v: no such file/);
  });

  test('a TS design whose default export throws; one that is not a design', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'throws.mjs'), "export default () => { throw new Error('no weights file'); };\n");
    writeFileSync(path.join(dir, 'top-throws.mjs'), "throw new RangeError('bad width');\n");
    expectBadInput(await cli('gen', path.join(dir, 'throws.mjs'), '-o', path.join(dir, 'o')), /throws\.mjs:1:1: the default export \(a function\) threw: no weights file/);
    expectBadInput(await cli('gen', path.join(dir, 'top-throws.mjs'), '-o', path.join(dir, 'o')), /top-throws\.mjs:1:1: cannot load design module: RangeError: bad width/);
    expect(existsSync(path.join(dir, 'o'))).toBe(false);
  });

  test('conformance: an empty file, a file over the size limit (sparse, 1 byte over)', async () => {
    const dir = scratch();
    const empty = path.join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    expectBadInput(await cli('conformance', empty), /empty\.jsonl: has no test vectors, so nothing would be checked/);
    const big = path.join(dir, 'big.jsonl');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, MAX_CONFORMANCE_BYTES + 1);
    closeSync(fd);
    expectBadInput(await cli('conformance', big), /big\.jsonl: is 256 MiB; conformance files are read whole, at most 256 MiB; split it/);
  });
});

describe('wrong answers are now errors or right answers', () => {
  test('a Verilog keyword as a module name is rejected (YAML name and TS module), like a bad identifier', async () => {
    const dir = scratch();
    for (const kw of ['module', 'wire', 'logic', 'class']) {
      const f = path.join(dir, `${kw}.yaml`);
      writeFileSync(f, `generator: mac\nname: ${kw}\nparams: { a: int8, b: int8, accumulator: int32 }\n`);
      expectBadInput(await cli('gen', f, '-o', path.join(dir, 'o')), new RegExp(`${kw}\\.yaml:2:7: name: '${kw}' is a Verilog/SystemVerilog keyword`));
    }
    const ts = path.join(dir, 'kw.mjs');
    writeFileSync(ts, "export default { kind: 'design', top: 'wire', modules: [{ kind: 'module', name: 'wire', signals: [], nodes: [], connects: [], instances: [], doc: [] }] };\n");
    expectBadInput(await cli('verify', ts, '--sim', 'builtin'), /design name 'wire' is a Verilog\/SystemVerilog keyword/);
    expect(existsSync(path.join(dir, 'o'))).toBe(false);
  });

  test('verify counter.ts --exhaustive runs every input combination (a DSL design has no golden model); --corners is refused', async () => {
    const counter = example('counter.ts');
    const r = await cli('verify', counter, '--sim', 'builtin', '--exhaustive', '--vectors', '3');
    expect(r.code, r.text).toBe(0);
    expect(r.text).toContain('counter simulated 5 cycles (every input combination, then seed 1)');
    const { design } = await loadDesign(counter);
    // The built-in simulator is the reference here; no RTL simulator is needed to see the plan.
    const plan = await verifyDesign(design, { simulators: [], vectors: 3, seed: 1, exhaustive: true });
    expect(plan.stimulusCounts).toEqual({ exhaustive: 2, corners: 0, random: 3 });
    expect(plan.stimulus.toRows().slice(0, 2)).toEqual([[0n], [1n]]); // en = 0, then en = 1
    expectBadInput(await cli('verify', counter, '--sim', 'builtin', '--corners'), /--corners: corner cases come from a golden model/);
  });

  test('a 10,000-character design name is rejected before it becomes a file name', async () => {
    const f = path.join(scratch(), 'long.yaml');
    writeFileSync(f, `generator: mac\nname: ${'n'.repeat(10_000)}\nparams: { a: int8, b: int8, accumulator: int32 }\n`);
    expectBadInput(await cli('gen', f, '-o', path.join(path.dirname(f), 'o')), /long\.yaml:2:7: name: 'n{40}\.\.\.' is 10000 characters long; names become file names, so at most 200/);
  });
});

describe('internal errors exit 3 with one line', () => {
  test('reportError: a bug is one line asking for a report; --debug adds the stack; an errno error is exit 2', async () => {
    const io = collector();
    expect(await reportError(new TypeError("Cannot read properties of undefined (reading 'x')"), io, false)).toBe(3);
    expect(io.text()).toMatch(/^npugen: internal error \(a bug in npugen [0-9.]+\): TypeError: Cannot read .*; please report it with the command you ran \(rerun with --debug for the stack trace\)$/);
    const dbg = collector();
    expect(await reportError(new TypeError('boom'), dbg, true)).toBe(3);
    expect(dbg.text()).toMatch(/\n\s+at /);
    const fs = collector();
    const eacces = Object.assign(new Error("EACCES: permission denied, mkdir '/ro/x'"), { code: 'EACCES', syscall: 'mkdir', path: '/ro/x' });
    expect(await reportError(eacces, fs, false)).toBe(2);
    expect(fs.text()).toBe("npugen: '/ro/x': mkdir: permission denied (EACCES); choose a path you can write to, or change its permissions");
  });

  test('end to end (bin/npugen.mjs): a malformed design object crashes inside npugen: exit 3, one line, no stack', () => {
    const dir = scratch();
    const f = path.join(dir, 'odd.mjs');
    writeFileSync(f, "export default { kind: 'design', top: 'odd', modules: 5 };\n");
    const r = spawnSync(process.execPath, [BIN, 'gen', f, '-o', path.join(dir, 'o')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(3);
    // bin/npugen.mjs may first say it runs the sources (dist/ older than an edited file).
    const lines = r.stderr.trim().split('\n').filter((l) => !/running the TypeScript sources/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npugen: internal error \(a bug in npugen .*\): TypeError: .*please report it .*--debug/);
  });
});
