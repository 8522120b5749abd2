/**
 * Delay lines for systolic arrays: a value delayed by n clock edges through n registers, each
 * its own named net (`<name>_1 .. <name>_n`), so simulators never see one wide bus written by
 * part-selects. The registers have no reset unless one is given (data whose validity travels
 * on a separate, reset control line does not need one).
 */
import type { ModuleBuilder } from '../builder/module.ts';
import type { Sig } from '../builder/signal.ts';
import { atCallerLoc } from '../diagnostics/loc.ts';

/** `x` delayed by `n >= 0` cycles (n = 0 returns `x`). */
export function delayLine(m: ModuleBuilder, name: string, x: Sig, n: number, reset?: bigint): Sig {
  return atCallerLoc(() => {
    return delayTaps(m, name, x, n, reset)[n]!;
  });
}

/**
 * Every tap of one delay line: element d is `x` delayed by d cycles, d = 0..n (element 0 is `x`
 * itself). One register per tap; used where many consumers need different delays of one signal
 * (the anti-diagonal control taps of an array).
 */
export function delayTaps(m: ModuleBuilder, name: string, x: Sig, n: number, reset?: bigint): Sig[] {
  return atCallerLoc(() => {
    const taps: Sig[] = [x];
    let prev = x;
    for (let d = 1; d <= n; d++) {
      const r = m.reg(`${name}_${d}`, x.type, reset !== undefined ? { reset } : {});
      r.next(prev);
      taps.push(r);
      prev = r;
    }
    return taps;
  });
}
