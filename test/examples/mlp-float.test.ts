// The float MLP inference: its GEMM fast path equals the golden step-by-step GEMM of the float
// systolic_array model (random codes near 1, uniform codes including NaN/Inf/subnormals, and the
// interesting codes); a layer scheduled on the float array matches it cycle by cycle.
import { describe, expect, test } from 'vitest';
import { floatGemmCodes, floatInfer, floatQuantizeMlp, fmaFp32 } from '../../examples/mlp/float.ts';
import { fp32ToNumber } from '../../sim/golden/float/fast.ts';
import { buildFloatTile, scheduleFloatLayer } from '../../examples/mlp/float-hardware.ts';
import { loadDigits, splitDigits } from '../../examples/mlp/data.ts';
import { trainMlp } from '../../examples/mlp/train.ts';
import { runBuiltin } from '../../sim/cosim/builtin-run.ts';
import { bf16, fp32, fp8_e4m3, type FloatFormat } from '../../sim/golden/index.ts';
import { floatGemm } from '../../sim/models/systolic-float.ts';
import { interestingCodes, randomFloatCode } from '../../sim/models/float-common.ts';
import { Rng } from '../../sim/random.ts';

function exactGemm(fmt: FloatFormat, x: Uint32Array, w: Uint32Array, m: number, k: number, n: number): Uint32Array {
  const A = Array.from({ length: m }, (_, i) => Array.from({ length: k }, (_, t) => BigInt(x[i * k + t]!)));
  const B = Array.from({ length: k }, (_, t) => Array.from({ length: n }, (_, j) => BigInt(w[t * n + j]!)));
  const C = floatGemm({ dataflow: 'output_stationary', rows: m, cols: n, k, a: fmt, b: fmt, accumulator: fp32, fused: true, subnormals: 'ieee' }, A, B);
  return Uint32Array.from(C.flat(), Number);
}

describe('float MLP GEMM', () => {
  test.each([['fp8_e4m3', fp8_e4m3], ['bf16', bf16]] as const)('%s: the fast path equals the golden step on random and interesting operands', (_, fmt) => {
    const rng = new Rng(fmt.width);
    const special = interestingCodes(fmt);
    const [m, k, n] = [4, 24, 5];
    for (let round = 0; round < 3; round++) {
      const code = () => (round % 3 === 2 ? special[rng.below(special.length)]! : randomFloatCode(fmt, rng, round % 3 === 0 ? 2 : 30, round % 3 === 0 ? 64 : 2));
      const x = Uint32Array.from({ length: m * k }, code);
      const w = Uint32Array.from({ length: k * n }, code);
      expect(floatGemmCodes(fmt, x, w, m, k, n)).toEqual(exactGemm(fmt, x, w, m, k, n));
    }
  });

  test('the fast fma refuses what it cannot prove (fp32 subnormal products, overflow)', () => {
    expect(fmaFp32(2 ** -70, 2 ** -70, 0)).toBeUndefined();
    expect(fmaFp32(2 ** 100, 2 ** 100, 0)).toBeUndefined();
    expect(fmaFp32(3, 5, 1)).toBe(16);
    // 1 + 2^-24 + 2^-24 * 2^-30: a tie broken by the tiny product; fround of the binary64 sum gets it right.
    expect(fmaFp32(2 ** -27, 2 ** -27, 1 + 2 ** -23)).toBe(Math.fround(1 + 2 ** -23));
  });
});

describe('float MLP layer on a float systolic_array', () => {
  test('fp8_e4m3 layer 2 on a 2x2 array (built-in simulator) matches the golden GEMM cycle by cycle, and a wrong code is caught', () => {
    const { train, test: testSet } = splitDigits(loadDigits());
    const q = floatQuantizeMlp(trainMlp(train, { seed: 7, epochs: 1 }), fp8_e4m3);
    const images = testSet.images.slice(0, 3);
    const shape = { rows: 2, cols: 2 };
    const tile = buildFloatTile(shape, fp8_e4m3, 32);
    const { hidden, logits } = floatInfer(q, images);
    const run = scheduleFloatLayer(tile, shape, fp8_e4m3, q.layers[1], hidden, images.length);
    // The schedule's layer output (after the host stage) is the golden inference's logits.
    expect(Float64Array.from(run.output, fp32ToNumber)).toEqual(logits);
    const ok = runBuiltin(tile, run.testbench, run.stimulus, run.expected);
    expect(ok.counts.mismatches).toBe(0);
    expect(ok.counts.checked).toBe(run.cycles);
    const v = run.testbench.outputs.findIndex((p) => p.name === 'out_valid');
    const row = run.expected.findIndex((r) => r[v] === 1n);
    const wrong = run.expected.map((r, i) => (i === row ? r.map((x, j) => (j === 0 ? x ^ 1n : x)) : r));
    expect(runBuiltin(tile, run.testbench, run.stimulus, wrong).mismatches[0]).toMatchObject({ vectorIndex: row, port: 'c_0' });
  });
});
