/**
 * Parameter specs for generators reachable from design files: the contract scripts rely on.
 * `parse` turns a raw YAML/JSON value into the typed value or returns a message saying what
 * was expected (the design-file loader adds file:line and the key).
 */
import { parseFixedFormat } from '../../formats/number-format.ts';
import { type FixedFormat } from '../../formats/fixed.ts';

export interface ParamSpec<T> {
  readonly doc: string;
  /** Value used when the key is absent; absent default = required. */
  readonly default?: T;
  readonly parse: (raw: unknown) => T | { readonly error: string };
  /** Every legal raw value, when the set is finite and not numeric (enums), for docs and fuzzers. */
  readonly values?: readonly string[];
}

export function isParamError(v: unknown): v is { readonly error: string } {
  return typeof v === 'object' && v !== null && 'error' in v && typeof (v as { error: unknown }).error === 'string';
}

/** A number format (format-string grammar in `formats/number-format.ts`). */
export function formatParam(doc: string, dflt?: FixedFormat): ParamSpec<FixedFormat> {
  return {
    doc,
    ...(dflt ? { default: dflt } : {}),
    parse: (raw) => {
      if (typeof raw !== 'string') return { error: `expected a format string such as int8, uint4 or fixed<16,4>, got ${JSON.stringify(raw)}` };
      const f = parseFixedFormat(raw);
      return typeof f === 'string' ? { error: f } : f;
    },
  };
}

/** A format, or the word `auto` (derived by the generator). */
export function formatOrAutoParam(doc: string, dflt?: FixedFormat | 'auto'): ParamSpec<FixedFormat | 'auto'> {
  const inner = formatParam(doc);
  return { doc, ...(dflt ? { default: dflt } : {}), parse: (raw) => (raw === 'auto' ? 'auto' : inner.parse(raw)) };
}

export function intParam(doc: string, min: number, max: number, dflt?: number): ParamSpec<number> {
  return {
    doc,
    ...(dflt !== undefined ? { default: dflt } : {}),
    parse: (raw) => (typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max ? raw : { error: `expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}` }),
  };
}

/** A yes/no parameter (YAML `true`/`false`). */
export function boolParam(doc: string, dflt?: boolean): ParamSpec<boolean> {
  return {
    doc,
    ...(dflt !== undefined ? { default: dflt } : {}),
    parse: (raw) => (typeof raw === 'boolean' ? raw : { error: `expected true or false, got ${JSON.stringify(raw)}` }),
  };
}

export function enumParam<const T extends string>(doc: string, values: readonly T[], dflt?: T): ParamSpec<T> {
  return {
    doc,
    ...(dflt !== undefined ? { default: dflt } : {}),
    values,
    parse: (raw) => ((values as readonly unknown[]).includes(raw) ? (raw as T) : { error: `expected one of ${values.join(', ')}, got ${JSON.stringify(raw)}` }),
  };
}

/** A generator's parameter specs by key. */
export type ParamSchema = Readonly<Record<string, ParamSpec<unknown>>>;

/** Parsed parameter values of a spec record. */
export type ParamValues<S extends ParamSchema> = { readonly [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never };

/** A bad, missing or unknown parameter: `key` is the parameter, `message` what was expected. */
export class ParamError extends Error {
  override readonly name = 'ParamError';
  constructor(readonly key: string, readonly detail: string) {
    super(`params.${key}: ${detail}`);
  }
}

/**
 * Parses raw params (YAML/JSON values) with a schema: each key by its spec, absent keys take the
 * spec's default. Throws ParamError for an unknown key, a missing required key or a bad value.
 */
export function parseParams<S extends ParamSchema>(schema: S, raw: Readonly<Record<string, unknown>>): ParamValues<S> {
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(schema, key)) throw new ParamError(key, `unknown key; expected ${Object.keys(schema).join(', ')}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    if (!Object.hasOwn(raw, key)) {
      if (!('default' in spec)) throw new ParamError(key, `required (${spec.doc})`);
      out[key] = spec.default;
      continue;
    }
    const value = spec.parse(raw[key]);
    if (isParamError(value)) throw new ParamError(key, value.error);
    out[key] = value;
  }
  // The one place parsed values get their type: every key of S was just filled by its own spec.
  return out as ParamValues<S>;
}
