/**
 * An independent float decoder for the golden tests: the SCHEMA formulas evaluated in binary64,
 * exact for formats of at most 16 bits. It shares nothing with `sim/golden/float`'s decoder.
 */
import type { FloatFormat } from '../../../../sim/golden/float/index.ts';

export function refDecode(fmt: FloatFormat, code: number): number {
  const m = fmt.manBits;
  const s = code >= 2 ** (fmt.width - 1) ? -1 : 1;
  const E = Math.floor(code / 2 ** m) % 2 ** fmt.expBits;
  const M = code % 2 ** m;
  const eAll = 2 ** fmt.expBits - 1;
  if (fmt.encoding === 'ieee' && E === eAll) return M === 0 ? s * Infinity : NaN;
  if (fmt.encoding === 'fn' && E === eAll && M === 2 ** m - 1) return NaN;
  if (fmt.encoding === 'fnuz' && code === 2 ** (fmt.width - 1)) return NaN;
  if (E === 0) return s * 2 ** (1 - fmt.bias) * (M / 2 ** m);
  return s * 2 ** (E - fmt.bias) * (1 + M / 2 ** m);
}
