/**
 * Parameter specs shared by the float generators: format names are the golden library's presets
 * (fp32, fp16, bf16, fp8_e4m3, fp8_e5m2, fp8_e4m3fnuz, fp8_e5m2fnuz, fp6_e3m2, fp6_e2m3, fp4_e2m1).
 */
import { FLOAT_FORMATS, type FloatFormat } from '../float/format.ts';
import type { ParamSpec } from './params.ts';

/**
 * A float format by preset name. The parsed value is the name (so design parameters stay plain
 * data and render by name); `fmt` resolves it to the descriptor.
 */
export function floatFormatParam(doc: string, dflt?: FloatFormatName, allowed?: readonly string[]): ParamSpec<FloatFormatName> {
  const names = allowed ?? Object.keys(FLOAT_FORMATS);
  return {
    doc,
    ...(dflt ? { default: dflt } : {}),
    parse: (raw) => {
      if (typeof raw !== 'string' || !names.includes(raw) || !Object.hasOwn(FLOAT_FORMATS, raw)) return { error: `expected a float format (${names.join(', ')}), got ${JSON.stringify(raw)}` };
      return raw as FloatFormatName;
    },
  };
}

export type FloatFormatName = keyof typeof FLOAT_FORMATS;

/** The descriptor of a preset name. */
export function fmt(name: FloatFormatName): FloatFormat {
  return FLOAT_FORMATS[name];
}

export const SUBNORMAL_MODES = ['ieee', 'flush'] as const;
