import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConformanceFile, runConformance, SCHEMA_OPS } from '../../../../sim/golden/conformance/run.ts';

const file = fileURLToPath(new URL('../../../data/public.jsonl', import.meta.url));
const lines = parseConformanceFile(readFileSync(file, 'utf8'), 'test/data/public.jsonl');

describe('test/data/public.jsonl', () => {
  it('parses strictly: 350 lines, every SCHEMA op present', () => {
    expect(lines).toHaveLength(350);
    expect(new Set(lines.map((l) => l.op))).toEqual(new Set(SCHEMA_OPS));
  });

  for (const op of SCHEMA_OPS) {
    it(`${op}: every line passes`, () => {
      const result = runConformance(lines.filter((l) => l.op === op));
      const bad = [...result.failures.map((f) => `${f.id}: expected ${JSON.stringify(f.expected)}, got ${JSON.stringify(f.got ?? f.error)}`), ...result.malformedLines.map((m) => `${m.id}: ${m.message}`)];
      expect(bad).toEqual([]);
      expect(result.passed).toBeGreaterThan(0);
    });
  }
});
