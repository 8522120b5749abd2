import { describe, expect, it } from 'vitest';
import {
  ConformanceParseError,
  conformanceExitCode,
  formatConformanceReport,
  jsonEqual,
  parseConformanceFile,
  runConformance,
} from '../../../../sim/golden/conformance/run.ts';
import { isNanCode } from '../../../../sim/golden/conformance/nan-codes.ts';

const good = '{"id": "a1", "op": "narrow_int", "params": {"dtype": "int8", "overflow": "WRAP"}, "inputs": {"x": 200}, "expected": -56, "source": "example"}';

function parseError(text: string): ConformanceParseError {
  try {
    parseConformanceFile(text, 'f.jsonl');
  } catch (e) {
    if (e instanceof ConformanceParseError) return e;
    throw e;
  }
  throw new Error('expected a ConformanceParseError');
}

describe('parseConformanceFile', () => {
  it('accepts a well-formed line with or without a trailing newline and a note', () => {
    expect(parseConformanceFile(`${good}\n`, 'f.jsonl')).toHaveLength(1);
    const withNote = good.replace('"source": "example"', '"source": "example", "note": "n"');
    expect(parseConformanceFile(withNote, 'f.jsonl')[0]?.note).toBe('n');
  });

  it.each([
    ['not JSON', '{"id": ', 'not valid JSON'],
    ['missing key', good.replace(', "source": "example"', ''), 'missing source'],
    ['extra key', good.replace('"source"', '"extra": 1, "source"'), 'unexpected extra'],
    ['unknown op', good.replace('narrow_int', 'frobnicate'), 'op: expected one of the SCHEMA ops'],
    ['params keys', good.replace('"overflow": "WRAP"', '"overflow": "WRAP", "bits": 8'), 'params: unexpected bits'],
    ['inputs keys', good.replace('"x": 200', '"y": 200'), 'inputs: missing x; unexpected y'],
    ['blank line', `${good}\n\n${good.replace('a1', 'a2')}`, 'not valid JSON'],
  ])('%s: names file:line and the problem', (_name, text, message) => {
    const e = parseError(text);
    expect(e.message).toMatch(/^f\.jsonl:\d+: /);
    expect(e.message).toContain(message);
  });

  it('rejects duplicate ids, naming both lines', () => {
    const e = parseError(`${good}\n${good}`);
    expect(e.problems).toEqual([{ file: 'f.jsonl', line: 2, message: 'id "a1" already used on line 1' }]);
  });
});

describe('runConformance', () => {
  it('reports pass, failure (with expected and got) and malformed lines, and the exit code', () => {
    const lines = parseConformanceFile(
      [
        good,
        good.replace('a1', 'a2').replace('-56', '-55'),
        good.replace('a1', 'a3').replace('"int8"', '"int9"'),
      ].join('\n'),
      'f.jsonl',
    );
    const r = runConformance(lines);
    expect(r.byOp).toEqual([{ op: 'narrow_int', passed: 1, failed: 1, malformed: 1, unsupported: 0 }]);
    expect(r.failures).toEqual([{ id: 'a2', op: 'narrow_int', file: 'f.jsonl', line: 2, expected: -55, got: -56 }]);
    expect(r.malformedLines[0]?.message).toContain('params.dtype: expected one of');
    expect(conformanceExitCode(r)).toBe(2);
    expect(conformanceExitCode(runConformance(lines.slice(0, 2)))).toBe(1);
    expect(conformanceExitCode(runConformance(lines.slice(0, 1)))).toBe(0);
    const report = formatConformanceReport(r);
    expect(report).toContain('FAIL a2 [narrow_int] f.jsonl:2: expected -55, got -56');
    expect(report).toContain('MALFORMED a3');
  });

  it('counts ops without a handler as unsupported', () => {
    const lines = parseConformanceFile(good, 'f.jsonl', {});
    const r = runConformance(lines, {});
    expect(r.unsupported).toBe(1);
    expect(conformanceExitCode(r)).toBe(1);
  });
});

describe('helpers', () => {
  it('jsonEqual ignores key order only', () => {
    expect(jsonEqual({ a: 1, b: [1, '2'] }, { b: [1, '2'], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual(1, '1')).toBe(false);
  });

  it('isNanCode follows the SCHEMA format table', () => {
    expect(isNanCode('fp32', '0x7fc00000')).toBe(true);
    expect(isNanCode('fp32', '0x7f800000')).toBe(false); // Inf
    expect(isNanCode('fp16', '0xfc01')).toBe(true);
    expect(isNanCode('fp8_e4m3', '0x7f')).toBe(true);
    expect(isNanCode('fp8_e4m3', '0x7e')).toBe(false); // 448
    expect(isNanCode('fp8_e5m2', '0x7d')).toBe(true);
    expect(isNanCode('fp4_e2m1', '0xf')).toBe(false);
    expect(isNanCode('e8m0', '0xff')).toBe(true);
  });
});
