/**
 * The binary32 requantization multipliers onnxruntime computes for its integer GEMM kernels, in
 * its order of operations (every step a binary32 operation, so each is one correctly rounded
 * Math.fround of the exact binary64 result: a product of two binary32 values is exact in
 * binary64, and a binary64 quotient rounded to binary32 is correctly rounded because 53 >= 2*24+2):
 *
 *   QLinearMatMul, QLinearConv:  fp32(fp32(a_scale * b_scale[j]) / y_scale)
 *   QGemm (com.microsoft):       fp32(fp32(fp32(alpha * a_scale) * b_scale[j]) / y_scale)
 */
export function qlinearMultipliers(aScale: number, bScales: ArrayLike<number>, yScale: number): Float32Array {
  return Float32Array.from(bScales, (b) => Math.fround(Math.fround(aScale * b) / yScale));
}

export function qgemmMultipliers(alpha: number, aScale: number, bScales: ArrayLike<number>, yScale: number): Float32Array {
  const a = Math.fround(Math.fround(alpha) * aScale);
  return Float32Array.from(bScales, (b) => Math.fround(Math.fround(a * b) / yScale));
}
