/**
 * YAML input files (design files, sweep files) parsed with positions, so every problem is
 * reported as file:line:col with the key and what was expected (exit 2 through `DesignFileError`).
 */
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import { suggestion } from './did-you-mean.ts';

/** A problem at file:line:col of a user's input file. */
export class DesignFileError extends Error {
  override readonly name = 'DesignFileError';
  constructor(readonly file: string, readonly line: number, readonly col: number, readonly detail: string) {
    super(`${file}:${line}:${col}: ${detail}`);
  }
}

/** Builds the error for `detail` at a node's position (the file's start when there is none). */
export type At = (node: YamlNode | null | undefined, detail: string) => DesignFileError;

export interface LocatedYaml {
  readonly doc: ReturnType<typeof parseDocument>;
  /** The top-level mapping. */
  readonly root: YAMLMap;
  readonly at: At;
}

/**
 * Parses `text` (duplicate keys are errors) and checks that its top level is a mapping;
 * `expected` completes "expected a mapping with keys ..." in the error when it is not.
 */
export function parseLocatedYaml(file: string, text: string, expected: string): LocatedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at: At = (node, detail) => {
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    return new DesignFileError(file, pos.line, pos.col, detail);
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lines.linePos(e.pos[0]);
    throw new DesignFileError(file, pos.line, pos.col, `YAML syntax error: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) throw at(root, `expected a mapping with keys ${expected}`);
  return { doc, root, at };
}

/** Rejects a key of `map` not in `known`, with a did-you-mean hint; `prefix` names the parent (`params.`). */
export function checkKeys(map: YAMLMap, known: readonly string[], prefix: string, at: At): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (/^-?[0-9]+>$/.test(key)) throw at(pair.key as YamlNode, `${prefix}${key}: this looks like the end of a fixed<W,I> format split at its comma by YAML's { } syntax; quote the format, e.g. a: "fixed<16,4>"`);
    if (!known.includes(key)) throw at(pair.key as YamlNode, `${prefix}${key}: unknown key${suggestion(key, known)}; expected ${known.map((k) => prefix + k).join(', ')}`);
  }
}
