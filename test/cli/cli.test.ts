// The CLI end to end: exit codes, generated files, verification on real simulators.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import { NPUGEN_VERSION } from '../../dsl/version.ts';
import { describeWithTools } from '../helpers/simulators.ts';
import { replaceOnce } from '../helpers/faults.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const fixture = (f: string) => path.join(ROOT, 'test/fixtures', f);

/** The hand-written MAC with a planted fault: accumulator bit 5 stuck at 0. */
function stuckBitMac(): string {
  const stuck = replaceOnce('acc bit 5 stuck at 0', /acc <= sum;/, () => "acc <= sum & ~32'h20;");
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'npugen-mac-bad-')), 'mac_i8.v');
  writeFileSync(file, stuck.apply(readFileSync(fixture('mac_i8_good.v'), 'utf8')));
  return file;
}
const example = (f: string) => path.join(ROOT, 'examples', f);

function collector(): CliIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTty: false, text: () => lines.join('\n') };
}

describe('npugen CLI', () => {
  test('--version and --help', async () => {
    const io = collector();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.text()).toBe(NPUGEN_VERSION);
    const help = collector();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.text()).toContain('npugen verify <design>');
  });

  test('unknown command and bad design file exit 2 with a located message', async () => {
    const io = collector();
    expect(await runCli(['verfy'], io)).toBe(2);
    expect(io.text()).toContain("unknown command 'verfy' (did you mean 'verify'?)");
    const io2 = collector();
    expect(await runCli(['gen', fixture('bad_generator.yaml'), '-o', tmpdir()], io2)).toBe(2);
    expect(io2.text()).toMatch(/bad_generator\.yaml:2:12: generator: unknown generator 'systolic'/);
  });

  test('gen writes one file per module', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'npugen-gen-')), 'rtl');
    const io = collector();
    expect(await runCli(['gen', example('mac_i8.yaml'), '-o', out], io)).toBe(0);
    expect(readdirSync(out)).toEqual(['.npugen-manifest.json', 'mac_i8.core', 'mac_i8.f', 'mac_i8.ts', 'mac_i8.v', 'mac_i8_exp.hex', 'mac_i8_stim.hex', 'mac_i8_tb.v']);
    expect(readFileSync(path.join(out, 'mac_i8.v'), 'utf8')).toContain('module mac_i8 (');
  });

  test('verify --sim builtin runs without external tools; with nothing to compare it says so on stderr', async () => {
    // A DSL design (no golden model) on the built-in simulator alone: it runs, nothing is compared.
    const err: string[] = [];
    const out: string[] = [];
    const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), isTty: false };
    expect(await runCli(['verify', example('counter.ts'), '--sim', 'builtin', '--vectors', '50'], io)).toBe(0);
    expect(out.join('\n')).toContain('builtin: counter simulated 50 cycles');
    expect(err).toEqual([expect.stringMatching(/^npugen: warning: verify counter: nothing was compared: .*--stimulus FILE --expected FILE.*--sim icarus, verilator or all/)]);
    // A design with a golden model compares against it: no such warning.
    const mac: string[] = [];
    expect(await runCli(['verify', example('mac_i8.yaml'), '--sim', 'builtin', '--vectors', '50'], { out: () => undefined, err: (t) => void mac.push(t), isTty: false })).toBe(0);
    expect(mac.join('\n')).not.toContain('nothing was compared');
  });
});

describeWithTools('icarus', 'npugen verify on Icarus', () => {
  test('generated mac passes; a hand-written RTL with a stuck bit fails with exit 1 and a located report', async () => {
    const ok = collector();
    expect(await runCli(['verify', example('mac_i8.yaml'), '--sim', 'icarus', '--vectors', '300'], ok)).toBe(0);
    const good = collector();
    expect(await runCli(['verify', example('mac_i8.yaml'), '--sim', 'icarus', '--vectors', '300', '--rtl', fixture('mac_i8_good.v')], good), good.text()).toBe(0);
    const bad = collector();
    expect(await runCli(['verify', example('mac_i8.yaml'), '--sim', 'icarus', '--vectors', '300', '--rtl', stuckBitMac()], bad)).toBe(1);
    expect(bad.text()).toMatch(/icarus: FAIL/);
    expect(bad.text()).toMatch(/port acc_out \(driven at dsl\/npu\/mac\.ts:\d+:\d+\)\n    operands: a = -?\d+ \(8'h[0-9a-f]+\)  b = -?\d+ \(8'h[0-9a-f]+\)/);
    // The planted fault is bit 5 stuck at 0: the report must name exactly that bit.
    expect(bad.text()).toMatch(/differing bits 32'h20  distance 32 LSB/);
  });

  test('--vcd writes a waveform around the first failure and --junit a JUnit report', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'npugen-vcd-'));
    const vcd = path.join(dir, 'wave.vcd');
    const junit = path.join(dir, 'report.xml');
    const io = collector();
    expect(await runCli(['verify', example('mac_i8.yaml'), '--sim', 'icarus', '--vectors', '100', '--rtl', stuckBitMac(), '--vcd', vcd, '--junit', junit], io)).toBe(1);
    const wave = readFileSync(vcd, 'utf8');
    expect(wave).toMatch(/\$var wire 32 \S+ acc_out/);
    expect(wave).toMatch(/^#\d+/m);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="verify mac_i8" tests="1" failures="1">');
    const first = /<failure message="\d+ mismatches in \d+ of 100 vectors">vector (\d+) cycle (\d+) port acc_out/.exec(xml);
    expect(first).not.toBeNull();
    // Cycle = 2 reset cycles + the vector index + latency 1 (the testbench's timing contract).
    expect(Number(first![2])).toBe(Number(first![1]) + 3);
  });
});

describeWithTools('verilator', 'npugen verify on Verilator', () => {
  test('a hand-written RTL with a stuck bit fails with exit 1', async () => {
    const bad = collector();
    expect(await runCli(['verify', example('mac_i8.yaml'), '--sim', 'verilator', '--vectors', '300', '--rtl', stuckBitMac()], bad)).toBe(1);
    expect(bad.text()).toMatch(/verilator: FAIL/);
  });
});
