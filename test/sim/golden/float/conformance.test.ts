import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { floatOps } from '../../../../sim/golden/conformance/float-ops.ts';
import type { JsonValue, OpHandler } from '../../../../sim/golden/conformance/types.ts';
import { anyFormat, classifyFloat, parseBits } from '../../../../sim/golden/float/index.ts';

interface Line {
  readonly id: string;
  readonly op: string;
  readonly params: Record<string, JsonValue>;
  readonly inputs: Record<string, JsonValue>;
  readonly expected: JsonValue;
}

const url = new URL('../../../data/public.jsonl', import.meta.url);
const lines: Line[] = readFileSync(url, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Line);

const handlers: Record<string, OpHandler> = floatOps;
const ours = lines.filter((l) => Object.hasOwn(handlers, l.op));

/** SCHEMA pass rule: JSON deep equality, except that "NaN" for a bits op accepts any NaN code of nanFormat. */
function passes(h: OpHandler, line: Line, got: JsonValue): boolean {
  if (line.expected === 'NaN' && h.nanFormat && typeof got === 'string') {
    const fmt = anyFormat(h.nanFormat(line.params));
    return classifyFloat(fmt, parseBits(fmt, got)) === 'nan';
  }
  return JSON.stringify(got) === JSON.stringify(line.expected);
}

describe('public.jsonl float/MX lines', () => {
  it('covers every float op', () => {
    const counts = new Map<string, number>();
    for (const l of ours) counts.set(l.op, (counts.get(l.op) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(Object.keys(floatOps).sort());
  });

  for (const line of ours) {
    it(`${line.id} ${line.op}`, () => {
      const h = handlers[line.op] as OpHandler;
      expect(Object.keys(line.params).sort()).toEqual([...h.params].sort());
      expect(Object.keys(line.inputs).sort()).toEqual([...h.inputs].sort());
      const got = h.run(line.params, line.inputs);
      if (!passes(h, line, got)) expect(got).toEqual(line.expected);
    });
  }
});
