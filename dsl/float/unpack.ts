/**
 * Unpacking a float code into an exact value (sign, significand with its hidden bit, exponent of
 * the significand's LSB, class flags) and packing fields back into a code.
 */
import { UInt } from '../builder/module.ts';
import type { Sig } from '../builder/signal.ts';
import { assertNever } from '../ir/nodes.ts';
import type { FloatFormat, FloatSig } from './format.ts';
import { cat, zeros } from './bits.ts';
import { atCallerLoc } from '../diagnostics/loc.ts';

/**
 * An exact float-domain value as signals: `(-1)^sign · sig · 2^exp` when neither `nan` nor `inf`
 * is set (`sig` = 0 is the zero of that sign); `inf` is ±Inf of `sign`; `nan` is NaN (no payload).
 */
export interface ExactFloat {
  readonly sign: Sig;
  /** Exponent of sig's LSB (SInt). */
  readonly exp: Sig;
  /** Significand (UInt), hidden bit included; 0 for zeros. */
  readonly sig: Sig;
  readonly inf: Sig;
  readonly nan: Sig;
}

/** An unpacked code: the exact value plus its class (exactly one flag is 1). */
export interface UnpackedFloat extends ExactFloat {
  readonly zero: Sig;
  readonly subnormal: Sig;
  readonly normal: Sig;
  /** Exponent and mantissa fields as stored. */
  readonly expField: Sig;
  readonly manField: Sig;
}

/**
 * Splits a code: sig = hidden·mantissa (m + 1 bits, hidden = exponent field != 0), exp =
 * max(expField, 1) - bias - m, so normals and subnormals both read sig · 2^exp exactly. Classes per
 * the encoding: `ieee` Inf/NaN at the all-ones exponent; `fn` NaN = all-ones exponent and
 * mantissa, no Inf; `fnuz` NaN = the negative-zero code; `none` all finite. With `flush`
 * subnormal codes are zeros of their sign (sig = 0).
 */
export function unpackFloat(x: FloatSig, opts: { readonly flush?: boolean } = {}): UnpackedFloat {
  return atCallerLoc(() => {
    const f = x.format;
    const code = x.sig;
    const m = f.manBits;
    const flush = opts.flush ?? false;
    // Net names: the code's own name as prefix (`a_exp`, `a_mant`), so both operands read apart.
    const pre = code.nameHint !== undefined ? `${code.nameHint}_` : '';
    const sign = code.bit(f.width - 1).named(`${pre}sign`);
    const expField = code.slice(f.width - 2, m).named(`${pre}exp_field`);
    const manField = m > 0 ? code.slice(m - 1, 0).named(`${pre}man_field`) : zeros(code, 1);
    const one = code.constantOf(1n, UInt(1));
    const zero1 = zeros(code, 1);
    const expZero = expField.orR().not();
    const expOnes = expField.andR();
    const manZero = manField.orR().not();
    let nan: Sig;
    let inf: Sig;
    switch (f.encoding) {
      case 'ieee': nan = expOnes.and(manZero.not()); inf = expOnes.and(manZero); break;
      case 'fn': nan = expOnes.and(manField.andR()); inf = zero1; break;
      case 'fnuz': nan = code.eq(f.signMask); inf = zero1; break;
      case 'none': nan = zero1; inf = zero1; break;
      default: return assertNever(f.encoding, 'float encoding');
    }
    const special = nan.or(inf);
    const zero = expZero.and(flush ? one : manZero).and(special.not());
    const subnormal = flush ? zero1 : expZero.and(manZero.not());
    const normal = expZero.or(special).not();
    const hidden = expZero.not();
    const man = flush && m > 0 ? expZero.choose(zeros(code, m), manField) : manField;
    const sig = (m > 0 ? cat(hidden, man) : hidden).named(`${pre}mant`);
    const expEff = expZero.choose(code.constantOf(1n, UInt(f.expBits)), expField);
    const exp = expEff.sub(f.bias + m).named(`${pre}exp`);
    return { sign, exp, sig, inf: inf.named(`${pre}inf`), nan: nan.named(`${pre}nan`), zero, subnormal, normal, expField, manField };
  });
}

/** sign · expField · manField as a code of `f` (fields must have the format's widths). */
export function packFloat(sign: Sig, expField: Sig, manField: Sig, f: FloatFormat): FloatSig {
  return atCallerLoc(() => {
    if (sign.width !== 1 || expField.width !== f.expBits || manField.width !== f.manBits) throw new TypeError(`packFloat: field widths ${sign.width}/${expField.width}/${manField.width} do not match ${f.name}`);
    return { sig: cat(sign, expField, manField), format: f };
  });
}

/** The exact value of an unpacked code (for arithmetic on it). */
export function exactOf(u: UnpackedFloat): ExactFloat {
  return { sign: u.sign, exp: u.exp, sig: u.sig, inf: u.inf, nan: u.nan };
}
