/**
 * Fixed-point signals: a bit-vector code plus its format. Arithmetic is full precision (the
 * result format grows so nothing is lost); `castFixed` is the only narrowing and names its
 * quantization and overflow modes. Everything lowers to plain bit-vector ops via `Sig`.
 */
import type { ModuleBuilder } from '../builder/module.ts';
import type { Sig } from '../builder/signal.ts';
import { codeType } from '../types/bits.ts';
import { fixedFormat, fracBitsOf, type FixedFormat } from '../../formats/fixed.ts';
import { formatType } from '../types/bits.ts';
import type { OverflowMode, QuantizationMode } from './modes.ts';
import { roundIncrement } from './round.ts';
import { applyOverflowSig } from './overflow.ts';
import { atCallerLoc } from '../diagnostics/loc.ts';

export interface FixedSig {
  readonly sig: Sig;
  readonly format: FixedFormat;
}

/** Wraps a code signal as a fixed-point value; the signal's type must match the format's code type. */
export function asFixed(sig: Sig, format: FixedFormat): FixedSig {
  const t = codeType(format);
  if (sig.width !== t.width || sig.signed !== t.signed) throw new TypeError(`asFixed: signal is ${formatType(sig.type)}, format needs ${formatType(t)}`);
  return { sig, format };
}

/** An input port carrying a fixed-point code. */
export function fixedInput(m: ModuleBuilder, name: string, format: FixedFormat): FixedSig {
  return { sig: m.input(name, codeType(format)), format };
}

/** Re-expresses `x` with `frac` fraction bits (>= its own): exact, shifts the code left. */
function alignTo(x: FixedSig, frac: number): Sig {
  const k = frac - fracBitsOf(x.format);
  return k === 0 ? x.sig : x.sig.shl(k);
}

function sumFormat(s: Sig, frac: number): FixedFormat {
  return fixedFormat(s.width, s.width - frac, s.signed);
}

/** Exact sum: binary points aligned, one bit of growth (see `Sig.add`). */
export function fixedAdd(a: FixedSig, b: FixedSig): FixedSig {
  return atCallerLoc(() => {
    const frac = Math.max(fracBitsOf(a.format), fracBitsOf(b.format));
    const s = alignTo(a, frac).add(alignTo(b, frac));
    return { sig: s, format: sumFormat(s, frac) };
  });
}

/** Exact difference (always signed). */
export function fixedSub(a: FixedSig, b: FixedSig): FixedSig {
  return atCallerLoc(() => {
    const frac = Math.max(fracBitsOf(a.format), fracBitsOf(b.format));
    const s = alignTo(a, frac).sub(alignTo(b, frac));
    return { sig: s, format: sumFormat(s, frac) };
  });
}

/** Exact product: width wa + wb, fraction bits fa + fb. */
export function fixedMul(a: FixedSig, b: FixedSig): FixedSig {
  return atCallerLoc(() => {
    const s = a.sig.mul(b.sig);
    return { sig: s, format: sumFormat(s, fracBitsOf(a.format) + fracBitsOf(b.format)) };
  });
}

/**
 * Narrows `x` to format `to` as ac_fixed assignment does: quantization first (dropping fraction
 * bits with `q`), then overflow (`o`) on the rounded code, so rounding itself may overflow.
 * Gaining fraction bits is exact. Result: a signal of `to`'s code type.
 */
export function castFixed(x: FixedSig, to: FixedFormat, q: QuantizationMode, o: OverflowMode): FixedSig {
  return atCallerLoc(() => {
    const drop = fracBitsOf(x.format) - fracBitsOf(to);
    let code: Sig;
    if (drop <= 0) code = drop === 0 ? x.sig : x.sig.shl(-drop);
    else {
      const t = x.sig.shr(drop);
      const inc = roundIncrement(x.sig, drop, q);
      code = inc ? t.add(inc) : t;
    }
    return { sig: applyOverflowSig(code, to, o), format: to };
  });
}
