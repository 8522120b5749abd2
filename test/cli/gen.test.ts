// npugen gen: every artefact for every example, strict-typed bindings, standalone testbench,
// atomic writes, rejected names, and CLI-level exit codes for bad design files.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import { genArtifacts, type FileEntry } from '../../cli/commands/gen.ts';
import { writeOutputDir as writeDirAtomically } from '../../cli/output-dir.ts';
import { loadDesign } from '../../cli/design-file.ts';
import { typecheck } from '../generators/fpga/typecheck.ts';
import { describeWithTools } from '../helpers/simulators.ts';
import { onPath, runInvocation } from '../../sim/runner.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const example = (f: string) => path.join(ROOT, 'examples', f);
const EXAMPLES = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml') || f === 'counter.ts').sort();

function collector(): CliIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTty: false, text: () => lines.join('\n') };
}

const scratch = () => mkdtempSync(path.join(tmpdir(), 'npugen-gen-test-'));

describe('npugen gen: artefacts of every example', () => {
  test.each(EXAMPLES)('%s: .v per module, TB + vectors, .f, .core, .ts', async (file) => {
    const loaded = await loadDesign(example(file));
    const name = loaded.design.top;
    const entries = genArtifacts(loaded, { vectors: 20, seed: 1 });
    const names = entries.map(([n]) => n);
    const modules = loaded.design.modules.map((m) => `${m.name}.v`);
    expect(names).toEqual([...modules, `${name}_tb.v`, `${name}_stim.hex`, `${name}_exp.hex`, `${name}.f`, `${name}.core`, `${name}.ts`]);
    const text = new Map(entries.map(([n, c]) => [n, typeof c === 'string' ? c : Buffer.from(c).toString('latin1')]));
    expect(text.get(`${name}.f`)).toBe(modules.map((m) => `${m}\n`).join(''));
    const core = parse(text.get(`${name}.core`)!) as { filesets: { rtl: { files: string[] } }; targets: { default: { toplevel: string } } };
    expect(core.filesets.rtl.files).toEqual(modules);
    expect(core.targets.default.toplevel).toBe(name);
    expect(text.get(`${name}_tb.v`)).toContain('module npugen_tb (');
    expect(text.get(`${name}_tb.v`)).toContain('module npugen_tb_clock;');
    const rows = text.get(`${name}_stim.hex`)!.trim().split('\n').length;
    expect(text.get(`${name}_exp.hex`)!.trim().split('\n')).toHaveLength(rows);
    expect(text.get(`${name}_tb.v`)).toContain(`+vectors=${rows}`);
    expect(text.get(`${name}.ts`)).toContain(`export const top = "${name}" as const;`);
  });

  test('the bindings of every example type-check under strict (one compiler run)', async () => {
    const files: Record<string, string> = {};
    for (const f of EXAMPLES) {
      const loaded = await loadDesign(example(f));
      const bindings = genArtifacts(loaded, { vectors: 1, seed: 1 }).find(([n]) => n === `${loaded.design.top}.ts`)!;
      files[bindings[0]] = bindings[1] as string;
    }
    expect(typecheck(files)).toEqual([]);
  });

  test('formats come from the transaction model; parameters are rendered by name', async () => {
    const loaded = await loadDesign(example('systolic_ws_3x5.yaml'));
    const ts = genArtifacts(loaded, { vectors: 1, seed: 1 }).find(([n]) => n.endsWith('.ts'))![1] as string;
    expect(ts).toMatch(/readonly a_0: \{ readonly dir: 'input'; readonly width: 8; readonly signed: false; readonly format: "uint8" \}/);
    expect(ts).toContain('dataflow: "weight_stationary"');
    const counter = await loadDesign(example('counter.ts'));
    const cts = genArtifacts(counter, { vectors: 1, seed: 1 }).find(([n]) => n.endsWith('.ts'))![1] as string;
    expect(cts).toMatch(/readonly value: \{ readonly dir: 'output'; readonly width: 8; readonly signed: false; readonly format: "uint8" \}/);
    expect(cts).toContain('export const parameters = {} as const;');
  });

  test('CLI: writes the files and prints them; exit 0', async () => {
    const out = path.join(scratch(), 'rtl');
    const io = collector();
    expect(await runCli(['gen', example('dot_u8i8x3.yaml'), '-o', out, '--vectors', '30'], io), io.text()).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['.npugen-manifest.json', 'dot_u8i8x3.core', 'dot_u8i8x3.f', 'dot_u8i8x3.ts', 'dot_u8i8x3.v', 'dot_u8i8x3_exp.hex', 'dot_u8i8x3_stim.hex', 'dot_u8i8x3_tb.v']);
    expect(io.text()).toContain(`wrote ${path.join(out, 'dot_u8i8x3.core')}`);
    expect(readdirSync(path.dirname(out))).toEqual(['rtl']); // no temporary directory left
  });
});

describe('npugen gen: atomic writes', () => {
  test('an error while producing entries leaves neither the target nor a temporary directory', async () => {
    const parent = scratch();
    const dir = path.join(parent, 'out');
    function* entries(): Generator<FileEntry> {
      yield ['a.v', 'module a; endmodule\n'];
      yield ['b.v', 'module b; endmodule\n'];
      throw new Error('generator failed half-way');
    }
    await expect(writeDirAtomically(dir, entries())).rejects.toThrow('generator failed half-way');
    expect(readdirSync(parent)).toEqual([]);
  });

  test('an existing directory keeps its old contents when a later entry fails (path escape)', async () => {
    const parent = scratch();
    const dir = path.join(parent, 'out');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'a.v'), 'old\n');
    await expect(writeDirAtomically(dir, [['a.v', 'new\n'], ['../escape.v', 'x']])).rejects.toThrow(/outside the output directory/);
    expect(readFileSync(path.join(dir, 'a.v'), 'utf8')).toBe('old\n');
    expect(readdirSync(parent)).toEqual(['out']);
    expect(existsSync(path.join(parent, 'escape.v'))).toBe(false);
  });

  test('into an existing non-empty directory: a file npugen did not write is kept unless --force; others kept', async () => {
    const dir = path.join(scratch(), 'out');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'keep.txt'), 'mine\n');
    writeFileSync(path.join(dir, 'a.v'), 'old\n');
    await expect(writeDirAtomically(dir, [['a.v', 'new\n'], ['b.v', 'b\n']])).rejects.toThrow(/would overwrite a file npugen did not write .*\(a\.v\).*--force/);
    expect(readdirSync(dir).sort()).toEqual(['a.v', 'keep.txt']);
    await writeDirAtomically(dir, [['a.v', 'new\n'], ['b.v', 'b\n']], { force: true });
    expect(readdirSync(dir).sort()).toEqual(['.npugen-manifest.json', 'a.v', 'b.v', 'keep.txt']);
    expect(readFileSync(path.join(dir, 'a.v'), 'utf8')).toBe('new\n');
  });

  test.skipIf(process.getuid?.() === 0)('a read-only parent: the write fails (exit 2 would follow) and nothing is created', async () => {
    const parent = scratch();
    chmodSync(parent, 0o555);
    try {
      await expect(writeDirAtomically(path.join(parent, 'out'), [['a.v', 'x']])).rejects.toThrow(/EACCES/);
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      chmodSync(parent, 0o755);
    }
  });
});

describe('npugen gen: rejected names and bad design files exit 2', () => {
  test('a design whose name is not an identifier (it would escape DIR) is rejected', async () => {
    const dir = scratch();
    const file = path.join(dir, 'evil.mjs');
    writeFileSync(file, "export default { kind: 'design', top: '../evil', modules: [{ kind: 'module', name: '../evil', signals: [], nodes: [], connects: [], instances: [], doc: [] }] };\n");
    const out = path.join(dir, 'out');
    const io = collector();
    expect(await runCli(['gen', file, '-o', out], io)).toBe(2);
    expect(io.text()).toContain("design name '../evil' is not a legal identifier");
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.join(dir, 'evil.v'))).toBe(false);
  });

  test('a module named like the testbench is rejected', async () => {
    const dir = scratch();
    const file = path.join(dir, 'tb.mjs');
    writeFileSync(file, "export default { kind: 'design', top: 'npugen_tb', modules: [{ kind: 'module', name: 'npugen_tb', signals: [], nodes: [], connects: [], instances: [], doc: [] }] };\n");
    const io = collector();
    expect(await runCli(['gen', file, '-o', path.join(dir, 'out')], io)).toBe(2);
    expect(io.text()).toContain('npugen_ is reserved');
  });

  const cases: [string, string, RegExp][] = [
    ['bad name', 'generator: mac\nname: 9lives\nparams: { a: int8, b: int8 }\n', /name: '9lives' is not a legal identifier/],
    ['path in name', 'generator: mac\nname: ../../etc/x\nparams: { a: int8, b: int8 }\n', /is not a legal identifier/],
    ['unknown generator', 'generator: macc\nname: m\n', /unknown generator 'macc' \(did you mean 'mac'\?\)/],
    ['wrong type', 'generator: mac\nname: m\nparams: { a: 8, b: int8 }\n', /params\.a: /],
    ['absurd width', 'generator: mac\nname: m\nparams: { a: int100000000, b: int8 }\n', /params\.a: /],
    ['bad format', 'generator: mac\nname: m\nparams: { a: float8, b: int8 }\n', /params\.a: /],
    ['unknown key', 'generator: mac\nname: m\nparams: { a: int8, b: int8, acumulator: int32 }\n', /params\.acumulator: unknown key \(did you mean 'accumulator'\?\)/],
  ];
  test.each(cases)('%s', async (_label, yaml, message) => {
    const dir = scratch();
    const file = path.join(dir, 'd.yaml');
    writeFileSync(file, yaml);
    const io = collector();
    expect(await runCli(['gen', file, '-o', path.join(dir, 'out')], io)).toBe(2);
    expect(io.text()).toMatch(message);
    expect(io.text()).toMatch(/d\.yaml:\d+:\d+: /);
    expect(readdirSync(dir)).toEqual(['d.yaml']);
  });

  test('usage errors: no -o, two designs, bad --vectors', async () => {
    for (const args of [['gen', example('mac_i8.yaml')], ['gen', example('mac_i8.yaml'), example('counter.ts'), '-o', scratch()], ['gen', example('mac_i8.yaml'), '-o', scratch(), '--vectors', '0']]) {
      const io = collector();
      expect(await runCli(args, io)).toBe(2);
      expect(io.text()).toContain("Run 'npugen --help'");
    }
  });

  test('a missing simulator exits 2 with the apt package to install', async () => {
    const saved = process.env['PATH'];
    process.env['PATH'] = scratch();
    try {
      const io = collector();
      expect(await runCli(['verify', example('mac_i8.yaml'), '--sim', 'icarus', '--vectors', '5'], io)).toBe(2);
      expect(io.text()).toContain("command 'iverilog' not found (install it: apt-get install iverilog)");
      const lint = collector();
      expect(await runCli(['lint', example('mac_i8.yaml')], lint)).toBe(2);
      expect(lint.text()).toContain('apt-get install verilator');
    } finally {
      process.env['PATH'] = saved;
    }
  });
});

/** `gen` of mac_i8 into `dir` and the documented command lines of its testbench header (after `$ `). */
async function genMacWithCommands(dir: string): Promise<{ out: string; line: (re: RegExp) => string[] }> {
  const out = path.join(scratch(), dir);
  expect(await runCli(['gen', example('mac_i8.yaml'), '-o', out, '--vectors', '50'], collector())).toBe(0);
  const tb = readFileSync(path.join(out, 'mac_i8_tb.v'), 'utf8');
  return { out, line: (re) => re.exec(tb)![1]!.split(' ') };
}

/** The testbench's result file: every stimulus row checked, none failing. */
function expectAllChecked(out: string): void {
  const n = readFileSync(path.join(out, 'mac_i8_stim.hex'), 'utf8').trim().split('\n').length;
  expect(readFileSync(path.join(out, 'result.txt'), 'utf8')).toMatch(new RegExp(`^S vectors=${n} checked=${n} failing=0 mismatches=0 xz=0`));
}

describeWithTools('icarus', 'npugen gen: the testbench runs standalone', () => {
  test('mac_i8 on Icarus with the documented command lines: every vector checked, none failing', async () => {
    const { out, line } = await genMacWithCommands('mac');
    const compile = line(/\/\/ {3}\$ (iverilog .*)/);
    const run = line(/\/\/ {3}\$ (vvp .*?) &&/);
    await runInvocation({ tool: 'iverilog', command: compile[0]!, args: compile.slice(1), env: {}, cwd: out });
    await runInvocation({ tool: 'vvp', command: run[0]!, args: run.slice(1), env: {}, cwd: out });
    expectAllChecked(out);
  });
});

describeWithTools('verilator', 'npugen gen: the testbench runs standalone on Verilator', () => {
  // Verilator reads `// verilator ...` as a metacomment: a header line starting with the word
  // made this very file fail to compile ("Unknown verilator comment").
  test('mac_i8 with the documented Verilator command lines: every vector checked, none failing', async () => {
    const { out, line } = await genMacWithCommands('mac-verilator');
    const build = line(/\/\/ {3}\$ (verilator .*)/);
    const run = line(/\/\/ {3}\$ (obj_dir\/\S+ .*)/);
    // The documented command as written, built at -O0 through ccache like the suite's other
    // Verilator builds (the C++ level changes no Verilog semantics; cold builds are slow).
    const fast = ['-CFLAGS', '-O0', '-MAKEFLAGS', 'OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0'];
    await runInvocation({ tool: 'verilator', command: build[0]!, args: [...build.slice(1), ...fast], env: onPath('ccache') ? { OBJCACHE: 'ccache' } : {}, cwd: out });
    await runInvocation({ tool: 'simulator', command: path.join(out, run[0]!), args: run.slice(1), env: {}, cwd: out });
    expectAllChecked(out);
  }, 300_000);
});

describe('npugen gen: reproducible bytes', () => {
  // The real command in two processes with different working directories (and the design file
  // named by a relative and by an absolute path): every file must be byte-identical and name no
  // absolute path, so the output does not depend on where npugen runs or is installed.
  test('same bytes from two directories, no absolute path', () => {
    const bin = path.join(ROOT, 'bin', 'npugen.mjs');
    const runs = [
      { cwd: path.join(ROOT, 'examples'), design: 'fp_mac_bf16.yaml' },
      { cwd: scratch(), design: example('fp_mac_bf16.yaml') },
    ].map(({ cwd, design }) => {
      const out = path.join(scratch(), 'out');
      const r = spawnSync(process.execPath, [bin, 'gen', design, '-o', out, '--vectors', '5'], { cwd, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return new Map(readdirSync(out).sort().map((f) => [f, readFileSync(path.join(out, f))]));
    });
    const [a, b] = runs as [Map<string, Buffer>, Map<string, Buffer>];
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [f, bytes] of a) {
      expect(bytes.equals(b.get(f)!), f).toBe(true);
      const text = bytes.toString('latin1');
      for (const dir of [ROOT, tmpdir(), path.dirname(ROOT)]) expect(text.includes(dir), `${f} names ${dir}`).toBe(false);
    }
    // Location comments are present (brief, package-relative), and --no-locations is tested by the golden files.
    expect(a.get('fp_mac_bf16.v')!.toString()).toMatch(/\/\/ .*dsl\/npu\/fp-mac\.(ts|js):\d+\n/);
    // Issue #11 readability budget: at most 60% of the 421 wires and 29,334 bytes before the pass pipeline.
    const mac = a.get('fp_mac_bf16.v')!;
    expect(mac.toString().match(/^\s*wire\b/gm)!.length).toBeLessThanOrEqual(252);
    expect(mac.length).toBeLessThanOrEqual(17_600);
  }, 300_000);
});
