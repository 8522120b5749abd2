import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConformanceFile, runConformance, SCHEMA_OPS } from '../../../../sim/golden/conformance/run.ts';

function load(name: string) {
  const file = fileURLToPath(new URL(`../../../data/${name}`, import.meta.url));
  return parseConformanceFile(readFileSync(file, 'utf8'), `test/data/${name}`);
}
const files = [
  { name: 'public.jsonl', lines: load('public.jsonl'), count: 350 },
  { name: 'public-ggml.jsonl', lines: load('public-ggml.jsonl'), count: 62 },
];

describe('test/data vector files', () => {
  it('parse strictly; together they cover every SCHEMA op', () => {
    for (const f of files) expect(f.lines, f.name).toHaveLength(f.count);
    expect(new Set(files.flatMap((f) => f.lines.map((l) => l.op)))).toEqual(new Set(SCHEMA_OPS));
  });

  for (const f of files) {
    for (const op of new Set(f.lines.map((l) => l.op))) {
      it(`${f.name} ${op}: every line passes`, () => {
        const result = runConformance(f.lines.filter((l) => l.op === op));
        const bad = [...result.failures.map((x) => `${x.id}: expected ${JSON.stringify(x.expected)}, got ${JSON.stringify(x.got ?? x.error)}`), ...result.malformedLines.map((m) => `${m.id}: ${m.message}`)];
        expect(bad).toEqual([]);
        expect(result.passed).toBeGreaterThan(0);
      });
    }
  }
});
