/**
 * User vector files for `npugen verify --stimulus/--expected`: CSV or JSONL, one column (key)
 * per port, one row per vector. The format is documented in docs/cosim.md ("Your own vectors").
 *
 * - CSV (`.csv`): `#` lines and blank lines are skipped; the first other line is the header of
 *   port names; fields are separated by commas, spaces around them ignored.
 * - JSONL (`.jsonl`, `.ndjson`): one JSON object per line, keys are port names; blank lines skipped.
 *   Values are JSON integers (exact only up to 2^53, so larger ones must be strings) or strings.
 * - Anything else is read as JSONL when its first non-blank character is `{`, else as CSV.
 *
 * Values are codes of the port's bits: a decimal integer (in the port's value range: -2^(w-1)
 * .. 2^(w-1)-1 for a signed integer or fixed-point port, 0 .. 2^w-1 for an unsigned or float
 * port), or a raw bit pattern in hex (`0x...`) or binary (`0b...`) of at most w bits; `_` may
 * group digits. Columns for the ports of the other direction are allowed and ignored (one file
 * can carry both inputs and expected outputs); any other column, a missing port, or a bad value
 * is a VectorFileError with file:line:col.
 */
import { VectorSet } from '../sim/vector-set.ts';
import { didYouMean } from './did-you-mean.ts';
import { portFormat, type Port } from '../formats/port.ts';

export class VectorFileError extends Error {
  override readonly name = 'VectorFileError';
  constructor(readonly file: string, readonly line: number, readonly col: number, readonly detail: string) {
    super(`${file}:${line}:${col}: ${detail}`);
  }
}

export interface VectorFile {
  readonly vectors: VectorSet;
  /** The 1-based line of each vector in the file. */
  readonly lines: readonly number[];
}

/** A value's text and where it starts (1-based column), or a JSON number. */
interface Cell {
  readonly text: string;
  readonly col: number;
}

interface RawRow {
  readonly line: number;
  /** One cell per wanted port, in port order. */
  readonly cells: readonly Cell[];
}

/**
 * Reads `text` (the contents of `file`) as vectors over `ports`. `ignored` are port names that
 * may appear as columns and are skipped (the other direction's ports).
 */
export function parseVectorFile(file: string, text: string, ports: readonly Port[], ignored: readonly string[]): VectorFile {
  const rows = isJsonl(file, text) ? jsonlRows(file, text, ports, ignored) : csvRows(file, text, ports, ignored);
  const vectors = VectorSet.alloc(ports, rows.length);
  rows.forEach((row, r) => row.cells.forEach((cell, p) => {
    const v = parseCode(cell.text, ports[p]!);
    if (typeof v === 'string') throw new VectorFileError(file, row.line, cell.col, `${ports[p]!.name}: ${v}`);
    vectors.set(p, r, v);
  }));
  return { vectors, lines: rows.map((r) => r.line) };
}

function isJsonl(file: string, text: string): boolean {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return false;
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return true;
  return text.trimStart().startsWith('{');
}

const portList = (ports: readonly Port[]): string => ports.map((p) => p.name).join(', ');

/** The column of each port, checking the header names (unknown, duplicate, missing). */
function columnsOf(file: string, line: number, names: readonly { name: string; col: number }[], ports: readonly Port[], ignored: readonly string[]): number[] {
  const seen = new Map<string, number>();
  names.forEach(({ name, col }, i) => {
    if (seen.has(name)) throw new VectorFileError(file, line, col, `port '${name}' appears twice`);
    if (!ports.some((p) => p.name === name) && !ignored.includes(name)) {
      const near = didYouMean(name, [...ports.map((p) => p.name), ...ignored]);
      throw new VectorFileError(file, line, col, `'${name}' is not a port of this design${near ? ` (did you mean '${near}'?)` : ''}; expected columns ${portList(ports)}`);
    }
    seen.set(name, i);
  });
  const missing = ports.filter((p) => !seen.has(p.name));
  if (missing.length > 0) throw new VectorFileError(file, line, 1, `no column for ${missing.map((p) => `'${p.name}'`).join(', ')}; expected columns ${portList(ports)}`);
  return ports.map((p) => seen.get(p.name)!);
}

function csvRows(file: string, text: string, ports: readonly Port[], ignored: readonly string[]): RawRow[] {
  const rows: RawRow[] = [];
  let columns: number[] | undefined;
  let width = 0;
  text.split('\n').forEach((raw, i) => {
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (lineText.trim() === '' || lineText.trimStart().startsWith('#')) return;
    const fields = splitCsv(lineText);
    if (columns === undefined) {
      for (const f of fields) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.text)) throw new VectorFileError(file, i + 1, f.col, `header: '${f.text}' is not a port name; the first line (after # comments) names the columns, e.g. ${portList(ports)}`);
      columns = columnsOf(file, i + 1, fields.map((f) => ({ name: f.text, col: f.col })), ports, ignored);
      width = fields.length;
      return;
    }
    if (fields.length !== width) {
      const at = fields.length > width ? fields[width]!.col : lineText.length + 1;
      throw new VectorFileError(file, i + 1, at, `${fields.length} values, the header has ${width} columns`);
    }
    rows.push({ line: i + 1, cells: columns.map((c) => fields[c]!) });
  });
  if (columns === undefined) throw new VectorFileError(file, 1, 1, `no header line; the first line (after # comments) names the columns, e.g. ${portList(ports)}`);
  return rows;
}

/** Comma-separated fields, trimmed, with the 1-based column where each field's text starts. */
function splitCsv(line: string): Cell[] {
  const cells: Cell[] = [];
  let start = 0;
  for (;;) {
    const end = line.indexOf(',', start);
    const piece = line.slice(start, end < 0 ? line.length : end);
    const lead = piece.length - piece.trimStart().length;
    cells.push({ text: piece.trim(), col: start + lead + 1 });
    if (end < 0) return cells;
    start = end + 1;
  }
}

function jsonlRows(file: string, text: string, ports: readonly Port[], ignored: readonly string[]): RawRow[] {
  const rows: RawRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (lineText.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(lineText);
    } catch (e) {
      const pos = /position (\d+)/.exec((e as Error).message);
      throw new VectorFileError(file, i + 1, pos ? Number(pos[1]) + 1 : 1, `not valid JSON: ${(e as Error).message}`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new VectorFileError(file, i + 1, 1, 'expected a JSON object of port names to values, e.g. {"a": 3, "b": "0x7f"}');
    const keys = Object.keys(obj);
    const colOf = (key: string): number => {
      const at = lineText.indexOf(JSON.stringify(key));
      return at < 0 ? 1 : at + 1;
    };
    const columns = columnsOf(file, i + 1, keys.map((k) => ({ name: k, col: colOf(k) })), ports, ignored);
    rows.push({
      line: i + 1,
      cells: columns.map((c) => {
        const key = keys[c]!;
        const value = (obj as Record<string, unknown>)[key];
        const col = colOf(key);
        if (typeof value === 'string') return { text: value, col };
        if (typeof value === 'number' && Number.isSafeInteger(value)) return { text: String(value), col };
        const why = typeof value === 'number' ? `${value} is not an exact integer (JSON numbers are exact only below 2^53); write it as a string, e.g. "0x..."` : `expected an integer or a string code, got ${JSON.stringify(value)}`;
        throw new VectorFileError(file, i + 1, col, `${key}: ${why}`);
      }),
    });
  });
  return rows;
}

/** Integer and fixed-point formats: decimals are values in the port's signed or unsigned range. */
function isIntegerFormat(format: string): boolean {
  return /^(u?int\d+|u?fixed<.*>)$/.test(format);
}

/** The port's code for `text`, or why it is not one. */
export function parseCode(text: string, port: Port): bigint | string {
  const w = port.width;
  const t = text.replace(/_/g, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t) || /^0[bB][01]+$/.test(t)) {
    const code = BigInt(t);
    if (code >= 1n << BigInt(w)) return `${text} has more than ${w} bits (${port.format})`;
    return code;
  }
  if (/^[+-]?[0-9]+$/.test(t)) {
    const v = BigInt(t);
    const signed = port.signed && isIntegerFormat(portFormat(port));
    const lo = signed ? -(1n << BigInt(w - 1)) : 0n;
    const hi = signed ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
    if (v < lo || v > hi) return `${text} is out of range for ${portFormat(port)} (${lo}..${hi}); a raw bit pattern is written in hex, e.g. 0x${((1n << BigInt(w)) - 1n).toString(16)}`;
    return v;
  }
  if (text === '') return `empty value; expected a decimal integer or a 0x hex code (${portFormat(port)})`;
  const hint = isIntegerFormat(portFormat(port)) ? '' : ` (a ${portFormat(port)} port takes its bit pattern, e.g. 0x${'0'.repeat(Math.ceil(w / 4))}, not a real number)`;
  return `'${text}' is not a decimal integer or a 0x/0b code${hint}`;
}
