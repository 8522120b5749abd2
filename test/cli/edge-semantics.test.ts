// Edge semantics of issue 16 (docs/reliability.md, "Edge semantics"): integer formats at widths
// past 64 bits, YAML aliases, --rtl port mismatches and Verilator warnings, TypeScript designs
// loaded from folders outside any package.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import { loadYamlDesign } from '../../cli/design-file.ts';
import { parseFormat } from '../../formats/number-format.ts';
import { describeWithTools } from '../helpers/simulators.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const example = (f: string) => path.join(ROOT, 'examples', f);
const fixture = (f: string) => path.join(ROOT, 'test/fixtures/rtl-checks', f);
const BIN = path.join(ROOT, 'bin', 'npugen.mjs');
const scratch = () => mkdtempSync(path.join(tmpdir(), 'npugen-edge-'));

async function cli(...args: string[]): Promise<{ code: number; text: string; err: string }> {
  const lines: string[] = [];
  const errs: string[] = [];
  const io: CliIo = { out: (t) => void lines.push(t), err: (t) => { lines.push(t); errs.push(t); }, isTty: false };
  return { code: await runCli(args, io), text: lines.join('\n'), err: errs.join('\n') };
}

function yamlFile(text: string): string {
  const f = path.join(scratch(), 'design.yaml');
  writeFileSync(f, text);
  return f;
}

describe('integer formats past 64 bits', () => {
  test('mac a: int60, b: int64, accumulator: int128: the golden model (exact bigint) agrees with the built-in simulator, corners included', async () => {
    const f = yamlFile('generator: mac\nname: mac_wide\nparams: { a: int60, b: int64, accumulator: int128 }\n');
    const r = await cli('verify', f, '--sim', 'builtin', '--corners', '--vectors', '100');
    expect(r.code, r.text).toBe(0);
    expect(r.text).toMatch(/builtin: PASS \d+\/\d+ vectors/);
  });

  test('fp_convert from: int65536 (the widest format) to fp32', async () => {
    const f = yamlFile('generator: fp_convert\nname: cvt_wide\nparams: { from: int65536, to: fp32 }\n');
    const r = await cli('verify', f, '--sim', 'builtin', '--vectors', '5');
    expect(r.code, r.text).toBe(0);
    expect(r.text).toContain('result: PASS');
  }, 60_000);
});

describeWithTools('icarus', 'integer formats past 64 bits on Icarus', () => {
  test('the 128-bit mac RTL matches the golden model', async () => {
    const f = yamlFile('generator: mac\nname: mac_wide\nparams: { a: int60, b: int64, accumulator: int128 }\n');
    const r = await cli('verify', f, '--sim', 'icarus', '--corners', '--vectors', '200');
    expect(r.code, r.text).toBe(0);
    expect(r.text).toMatch(/icarus: PASS/);
  });
});

describe('YAML aliases', () => {
  test('a: &f int8, b: *f is b: int8; an alias bomb is still refused, located', () => {
    const aliased = loadYamlDesign('alias.yaml', 'generator: mac\nname: mac_alias\nparams:\n  a: &f int8\n  b: *f\n  accumulator: int32\n');
    expect(aliased.params.b).toEqual(parseFormat('int8'));
    expect(aliased.params.a).toEqual(aliased.params.b);
    const bomb = ['generator: mac', 'name: lol', 'params:', '  a: &a [x, x, x, x, x, x, x, x, x]', '  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      '  accumulator: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', '  overflow: [*c, *c, *c, *c, *c, *c, *c, *c, *c]', ''].join('\n');
    expect(() => loadYamlDesign('bomb.yaml', bomb)).toThrow(/^bomb\.yaml:4:3: params: too many YAML alias expansions/);
  });
});

describeWithTools('verilator', '--rtl checked against the design\'s ports (Verilator lint)', () => {
  test('a widened port is a port-width error (exit 2), not a list of mismatches; a missing or extra port too', async () => {
    const mac = example('mac_i8.yaml');
    const wide = await cli('verify', mac, '--sim', 'builtin', '--rtl', fixture('mac_i8_wide_out.v'));
    expect(wide.code, wide.text).toBe(2);
    expect(wide.text).toMatch(/--rtl .*mac_i8_wide_out\.v: does not match the design's ports: port 'acc_out' is 40 bits wide in your RTL, the design's is 32/);
    expect(wide.text).not.toMatch(/mismatch/i);
    const pins = await cli('verify', mac, '--sim', 'builtin', '--rtl', fixture('mac_i8_pins.v'));
    expect(pins.code, pins.text).toBe(2);
    expect(pins.text).toMatch(/your RTL has a port 'extra' that the design does not have; your RTL has no port 'clear'/);
  });
});

describeWithTools('icarus', 'Verilator warnings in --rtl files are shown (Icarus simulates)', () => {
  test('INFINITELOOP in a loop that never runs: the warning is printed, and the (correct) RTL passes', async () => {
    if (!(await import('../helpers/simulators.ts')).onPath('verilator')) return; // the warning comes from Verilator's linter
    const r = await cli('verify', example('mac_i8.yaml'), '--sim', 'icarus', '--vectors', '50', '--rtl', fixture('mac_i8_infinite_loop.v'));
    expect(r.code, r.text).toBe(0);
    expect(r.err).toMatch(/npugen: warning: verilator on your --rtl files: .*mac_i8_infinite_loop\.v:\d+:\d+: Infinite loop \(condition always true\) \[INFINITELOOP\]/);
    expect(r.text).toContain('icarus: PASS');
  });
});

/** `npugen verify FILE --sim builtin` as a user runs it (bin/npugen.mjs, cwd = the design's folder). */
function verifyBin(file: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'verify', path.basename(file), '--sim', 'builtin', '--vectors', '5'], { cwd: path.dirname(file), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('TypeScript designs load from any folder', () => {
  test('a copy of examples/counter.ts as .ts (no package.json: CommonJS), as .mts, and in an ESM package', async () => {
    // Outside any package: the design imports npugen's DSL by path (no npugen installed there).
    const source = readFileSync(example('counter.ts'), 'utf8').replace("'../dsl/index.ts'", JSON.stringify(path.join(ROOT, 'dsl', 'index.ts')));
    const plain = scratch();
    const esm = scratch();
    writeFileSync(path.join(esm, 'package.json'), '{ "type": "module" }\n');
    const files = [path.join(plain, 'counter.ts'), path.join(plain, 'counter2.mts'), path.join(esm, 'counter.ts')];
    for (const f of files) writeFileSync(f, source);
    // Importing npugen by name where it is not installed: exit 2 with what to do.
    const byName = path.join(plain, 'named.ts');
    writeFileSync(byName, source.replace(JSON.stringify(path.join(ROOT, 'dsl', 'index.ts')), "'npugen'"));
    const [named, ...runs] = await Promise.all([byName, ...files].map(verifyBin));
    for (const r of runs) {
      expect(r!.code, r!.out).toBe(0);
      expect(r!.out).toContain('builtin: counter simulated 5 cycles');
    }
    expect(named!.code, named!.out).toBe(2);
    expect(named!.out).toMatch(/named\.ts:1:1: cannot load design module: .*npugen.*npm install npugen/);
  }, 60_000);
});
