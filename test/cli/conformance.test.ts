// `npugen conformance FILE`: the shipped vector files pass (exit 0); a line with a wrong expectation
// fails (exit 1) and names the line; a malformed ggml line is exit 2 naming file:line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
function collector(): CliIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTty: false, text: () => lines.join('\n') };
}
const tmp = (name: string, text: string) => {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'npugen-conf-')), name);
  writeFileSync(f, text);
  return f;
};

describe('npugen conformance', () => {
  test('test/data/public-ggml.jsonl: all 62 lines pass', async () => {
    const io = collector();
    expect(await runCli(['conformance', path.join(ROOT, 'test/data/public-ggml.jsonl')], io)).toBe(0);
    expect(io.text()).toContain('total 62: 62 passed, 0 failed, 0 malformed, 0 unsupported');
  });
  test('a wrong expected value fails with exit 1; a malformed row is exit 2 with file:line', async () => {
    const lines = readFileSync(path.join(ROOT, 'test/data/public-ggml.jsonl'), 'utf8').trim().split('\n');
    const dot = JSON.parse(lines.find((l) => l.includes('"ggml_vec_dot"'))!) as { expected: string };
    const flipped = { ...dot, expected: `0x${((parseInt(dot.expected, 16) ^ 1) >>> 0).toString(16).padStart(8, '0')}` };
    const bad = collector();
    expect(await runCli(['conformance', tmp('bad.jsonl', `${JSON.stringify(flipped)}\n`)], bad)).toBe(1);
    expect(bad.text()).toMatch(/FAIL g-ggml-\d+ \[ggml_vec_dot\]/);
    const odd = JSON.parse(lines[0]!) as { inputs: { x: string[] } };
    const malformed = { ...odd, inputs: { x: odd.inputs.x.slice(0, 31) } };
    const io = collector();
    expect(await runCli(['conformance', tmp('odd.jsonl', `${JSON.stringify(malformed)}\n`)], io)).toBe(2);
    expect(io.text()).toMatch(/odd\.jsonl:1: .*multiple of 32/);
  });
});
