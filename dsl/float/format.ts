/**
 * Float signals: a bit-vector code plus its format. The format descriptors are `formats/float.ts`
 * (pure data: expBits, manBits, bias, encoding and the derived constants), shared with the golden
 * library so the RTL and the reference can never disagree on what a format is.
 */
import type { ModuleBuilder } from '../builder/module.ts';
import { UInt } from '../builder/module.ts';
import type { Sig } from '../builder/signal.ts';
import { formatType } from '../types/bits.ts';
import type { FloatFormat } from '../../formats/float.ts';

export type { FloatFormat, FloatEncoding } from '../../formats/float.ts';
export { FLOAT_FORMATS, floatFormat, defineFloatFormat, fp32, fp16, bf16, fp8_e4m3, fp8_e5m2, fp6_e3m2, fp6_e2m3, fp4_e2m1 } from '../../formats/float.ts';

/** A float code (UInt(format.width), sign in the top bit) and the format it is read in. */
export interface FloatSig {
  readonly sig: Sig;
  readonly format: FloatFormat;
}

/**
 * Subnormal handling of an operation: `ieee` keeps subnormal inputs and outputs (gradual
 * underflow); `flush` reads subnormal inputs as signed zeros (DAZ) and gives the signed zero for
 * any result whose exact magnitude is below the smallest normal (FTZ, tininess before rounding,
 * as Arm FZ): golden options `{ flushInput: true, flushOutput: 'before-rounding' }`.
 */
export type SubnormalMode = 'ieee' | 'flush';

/** Rounding options of every float op; the rounding direction is always round-to-nearest-even. */
export interface FloatOpOptions {
  /** true: overflow and ±Inf give ±max finite. false (IEEE): ±Inf, or NaN for `fn`/`fnuz`, ±max for `none`. */
  readonly saturate: boolean;
  readonly subnormals: SubnormalMode;
}

/** Wraps a code signal as a float; the signal must be UInt(format.width). */
export function asFloat(sig: Sig, format: FloatFormat): FloatSig {
  if (sig.width !== format.width || sig.signed) throw new TypeError(`asFloat: signal is ${formatType(sig.type)}, ${format.name} needs UInt(${format.width})`);
  return { sig, format };
}

/** An input port carrying a float code. */
export function floatInput(m: ModuleBuilder, name: string, format: FloatFormat): FloatSig {
  return { sig: m.input(name, UInt(format.width)), format };
}

/** One header line stating an op's numerics. */
export function describeRounding(out: FloatFormat, o: FloatOpOptions): string {
  const ovf = o.saturate || out.encoding === 'none' ? `saturate to ±max finite` : out.encoding === 'ieee' ? 'overflow to ±Inf' : 'overflow to NaN (no Inf encoding)';
  const nan = out.nanCode === undefined ? `NaN inputs give +0 (${out.name} has no NaN)` : `NaN results are the canonical NaN 0x${out.nanCode.toString(16)} (payloads never propagate)`;
  const sub = o.subnormals === 'ieee' ? 'subnormals honoured (gradual underflow)' : 'subnormal inputs read as ±0 (DAZ), results below the smallest normal flushed to ±0 before rounding (FTZ)';
  return `rounding to ${out.name}: round-to-nearest-even; ${ovf}; ${sub}; ${nan}`;
}
