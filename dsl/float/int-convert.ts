/**
 * Conversions between integers (or fixed point) and float codes, lowered to the bit-vector IR like
 * the rest of the float layer. Both directions use the layer's one rounding routine, `roundFloat`:
 * - integer → float: the integer is an exact value sign · |x| · 2^-fracBits, rounded once to the
 *   target (the golden `intToFloat` contract);
 * - float → integer: the integers are themselves a float format (`integerGrid`: one exponent bit,
 *   every magnitude code equal to its value), so rounding to an integer is `roundFloat` into that
 *   grid (the golden `floatToInt` contract).
 */
import { SInt, UInt } from '../builder/module.ts';
import type { Sig } from '../builder/signal.ts';
import { maxValue, minValue, type BitsType } from '../types/bits.ts';
import type { FloatFormat, FloatOpOptions, FloatSig, SubnormalMode } from './format.ts';
import { roundFloat } from './round.ts';
import { unpackFloat } from './unpack.ts';
import { bitsFor, clampToUInt, shrSticky, zeros } from './bits.ts';
import { atCallerLoc } from '../diagnostics/loc.ts';

/**
 * Rounding directions of float → integer (the golden `FloatRounding`): `rne` nearest, ties to
 * even; `rna` nearest, ties away from zero; `rtz` toward zero; `rup` toward +Inf; `rdn` toward -Inf.
 */
export type IntRounding = 'rne' | 'rna' | 'rtz' | 'rup' | 'rdn';
export const INT_ROUNDINGS: readonly IntRounding[] = ['rne', 'rna', 'rtz', 'rup', 'rdn'];

/** Widest integer a float → integer conversion produces (the grid's max code must be an exact JS number). */
export const MAX_FLOAT_TO_INT_WIDTH = 52;

/** Options of `intToFloat`: the float op options plus the source's binary point. */
export interface IntToFloatOptions extends FloatOpOptions {
  /** The source is fixed point: value = code · 2^-fracBits (may be negative). Default 0 (an integer). */
  readonly fracBits?: number;
}

/** Options of `floatToInt`. */
export interface FloatToIntOptions {
  /** Default `rne`. */
  readonly rounding?: IntRounding;
  /** `flush` reads subnormal inputs as ±0 (DAZ). Default `ieee`. */
  readonly subnormals?: SubnormalMode;
  /** Result for a NaN input; default 0 (the golden `floatToInt` default, as Arm FCVTZS and CUDA `cvt.sat`). */
  readonly nanResult?: bigint;
}

/**
 * Integer (or fixed-point) `x` → a code of `to`: the exact value (-1)^s · |x| · 2^-fracBits rounded
 * once, round-to-nearest-even (`roundFloat` contract). x is signed (two's complement) or unsigned per
 * its type, any width. 0 gives +0. Overflow: ±Inf (`ieee`), the canonical NaN (`fn`, `fnuz`, which
 * have no Inf) or ±max (`none`, or when `saturate`). Subnormal results (reachable only from fixed
 * point) per `subnormals`. Result: UInt(to.width).
 * Example: intToFloat(SInt(8) = -17, fp8_e4m3) = 0xd8 (-16: the tie goes to the even significand).
 */
export function intToFloat(x: Sig, to: FloatFormat, o: IntToFloatOptions): FloatSig {
  return atCallerLoc(() => {
    const fracBits = o.fracBits ?? 0;
    const { sign, mag } = signMagnitude(x);
    const span = Math.abs(fracBits) + Math.abs(to.emin) + Math.abs(to.emax) + x.width + to.manBits + 4;
    const exp = x.constantOf(BigInt(-fracBits), SInt(bitsFor(span) + 1));
    return { sig: roundFloat(sign, exp, mag, undefined, to, { saturate: o.saturate, subnormals: o.subnormals }), format: to };
  });
}

/** Sign bit (UInt(1)) and magnitude (UInt(w): |-2^(w-1)| = 2^(w-1) fits) of a signed or unsigned x. */
function signMagnitude(x: Sig): { sign: Sig; mag: Sig } {
  if (!x.signed) return { sign: zeros(x, 1), mag: x };
  const sign = x.bit(x.width - 1);
  // 0 - x wrapped to w bits, read unsigned: exact for every x, -2^(w-1) included, without the
  // one-bit widening of neg() (which would need w+1 bits, over the width limit at w = 65536).
  const negated = x.constantOf(0n, x.type).subWrap(x);
  return { sign, mag: sign.choose(negated, x).slice(x.width - 1, 0) };
}

/**
 * Float code `x` → an integer of `type` (SInt(N) two's complement or UInt(N), 1 <= N <= 52): the
 * exact value rounded to an integer in `rounding` (default rne), then clamped to the type's range
 * (always saturating, as the golden `floatToInt`: out-of-range values and ±Inf give min/max; a
 * negative value into an unsigned type gives 0). NaN gives `nanResult` (default 0). Subnormal
 * inputs are honoured (they round to 0 or ±1 per the mode) or, with `subnormals: 'flush'`, read as ±0.
 * Example: floatToInt(fp32 2.5, SInt(8)) = 2 (rne), 3 (rna, rup), 2 (rtz, rdn).
 */
export function floatToInt(x: FloatSig, type: BitsType, o: FloatToIntOptions = {}): Sig {
  return atCallerLoc(() => {
    const N = type.width;
    if (!Number.isInteger(N) || N < 1 || N > MAX_FLOAT_TO_INT_WIDTH) throw new RangeError(`floatToInt: integer width must be 1..${MAX_FLOAT_TO_INT_WIDTH}, got ${N}`);
    const u = unpackFloat(x, { flush: o.subnormals === 'flush' });
    const mag = roundedMagnitude(u.sign, u.exp, u.sig, integerGrid(N), o.rounding ?? 'rne');
    const inRange = clampSigned(u.sign, mag, type);
    const k = (v: bigint): Sig => x.sig.constantOf(v, type);
    const infValue = u.sign.choose(k(minValue(type)), k(maxValue(type)));
    return u.nan.choose(k(o.nanResult ?? 0n), u.inf.choose(infValue, inRange));
  });
}

/**
 * The integers 0 .. 2^(M+1) - 1 as a float format: one exponent bit, M mantissa bits, bias 1 - M
 * (so emin = emax = M). Subnormal codes are man · 2^(emin - M) = man, the normal binade is
 * (2^M + man) · 2^0: every magnitude code equals the integer it stands for, and the quantum is 1
 * everywhere. `none` encoding (no Inf, no NaN). Rounding into it is rounding to an integer; with
 * `saturate` any magnitude of 2^(M+1) or more gives the max code 2^(M+1) - 1.
 */
export function integerGrid(M: number): FloatFormat {
  return Object.freeze({
    kind: 'float', name: `integer_grid${M}`, expBits: 1, manBits: M, bias: 1 - M, encoding: 'none', width: M + 2,
    emin: M, emax: M, maxSig: (1n << BigInt(M + 1)) - 1n, maxCode: 2 ** (M + 1) - 1, minNormalCode: 2 ** M,
    nanCode: undefined, infCode: undefined, signMask: 2 ** (M + 1),
  });
}

const GRID_OPTIONS: FloatOpOptions = { saturate: true, subnormals: 'ieee' };

/** |round(sign · sig · 2^exp)| as a UInt, saturated at or above the grid's max code. */
function roundedMagnitude(sign: Sig, exp: Sig, sig: Sig, grid: FloatFormat, mode: IntRounding): Sig {
  const magOf = (s: Sig): Sig => roundFloat(sign, exp, s, undefined, grid, GRID_OPTIONS).slice(grid.width - 2, 0);
  if (mode === 'rne') return magOf(sig);
  // Directed modes: the truncated value is an integer, so rounding it into the grid is exact;
  // the mode then decides from the discarded fraction whether to add one unit.
  const f = splitFraction(sig, exp);
  return magOf(f.intPart).add(directedIncrement(mode, sign, f.half, f.below));
}

/**
 * sig · 2^exp split at the binary point: `intPart` (sig with its fraction bits cleared, same width
 * and exponent), the fraction's top bit `half` (weight 1/2) and the OR of the bits below it.
 */
function splitFraction(sig: Sig, exp: Sig): { intPart: Sig; half: Sig; below: Sig } {
  const w = sig.width;
  const ones = sig.constantOf((1n << BigInt(w)) - 1n, UInt(w));
  const intMask = ones.shlWrap(clampToUInt(exp.neg(), w));
  const fraction = sig.and(intMask.not());
  // The half bit sits -exp - 1 places above the LSB; when exp >= 0 there is no fraction at all.
  const { sig: atHalf, sticky: below } = shrSticky(fraction, clampToUInt(exp.neg().sub(1), w));
  return { intPart: sig.and(intMask), half: atHalf.bit(0).and(exp.lt(0)), below };
}

/** Whether a directed mode adds one unit to the truncated magnitude. */
function directedIncrement(mode: Exclude<IntRounding, 'rne'>, sign: Sig, half: Sig, below: Sig): Sig {
  const inexact = half.or(below);
  switch (mode) {
    case 'rna': return half;
    case 'rtz': return zeros(sign, 1);
    case 'rup': return inexact.and(sign.not());
    case 'rdn': return inexact.and(sign);
  }
}

/** (-1)^sign · mag clamped to the range of `type`, as exactly `type`. */
function clampSigned(sign: Sig, mag: Sig, type: BitsType): Sig {
  if (!type.signed) return sign.choose(mag.constantOf(0n, UInt(type.width)), mag.saturate(type.width));
  return sign.choose(mag.neg(), mag).saturate(type.width);
}

const ROUNDING_TEXT: Readonly<Record<IntRounding, string>> = {
  rne: 'round-to-nearest-even (ties to the even integer)',
  rna: 'round-to-nearest, ties away from zero',
  rtz: 'round toward zero (truncation)',
  rup: 'round toward +Inf (ceiling)',
  rdn: 'round toward -Inf (floor)',
};

/** Header lines stating an `intToFloat`'s numerics (source named by `from`, e.g. `int8`). */
export function describeIntToFloat(from: string, to: FloatFormat, o: IntToFloatOptions): string[] {
  const fracBits = o.fracBits ?? 0;
  const ovf = o.saturate || to.encoding === 'none' ? 'overflow saturates to ±max finite' : to.encoding === 'ieee' ? 'overflow gives ±Inf' : `overflow gives the canonical NaN 0x${(to.nanCode ?? 0).toString(16)} (${to.name} has no Inf)`;
  const sub = o.subnormals === 'ieee' ? 'subnormal results honoured (gradual underflow)' : 'results below the smallest normal flushed to ±0 before rounding (FTZ)';
  const reach = fracBits > 0 ? '' : ' (an integer source never produces one)';
  return [
    `${from} -> ${to.name}: y = the exact value of a${fracBits !== 0 ? ` (code · 2^${-fracBits})` : ''} rounded once to ${to.name}, round-to-nearest-even`,
    `${ovf}; 0 gives +0; ${sub}${reach}; no NaN input exists`,
  ];
}

/** Header lines stating a `floatToInt`'s numerics. */
export function describeFloatToInt(from: FloatFormat, type: BitsType, o: FloatToIntOptions): string[] {
  const name = `${type.signed ? 'int' : 'uint'}${type.width}`;
  const [lo, hi] = [minValue(type), maxValue(type)];
  const nan = from.nanCode === undefined ? `${from.name} has no NaN` : `NaN gives ${o.nanResult ?? 0n}${o.nanResult === undefined ? ' (golden floatToInt default, as Arm FCVTZS and CUDA cvt.sat)' : ''}`;
  const [pinf, ninf] = from.infCode === undefined ? ['', ''] : [' and +Inf', ' and -Inf'];
  const sub = o.subnormals === 'flush' ? 'subnormal inputs read as ±0 (DAZ)' : 'subnormal inputs honoured (they round to 0 or ±1 per the rounding)';
  return [
    `${from.name} -> ${name}: y = a rounded to an integer, ${ROUNDING_TEXT[o.rounding ?? 'rne']}`,
    `always saturating: values above ${hi}${pinf} give ${hi}, values below ${lo}${ninf} give ${lo} (never wraps); ${nan}; ${sub}`,
  ];
}
