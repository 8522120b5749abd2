/**
 * Bit-vector helpers of the float layer: leading-zero normalization and a right shift that
 * collects the shifted-out bits into a sticky bit. Both keep the operand's width.
 */
import { UInt } from '../builder/module.ts';
import type { Sig } from '../builder/signal.ts';
import { captureLoc } from '../diagnostics/loc.ts';
import { atCallerLoc } from '../diagnostics/loc.ts';

/** UInt(width) zero in x's module. */
export function zeros(x: Sig, width: number): Sig {
  return x.constantOf(0n, UInt(width));
}

/** x << k keeping x's width (UInt): the top k bits are dropped. */
function shlKeep(x: Sig, k: number): Sig {
  const w = x.width;
  if (k === 0) return x;
  if (k >= w) return zeros(x, w);
  return x.slice(w - 1 - k, 0).shl(k);
}

/** Number of bits of an unsigned value up to n: ceil(log2(n + 1)), at least 1. */
export function bitsFor(n: number): number {
  let b = 1;
  while (2 ** b <= n) b++;
  return b;
}

/**
 * Shifts x (UInt(w)) left until its top bit is 1: returns the shifted value (UInt(w)) and the
 * shift, the leading-zero count (UInt). log2(w) stages of a constant shift and a mux. For x = 0
 * the result is 0 and `lz` is unspecified.
 */
export function normalize(x: Sig): { sig: Sig; lz: Sig } {
  return atCallerLoc(() => {
    const w = x.width;
    let stages = 0;
    while (2 ** stages < w) stages++;
    let v = x.signed ? x.asUnsigned() : x;
    const bits: Sig[] = [];
    for (let j = stages - 1; j >= 0; j--) {
      const k = 2 ** j;
      if (k >= w) {
        bits.push(zeros(v, 1));
        continue;
      }
      const topZero = v.slice(w - 1, w - k).orR().not();
      v = topZero.choose(shlKeep(v, k), v);
      bits.push(topZero);
    }
    return { sig: v, lz: bits.length === 0 ? zeros(v, 1) : cat(...bits) };
  });
}

/** Concatenation, first operand most significant (UInt of the summed widths). */
export function cat(...parts: Sig[]): Sig {
  if (parts.length === 1) return parts[0]!.signed ? parts[0]!.asUnsigned() : parts[0]!;
  return parts[0]!.apply('concat', parts.map((p) => p.node), {}, captureLoc());
}

/** x >> amount (x UInt, width kept) and the OR of the bits shifted out (UInt(1)). */
export function shrSticky(x: Sig, amount: Sig): { sig: Sig; sticky: Sig } {
  return atCallerLoc(() => {
    const ones = x.constantOf((1n << BigInt(x.width)) - 1n, UInt(x.width));
    const lost = x.and(ones.shlWrap(amount).not()).orR();
    return { sig: x.shr(amount), sticky: lost };
  });
}

/** min(max(v, 0), hi) of a signed or unsigned value, as UInt(bitsFor(hi)). */
export function clampToUInt(v: Sig, hi: number): Sig {
  return atCallerLoc(() => {
    const w = bitsFor(hi);
    const t = UInt(w);
    const lo = v.lt(0);
    const big = v.gt(hi);
    const low = v.width > w ? v.slice(w - 1, 0) : v.signed ? v.ext(w).asUnsigned() : v.ext(w);
    return lo.choose(v.constantOf(0n, t), big.choose(v.constantOf(BigInt(hi), t), low));
  });
}
