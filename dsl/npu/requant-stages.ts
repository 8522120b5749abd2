/** Pipeline pieces the requantizer modes share (registers, clamps, per-lane parameter ports). */
import type { ModuleBuilder } from '../builder/module.ts';
import type { Sig } from '../builder/signal.ts';
import type { FixedFormat } from '../../formats/fixed.ts';
import type { BitsType } from '../types/bits.ts';

/** Sign-extends to 32 bits (no node when already 32). */
export function ext32(v: Sig): Sig {
  return v.width < 32 ? v.ext(32) : v;
}

/** A register loaded every cycle (no reset, no enable). */
export function pipe(m: ModuleBuilder, name: string, v: Sig): Sig {
  const r = m.reg(name, v.type);
  r.next(v);
  return r;
}

/** `v` clamped as TFLite does (max with lo, then min with hi), as the output code type. */
export function clampTo(v: Sig, lo: Sig, hi: Sig, out: FixedFormat): Sig {
  const a = v.lt(lo).choose(lo, v);
  const b = a.gt(hi).choose(hi, a);
  // b lies in [lo, hi], inside the output range: keeping the low bits is lossless.
  const bits = b.slice(out.width - 1, 0);
  return out.signed ? bits.asSigned() : bits;
}

/** Index-suffixed name when per channel, else the plain name shared by all lanes. */
export function laneParams(m: ModuleBuilder, base: string, type: BitsType, perChannel: boolean, lanes: number): Sig[] {
  if (!perChannel) {
    const s = m.input(base, type);
    return Array.from({ length: lanes }, () => s);
  }
  return Array.from({ length: lanes }, (_, i) => m.input(`${base}${i}`, type));
}

