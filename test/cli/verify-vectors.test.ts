// `npugen verify --stimulus/--expected`: the user's own vector files on real simulators. The
// example file's expected values are worked out by hand in its comments, so they check the
// golden model and the RTL independently of both.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import { describeWithTools } from '../helpers/simulators.ts';
import { replaceOnce } from '../helpers/faults.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const example = (f: string) => path.join(ROOT, 'examples', f);
const VECTORS = example('mac_i8_vectors.csv');
const scratch = mkdtempSync(path.join(tmpdir(), 'npugen-vectors-'));

function collector(): CliIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTty: false, text: () => lines.join('\n') };
}

function write(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

/** The example file with row `a=-128, b=-128` expecting 32516 instead of the right 32515 (line 10). */
const wrongExpected = () => write('wrong.csv', replaceOnce('one expected value off by one', /^-128, -128, 1, {2}0, {5}32515$/m, () => '-128, -128, 1,  0,     32516').apply(readFileSync(VECTORS, 'utf8')));

describeWithTools('icarus', 'verify --stimulus/--expected on Icarus and the built-in simulator', () => {
  test('the example file: RTL and golden model agree with the hand-computed values (exit 0)', async () => {
    const io = collector();
    expect(await runCli(['verify', example('mac_i8.yaml'), '--stimulus', VECTORS, '--expected', VECTORS, '--sim', 'icarus'], io), io.text()).toBe(0);
    expect(io.text()).toContain(`reference: expected values of ${VECTORS}; 9 vectors from ${VECTORS}; latency 1`);
    expect(io.text()).toContain('icarus: PASS 9/9 vectors');
    expect(io.text()).toContain(`golden model: agrees with ${VECTORS} on all 9 vectors`);
  });

  test('a wrong expected value fails the RTL and is reported as a golden-model disagreement, with its line', async () => {
    const wrong = wrongExpected();
    const io = collector();
    expect(await runCli(['verify', example('mac_i8.yaml'), '--stimulus', VECTORS, '--expected', wrong, '--sim', 'builtin'], io)).toBe(1);
    const text = io.text();
    expect(text).toContain('builtin: FAIL 1/9 vectors failed');
    expect(text).toContain(`golden model: DISAGREES with ${wrong} on 1/9 vectors, 1 values`);
    expect(text).toContain(`vector 3 (${VECTORS}:10, expected ${wrong}:10)`);
    expect(text).toMatch(/expected 32516 \(32'h7f04\) {2}got 32515 \(32'h7f03\)/);
  });

  test('stimulus only: the golden model computes the expected rows; a stuck-bit RTL fails at a file row', async () => {
    const ok = collector();
    expect(await runCli(['verify', example('mac_i8.yaml'), '--stimulus', VECTORS, '--sim', 'icarus'], ok), ok.text()).toBe(0);
    expect(ok.text()).toContain(`reference: golden model; 9 vectors from ${VECTORS}`);
    const stuck = replaceOnce('acc bit 5 stuck at 0', /acc <= sum;/, () => "acc <= sum & ~32'h20;");
    const rtl = write('mac_i8.v', stuck.apply(readFileSync(path.join(ROOT, 'test/fixtures/mac_i8_good.v'), 'utf8')));
    const bad = collector();
    expect(await runCli(['verify', example('mac_i8.yaml'), '--stimulus', VECTORS, '--sim', 'icarus', '--rtl', rtl], bad)).toBe(1);
    // Bit 5 (0x20) is clear in 12, 2, 0x3f03 and 0x7f03; the first accumulator with it set is
    // -21 = 0xffffffeb, row 5 of the file (line 12).
    expect(bad.text()).toContain(`vector 5 (${VECTORS}:12)`);
  });

  test('a DSL design without a golden model: the built-in simulator is checked against the file', async () => {
    // counter.ts: value is sampled in the cycle its row is applied (latency 0): the count of
    // en=1 rows before it, from 0 after reset.
    const good = write('counter.csv', 'en, value\n1, 0\n1, 1\n0, 2\n1, 2\n1, 3\n');
    const ok = collector();
    expect(await runCli(['verify', example('counter.ts'), '--stimulus', good, '--expected', good, '--sim', 'icarus'], ok), ok.text()).toBe(0);
    expect(ok.text()).toContain(`built-in simulator of the IR: agrees with ${good} on all 5 vectors`);
    const wrong = write('counter-wrong.csv', 'en, value\n1, 0\n1, 1\n0, 3\n1, 2\n1, 3\n');
    const bad = collector();
    expect(await runCli(['verify', example('counter.ts'), '--stimulus', wrong, '--expected', wrong, '--sim', 'builtin'], bad)).toBe(1);
    expect(bad.text()).toContain(`built-in simulator of the IR: DISAGREES with ${wrong} on 1/5 vectors`);
    expect(bad.text()).toContain(`vector 2 (${wrong}:4, expected ${wrong}:4)`);
  });
});

describe('verify --stimulus/--expected: bad input exits 2 with a located message', () => {
  const cases: [string, string[], RegExp][] = [
    ['--expected without --stimulus', ['--expected', VECTORS], /--expected needs --stimulus/],
    ['--stimulus with --vectors', ['--stimulus', VECTORS, '--vectors', '5'], /--stimulus runs exactly the file's rows; drop --vectors/],
    ['--stimulus with --corners and --seed', ['--stimulus', VECTORS, '--corners', '--seed', '2'], /drop --seed, --corners/],
    ['a missing file', ['--stimulus', path.join(scratch, 'none.csv')], /none\.csv:0:0: cannot read vector file: ENOENT/],
    ['an unknown column', ['--stimulus', write('bad-col.csv', 'a,b,en,clr\n1,2,1,0\n')], /bad-col\.csv:1:8: 'clr' is not a port of this design \(did you mean 'clear'\?\)/],
    ['an out-of-range value', ['--stimulus', write('bad-val.jsonl', '{"a":1,"b":2,"en":1,"clear":0}\n{"a":1,"b":300,"en":1,"clear":0}\n')], /bad-val\.jsonl:2:8: b: 300 is out of range for int8/],
    ['expected rows fewer than stimulus rows', ['--stimulus', VECTORS, '--expected', write('short.csv', 'acc_out\n12\n')], /the expected vectors have 1 rows, the stimulus has 9/],
  ];
  test.each(cases)('%s', async (_name, args, message) => {
    const io = collector();
    expect(await runCli(['verify', example('mac_i8.yaml'), '--sim', 'builtin', ...args], io)).toBe(2);
    expect(io.text()).toMatch(message);
  });
});
