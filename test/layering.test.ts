// What must never import what (docs/architecture.md, "Layering"), checked on the source text:
// a forbidden import fails here with the file and the import, not in a reviewer's head.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Import { readonly from: string; readonly target: string; readonly typeOnly: boolean }

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, dir))) {
    const rel = path.join(dir, e);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (rel.endsWith('.ts')) out.push(rel);
  }
  return out;
}

/** Relative imports (and re-exports) of a file, resolved to repository paths. */
function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?(?:[^;'"]*?\s+from\s+)?'(\.[^']+)'/gms)) {
    out.push({ from: file, target: path.join(path.dirname(file), m[3]!), typeOnly: m[2] !== undefined });
  }
  return out;
}

/**
 * Port-like types that are not a second description of a port's bits: the Verilog syntax tree's
 * port (direction and comment of an emitted declaration).
 */
const ALLOWED_PORT_VIEWS = new Set(['VPort']);

const under = (p: string, dir: string): boolean => p === dir || p.startsWith(`${dir}/`);

function violations(dirs: readonly string[], forbidden: (i: Import) => boolean): string[] {
  return [...new Set(dirs.flatMap(sourceFiles).flatMap(importsOf).filter(forbidden).map((i) => `${i.from} imports ${i.target}`))];
}

describe('layering', () => {
  test('formats/ is a leaf: it imports only formats/', () => {
    expect(violations(['formats'], (i) => !under(i.target, 'formats'))).toEqual([]);
  });

  test('dsl/ imports nothing from sim/, generators/, catalog/ or cli/', () => {
    expect(violations(['dsl'], (i) => ['sim', 'generators', 'catalog', 'cli'].some((d) => under(i.target, d)))).toEqual([]);
  });

  test('sim/golden (the independent reference) imports nothing from dsl/, generators/ or catalog/', () => {
    expect(violations(['sim/golden'], (i) => ['dsl', 'generators', 'catalog'].some((d) => under(i.target, d)))).toEqual([]);
  });

  test('sim/models see the DSL only through types (a generator\'s param type), never its values', () => {
    expect(violations(['sim/models'], (i) => under(i.target, 'dsl') && !i.typeOnly)).toEqual([]);
  });

  test('generators/ imports nothing from sim/, catalog/ or cli/', () => {
    expect(violations(['generators'], (i) => ['sim', 'catalog', 'cli'].some((d) => under(i.target, d)))).toEqual([]);
  });

  test('dsl/, sim/, generators/ and formats/ never import catalog/ (only the applications above it do)', () => {
    expect(violations(['dsl', 'sim', 'generators', 'formats'], (i) => under(i.target, 'catalog'))).toEqual([]);
  });

  test('one home for formats and ports: only formats/ parses format strings or defines the Port type', () => {
    const files = ['dsl', 'sim', 'generators', 'catalog', 'cli', 'onnx', 'explore', 'examples', 'bench'].flatMap(sourceFiles);
    const offenders = files.flatMap((f) => {
      const text = readFileSync(path.join(ROOT, f), 'utf8');
      // A second parser of format strings (int8, fixed<16,4>, bf16) or a second port type / alias.
      const bad = [...text.matchAll(/^export (?:function (parse\w*Format)\b|(?:type|interface) (\w*Port(?:Shape|Info)?)\b(?! extends))/gm)]
        .map((m) => m[1] ?? m[2]!)
        .filter((n) => !ALLOWED_PORT_VIEWS.has(n));
      return bad.map((n) => `${f}: ${n}`);
    });
    expect(offenders).toEqual([]);
    expect(sourceFiles('formats').some((f) => /export function parseFormat\b/.test(readFileSync(path.join(ROOT, f), 'utf8')))).toBe(true);
  });

  test('the import scanner sees imports (so the rules above can fail)', () => {
    const found = importsOf('catalog/index.ts').map((i) => i.target);
    expect(found).toContain('dsl/npu/mac.ts');
    expect(found).toContain('sim/models/mac.ts');
    expect(importsOf('sim/models/mac.ts').filter((i) => i.typeOnly).map((i) => i.target)).toContain('dsl/npu/mac.ts');
  });
});
