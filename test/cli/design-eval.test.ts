// A TypeScript design that never finishes evaluating gets a located message and exit 2: an
// endless loop is stopped after NPUGEN_DESIGN_TIMEOUT seconds, a top-level await on a promise
// nothing settles is recognised (Node alone would exit 13 without a word).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'npugen-design-eval-'));
const saved = process.env['NPUGEN_DESIGN_TIMEOUT'];
afterAll(() => {
  if (saved === undefined) delete process.env['NPUGEN_DESIGN_TIMEOUT'];
  else process.env['NPUGEN_DESIGN_TIMEOUT'] = saved;
});

function collector(): CliIo & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTty: false, text: () => lines.join('\n') };
}

function design(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('design module evaluation limits', () => {
  test('while (true) at module level: a timeout naming the file (exit 2)', async () => {
    process.env['NPUGEN_DESIGN_TIMEOUT'] = '2';
    const file = design('loop.mts', 'while (true) {}\nexport default 1;\n');
    const io = collector();
    const started = Date.now();
    expect(await runCli(['verify', file, '--sim', 'builtin'], io)).toBe(2);
    expect(io.text()).toBe(`npugen: ${file}:1:1: evaluating the design module timed out after 2 s (an endless loop?); raise the limit with NPUGEN_DESIGN_TIMEOUT=SECONDS if the design is just large`);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);

  test('a default export function that never returns times out the same way', async () => {
    process.env['NPUGEN_DESIGN_TIMEOUT'] = '2';
    const file = design('spin.mjs', 'export default function () { for (;;) {} }\n');
    const io = collector();
    expect(await runCli(['gen', file, '-o', path.join(dir, 'out')], io)).toBe(2);
    expect(io.text()).toContain('evaluating the design module timed out after 2 s');
  }, 90_000);

  test('a top-level await that never settles: a clear message, not a silent exit 13', async () => {
    delete process.env['NPUGEN_DESIGN_TIMEOUT'];
    const file = design('tla.mts', 'await new Promise(() => {});\nexport default 1;\n');
    const io = collector();
    expect(await runCli(['verify', file, '--sim', 'builtin'], io)).toBe(2);
    expect(io.text()).toBe(`npugen: ${file}:1:1: the design module never finished loading: a top-level await waits on a promise that never settles; resolve or remove it`);
  }, 90_000);
});
