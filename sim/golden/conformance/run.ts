import { exactKeys } from './fields.ts';
import { floatOps } from './float-ops.ts';
import { ggmlOps } from './ggml-ops.ts';
import { intOps } from './int-ops.ts';
import { isNanCode } from './nan-codes.ts';
import { ConformanceInputError, type JsonValue, type OpHandler } from './types.ts';

/** Every op of test/data/SCHEMA.md; a line naming anything else is malformed. */
export const SCHEMA_OPS: readonly string[] = [
  'quantize_affine', 'dequantize_affine', 'choose_qparams', 'narrow_int', 'srdhm', 'rounding_divide_by_pot',
  'quantize_multiplier', 'multiply_by_quantized_multiplier', 'fixed_cast', 'float_decode', 'float_convert',
  'quantize_float', 'mx_quantize_block', 'accumulator_width', 'mul_add', 'gemmini_rounding_shift',
  'gemmini_acc_scale', 'nvdla_cvt', 'fully_connected_int8', 'qlinear_matmul',
  'ggml_quantize_row', 'ggml_dequantize_row', 'ggml_vec_dot',
];

/** The golden model's handlers: integer/fixed/accelerator ops, the float and MX ones, and ggml's block formats. */
export const defaultHandlers: Readonly<Record<string, OpHandler>> = { ...intOps, ...floatOps, ...ggmlOps };

/** One parsed vector; `file` and `line` (1-based) say where it came from. */
export interface ConformanceLine {
  readonly id: string;
  readonly op: string;
  readonly params: Record<string, JsonValue>;
  readonly inputs: Record<string, JsonValue>;
  readonly expected: JsonValue;
  readonly source: string;
  readonly note?: string;
  readonly file: string;
  readonly line: number;
}

/** A file with malformed lines; `problems` lists every one, `message` starts with the first as `file:line: what`. */
export class ConformanceParseError extends Error {
  override readonly name = 'ConformanceParseError';
  constructor(readonly problems: readonly { readonly file: string; readonly line: number; readonly message: string }[]) {
    const shown = problems.slice(0, 10).map((p) => `${p.file}:${p.line}: ${p.message}`);
    if (problems.length > 10) shown.push(`... and ${problems.length - 10} more`);
    super(shown.join('\n'));
  }
}

const LINE_KEYS = ['id', 'op', 'params', 'inputs', 'expected', 'source'];

function isObject(v: unknown): v is Record<string, JsonValue> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Checks one decoded line against the SCHEMA's line shape and the op's exact key sets. */
function checkLine(v: unknown, handlers: Readonly<Record<string, OpHandler>>): Omit<ConformanceLine, 'file' | 'line'> {
  if (!isObject(v)) throw new ConformanceInputError('expected a JSON object');
  exactKeys(v, 'note' in v ? [...LINE_KEYS, 'note'] : LINE_KEYS, 'line');
  const { id, op, params, inputs, expected, source, note } = v;
  if (typeof id !== 'string' || id === '') throw new ConformanceInputError('id: expected a non-empty string');
  if (typeof op !== 'string' || !SCHEMA_OPS.includes(op)) throw new ConformanceInputError(`op: expected one of the SCHEMA ops, got ${JSON.stringify(op)}`);
  if (!isObject(params)) throw new ConformanceInputError('params: expected an object');
  if (!isObject(inputs)) throw new ConformanceInputError('inputs: expected an object');
  if (typeof source !== 'string') throw new ConformanceInputError('source: expected a string');
  if (note !== undefined && typeof note !== 'string') throw new ConformanceInputError('note: expected a string');
  if (expected === undefined) throw new ConformanceInputError('expected: missing');
  const handler = handlers[op];
  if (handler !== undefined) {
    exactKeys(params, handler.params, 'params');
    exactKeys(inputs, handler.inputs, 'inputs');
  }
  const base = { id, op, params, inputs, expected, source };
  return note === undefined ? base : { ...base, note };
}

/**
 * Parses a JSON Lines conformance file strictly: every non-final line must be one object with exactly
 * the SCHEMA keys, a known op, and (when a handler exists) exactly the op's params/inputs keys; ids are
 * unique. Throws ConformanceParseError listing every malformed line as `file:line: what`.
 */
export function parseConformanceFile(text: string, fileName: string, handlers: Readonly<Record<string, OpHandler>> = defaultHandlers): ConformanceLine[] {
  const rows = text.split('\n');
  if (rows.at(-1) === '') rows.pop(); // the final newline
  const lines: ConformanceLine[] = [];
  const problems: { file: string; line: number; message: string }[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, index) => {
    const line = index + 1;
    try {
      let decoded: unknown;
      try {
        decoded = JSON.parse(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
      } catch (e) {
        throw new ConformanceInputError(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      }
      const parsed = checkLine(decoded, handlers);
      const first = seen.get(parsed.id);
      if (first !== undefined) throw new ConformanceInputError(`id ${JSON.stringify(parsed.id)} already used on line ${first}`);
      seen.set(parsed.id, line);
      lines.push({ ...parsed, file: fileName, line });
    } catch (e) {
      if (!(e instanceof ConformanceInputError)) throw e;
      problems.push({ file: fileName, line, message: e.message });
    }
  });
  if (problems.length > 0) throw new ConformanceParseError(problems);
  return lines;
}

/** JSON deep equality (object key order ignored). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i] as JsonValue));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k] as JsonValue, b[k] as JsonValue));
  }
  return false;
}

/** SCHEMA pass rule: deep equality, except that an expected "NaN" accepts any NaN code of the handler's format. */
function passes(expected: JsonValue, got: JsonValue, handler: OpHandler, params: Record<string, JsonValue>): boolean {
  if (jsonEqual(expected, got)) return true;
  return expected === 'NaN' && typeof got === 'string' && handler.nanFormat !== undefined && isNanCode(handler.nanFormat(params), got);
}

/** Per-op counts. `unsupported` lines have no handler in this build (they count as not passing). */
export interface OpSummary {
  readonly op: string;
  readonly passed: number;
  readonly failed: number;
  readonly malformed: number;
  readonly unsupported: number;
}

/** A line whose result differs from `expected` (`got` undefined when the handler threw; see `error`). */
export interface ConformanceFailure {
  readonly id: string;
  readonly op: string;
  readonly file: string;
  readonly line: number;
  readonly expected: JsonValue;
  readonly got?: JsonValue;
  readonly error?: string;
}

/** A line the handler rejected as not following the schema (ConformanceInputError). */
export interface ConformanceMalformed {
  readonly id: string;
  readonly op: string;
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface ConformanceResult {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly malformed: number;
  readonly unsupported: number;
  /** In SCHEMA op order, only ops that occur. */
  readonly byOp: readonly OpSummary[];
  /** Failing and unsupported lines, in file order. */
  readonly failures: readonly ConformanceFailure[];
  readonly malformedLines: readonly ConformanceMalformed[];
}

type Outcome = 'passed' | 'failed' | 'malformed' | 'unsupported';

/** Runs every line through its handler and compares with `expected`. Pure: returns data, prints nothing. */
export function runConformance(lines: readonly ConformanceLine[], handlers: Readonly<Record<string, OpHandler>> = defaultHandlers): ConformanceResult {
  const counts = new Map<string, Record<Outcome, number>>();
  const failures: ConformanceFailure[] = [];
  const malformedLines: ConformanceMalformed[] = [];
  const where = (l: ConformanceLine) => ({ id: l.id, op: l.op, file: l.file, line: l.line });
  for (const l of lines) {
    const outcome = runLine(l, handlers[l.op], failures, malformedLines, where(l));
    const c = counts.get(l.op) ?? { passed: 0, failed: 0, malformed: 0, unsupported: 0 };
    c[outcome] += 1;
    counts.set(l.op, c);
  }
  const order = (op: string) => (SCHEMA_OPS.includes(op) ? SCHEMA_OPS.indexOf(op) : SCHEMA_OPS.length);
  const byOp = [...counts].sort(([a], [b]) => order(a) - order(b)).map(([op, c]) => ({ op, ...c }));
  const sum = (k: Outcome) => byOp.reduce((s, o) => s + o[k], 0);
  return { total: lines.length, passed: sum('passed'), failed: sum('failed'), malformed: sum('malformed'), unsupported: sum('unsupported'), byOp, failures, malformedLines };
}

function runLine(
  l: ConformanceLine,
  handler: OpHandler | undefined,
  failures: ConformanceFailure[],
  malformed: ConformanceMalformed[],
  at: { id: string; op: string; file: string; line: number },
): Outcome {
  if (handler === undefined) {
    failures.push({ ...at, expected: l.expected, error: `no handler for op ${l.op}` });
    return 'unsupported';
  }
  let got: JsonValue;
  try {
    got = handler.run(l.params, l.inputs);
  } catch (e) {
    if (e instanceof ConformanceInputError) {
      malformed.push({ ...at, message: e.message });
      return 'malformed';
    }
    failures.push({ ...at, expected: l.expected, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    return 'failed';
  }
  if (passes(l.expected, got, handler, l.params)) return 'passed';
  failures.push({ ...at, expected: l.expected, got });
  return 'failed';
}

/** The CLI's exit code: 2 if any line is malformed, else 1 if any line failed or is unsupported, else 0. */
export function conformanceExitCode(r: ConformanceResult): 0 | 1 | 2 {
  if (r.malformed > 0) return 2;
  return r.failed + r.unsupported > 0 ? 1 : 0;
}

export { formatConformanceReport } from './report.ts';
