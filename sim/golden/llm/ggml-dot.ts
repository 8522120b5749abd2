/**
 * ggml's generic (scalar) dot products of a quantized weight row with a quantized activation row,
 * `ggml_vec_dot_<x>_<y>_generic` of ggml-org/ggml `src/ggml-cpu/quants.c`: per block an exact integer
 * sum, then a binary32 accumulation in block order, each operation rounded (no fma). d, m, s are the
 * fp16 fields widened to binary32.
 * - q4_0·q8_0: sumf += ((float)sumi · d_x) · d_y        (left to right: two roundings)
 * - q8_0·q8_0: sumf += (float)sumi · (d_x · d_y)        (the fp16·fp16 product is exact in binary32)
 * - q4_1·q8_1: sumf += (d_x · d_y) · (float)sumi + m_x · s_y
 * |sumi| <= 32·128·128 < 2^24, so (float)sumi is exact. Returns the binary32 result.
 */
import { f32 } from './c-float.ts';
import { GGML_BLOCK_BYTES, getFp16, ggmlBlockCount, nibbleAt, type GgmlType } from './ggml-blocks.ts';

export type GgmlDotTypes = 'q4_0_q8_0' | 'q8_0_q8_0' | 'q4_1_q8_1';
export const GGML_DOT_TYPES: readonly GgmlDotTypes[] = ['q4_0_q8_0', 'q8_0_q8_0', 'q4_1_q8_1'];

/** The (weight, activation) block types of a dot. */
export function ggmlDotOperands(types: GgmlDotTypes): readonly [GgmlType, GgmlType] {
  return types === 'q4_0_q8_0' ? ['q4_0', 'q8_0'] : types === 'q8_0_q8_0' ? ['q8_0', 'q8_0'] : ['q4_1', 'q8_1'];
}

const int8At = (data: Uint8Array, at: number) => ((data[at] as number) << 24) >> 24;

/** Exact Σ over the block of (weight element code) · (activation int8), as the C loop's int sum. */
function blockSum(types: GgmlDotTypes, x: Uint8Array, xo: number, y: Uint8Array, yqs: number): number {
  let sumi = 0;
  for (let j = 0; j < 32; j++) {
    const w =
      types === 'q4_0_q8_0' ? nibbleAt(x, xo + 2, j) - 8
      : types === 'q4_1_q8_1' ? nibbleAt(x, xo + 4, j)
      : int8At(x, xo + 2 + j);
    sumi += w * int8At(y, yqs + j);
  }
  return sumi;
}

/** `ggml_vec_dot_<types>_generic(n, &s, x, y)`: the binary32 dot product of two rows of equal block count. */
export function ggmlVecDot(types: GgmlDotTypes, x: Uint8Array, y: Uint8Array): number {
  const [tx, ty] = ggmlDotOperands(types);
  const nb = ggmlBlockCount(tx, x);
  const ny = ggmlBlockCount(ty, y);
  if (ny !== nb) throw new RangeError(`ggmlVecDot(${types}): x has ${nb} blocks, y has ${ny}`);
  const bx = GGML_BLOCK_BYTES[tx];
  const by = GGML_BLOCK_BYTES[ty];
  let sumf = 0;
  for (let i = 0; i < nb; i++) {
    const xo = i * bx;
    const yo = i * by;
    const dx = getFp16(x, xo);
    const dy = getFp16(y, yo);
    if (types === 'q4_1_q8_1') {
      const sumi = blockSum(types, x, xo, y, yo + 4);
      const term = f32(f32(f32(dx * dy) * sumi) + f32(getFp16(x, xo + 2) * getFp16(y, yo + 2)));
      sumf = f32(sumf + term);
    } else {
      const sumi = blockSum(types, x, xo, y, yo + 2);
      const term = types === 'q4_0_q8_0' ? f32(f32(sumi * dx) * dy) : f32(sumi * f32(dx * dy));
      sumf = f32(sumf + term);
    }
  }
  return sumf;
}
