/**
 * Parameter specs for generators reachable from design files: the contract scripts rely on.
 * `parse` turns a raw YAML/JSON value into the typed value or returns a message saying what
 * was expected (the design-file loader adds file:line and the key).
 */
import { parseIntFormat } from '../types/format-string.ts';
import type { BitsType } from '../types/bits.ts';

export interface ParamSpec<T> {
  readonly doc: string;
  /** Value used when the key is absent; absent default = required. */
  readonly default?: T;
  readonly parse: (raw: unknown) => T | { readonly error: string };
}

export function isParamError(v: unknown): v is { readonly error: string } {
  return typeof v === 'object' && v !== null && 'error' in v && typeof (v as { error: unknown }).error === 'string';
}

export function formatParam(doc: string, dflt?: BitsType): ParamSpec<BitsType> {
  return {
    doc,
    ...(dflt ? { default: dflt } : {}),
    parse: (raw) => {
      if (typeof raw !== 'string') return { error: `expected a format string such as int8 or uint4, got ${JSON.stringify(raw)}` };
      const t = parseIntFormat(raw);
      return typeof t === 'string' ? { error: t } : t;
    },
  };
}

export function intParam(doc: string, min: number, max: number, dflt?: number): ParamSpec<number> {
  return {
    doc,
    ...(dflt !== undefined ? { default: dflt } : {}),
    parse: (raw) => (typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max ? raw : { error: `expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}` }),
  };
}

export function enumParam<const T extends string>(doc: string, values: readonly T[], dflt?: T): ParamSpec<T> {
  return {
    doc,
    ...(dflt !== undefined ? { default: dflt } : {}),
    parse: (raw) => ((values as readonly unknown[]).includes(raw) ? (raw as T) : { error: `expected one of ${values.join(', ')}, got ${JSON.stringify(raw)}` }),
  };
}

/** Parsed parameter values of a spec record. */
export type ParamValues<S extends Record<string, ParamSpec<unknown>>> = { [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never };
