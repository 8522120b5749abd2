/**
 * The contract between the conformance runner and the golden library: one handler per op of
 * `test/data/SCHEMA.md`. A handler takes a parsed line's `params` and `inputs` (JSON values as
 * written in the file) and returns the result in the schema's JSON encoding, so the runner can
 * compare it with `expected` by JSON deep equality (plus the schema's NaN exception).
 *
 * Handlers throw `ConformanceInputError` for a line that does not follow the schema (unknown
 * dtype, missing key, value out of range): the runner reports it as malformed, naming the line.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface OpHandler {
  /** Keys `params` must have, exactly. */
  readonly params: readonly string[];
  /** Keys `inputs` must have, exactly. */
  readonly inputs: readonly string[];
  /** Format whose NaN codes all match an `expected` of "NaN" (ops returning float bits). */
  readonly nanFormat?: (params: Record<string, JsonValue>) => string;
  readonly run: (params: Record<string, JsonValue>, inputs: Record<string, JsonValue>) => JsonValue;
}

export class ConformanceInputError extends Error {
  override readonly name = 'ConformanceInputError';
}
