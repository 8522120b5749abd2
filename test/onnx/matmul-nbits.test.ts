// MatMulNBits in `npugen run`: lowering to a group_gemm layer (fp16 operands, dequant_fp), its golden
// output against an independent recomputation (matmulW4A16 on operands rounded by a hand-written
// fp16 rounding), rejections naming the node, and whole runs: hardware bit-exact against the golden
// model, the golden model within the stated bound of onnxruntime-node, on the built-in simulator for
// block sizes 32/64/128 with and without zero points, and one small case each on Icarus and Verilator.
import { describe, expect, test } from 'vitest';
import { randomInputs } from '../../onnx/inputs.ts';
import { evalLayer, type Layer } from '../../onnx/layer.ts';
import { lowerModel, type LoweredModel } from '../../onnx/lower.ts';
import { readOnnxModel } from '../../onnx/model.ts';
import { runLoweredModel, type SimulatorChoice } from '../../onnx/run.ts';
import { tensor } from '../../onnx/tensor.ts';
import { matmulW4A16 } from '../../sim/golden/llm/group-weights.ts';
import { kBlocks, matMulNBitsGolden, nbitsCode, nbitsZero, type MatMulNBitsWeights } from '../../sim/golden/llm/matmul-nbits.ts';
import { fp16HardwareErrorBound } from '../../sim/golden/llm/matmul-nbits-fp16.ts';
import { Rng } from '../../sim/random.ts';
import { matMulNBitsModel, randomMatMulNBits } from '../helpers/matmul-nbits-model.ts';
import { describeWithTools } from '../helpers/simulators.ts';

const rng = new Rng(71);
const TIMEOUT = 600_000;
const lower = (bytes: Uint8Array) => lowerModel(readOnnxModel(bytes, 'm.onnx'));

/** fp16 round to nearest even of a finite binary64 in range, written from the format's definition (not the float library). */
function fp16Code(x: number): number {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  const e = a === 0 ? -14 : Math.max(-14, Math.floor(Math.log2(a)));
  const ulp = 2 ** (e - 10);
  let m = a / ulp; // exact: a is binary32, the division by a power of two is exact in binary64
  const f = Math.floor(m);
  m = m - f > 0.5 || (m - f === 0.5 && f % 2 === 1) ? f + 1 : f;
  const v = m * ulp; // may carry into the next binade: re-encode from the value
  if (v === 0) return sign;
  const ev = Math.max(-14, Math.floor(Math.log2(v)));
  return ev === -14 && v < 2 ** -14 ? sign | (v / 2 ** -24) : sign | ((ev + 15) << 10) | (v / 2 ** (ev - 10) - 1024);
}

/** The MatMulNBits weights as the runtime-neutral K × N Int4GroupWeights with fp16 scales (hand-rounded). */
function asGroupWeights(w: MatMulNBitsWeights) {
  const nb = kBlocks(w);
  const kp = nb * w.blockSize;
  const codes = new Uint8Array(kp * w.n);
  const scales = new Uint16Array(nb * w.n);
  const zeros = new Uint8Array(nb * w.n);
  for (let n = 0; n < w.n; n++) {
    for (let k = 0; k < kp; k++) codes[k * w.n + n] = nbitsCode(w, n, k);
    for (let j = 0; j < nb; j++) [scales[j * w.n + n], zeros[j * w.n + n]] = [fp16Code(w.scales[n * nb + j]!), nbitsZero(w, n, j)];
  }
  return { k: kp, n: w.n, groupSize: w.blockSize, codes, scales, zeros };
}

async function run(w: MatMulNBitsWeights, m: number, simulator: SimulatorChoice, sets: number, patch?: (l: LoweredModel) => LoweredModel) {
  const bytes = matMulNBitsModel(w, [m, w.k]);
  let lowered = lower(bytes);
  if (patch) lowered = patch(lowered);
  const r = new Rng(9);
  const inputSets = Array.from({ length: sets }, () => randomInputs(lowered.model, r));
  return runLoweredModel(bytes, lowered, { inputSets, simulator, tile: { rows: 1, cols: 2 } });
}

describe('MatMulNBits lowering', () => {
  test('a group layer whose golden output is matmulW4A16 on fp16-rounded A and scales (K = 72, 3 blocks), within the bound of the exact value', () => {
    const w = randomMatMulNBits(rng, 72, 5, 32, true);
    const low = lower(matMulNBitsModel(w, [1, 3, 72]));
    expect(low.layers.map((l) => [l.kind, l.op])).toEqual([['group', 'MatMulNBits']]);
    const a = tensor('float32', [1, 3, 72], Array.from({ length: 3 * 72 }, () => Math.fround((rng.below(2 ** 20) - 2 ** 19) / 2 ** 19)));
    const y = evalLayer(low.layers[0]!, new Map([...low.constants, ['a', a]]));
    expect(y.dims).toEqual([1, 3, 5]);
    const x16 = new Uint16Array(3 * 96);
    for (let i = 0; i < 3; i++) for (let k = 0; k < 72; k++) x16[i * 96 + k] = fp16Code((a.data as Float32Array)[i * 72 + k]!);
    expect(Array.from(y.data as Float32Array)).toEqual(Array.from(matmulW4A16(x16, 3, asGroupWeights(w))));
    const exact = matMulNBitsGolden(a.data as Float32Array, 3, w);
    for (let i = 0; i < 3; i++) for (let c = 0; c < 5; c++) {
      const d = Math.abs((y.data as Float32Array)[i * 5 + c]! - exact[i * 5 + c]!);
      expect(d).toBeLessThanOrEqual(fp16HardwareErrorBound(a.data as Float32Array, w, i, c));
    }
  });

  test('unsupported attributes, inputs and values outside fp16 are rejected by node name', () => {
    const w = randomMatMulNBits(rng, 32, 2, 16, false);
    expect(() => lower(matMulNBitsModel(w, [1, 32], { bits: { i: 8 } }))).toThrow(/node 'mmnb' \(com\.microsoft\.MatMulNBits\): bits = 8 is not supported/);
    expect(() => lower(matMulNBitsModel(w, [1, 32], { accuracy_level: { i: 4 } }))).toThrow(/accuracy_level = 4 .* use accuracy_level 0 or 1/);
    expect(() => lower(matMulNBitsModel({ ...w, blockSize: 8, b: new Uint8Array(32), scales: new Float32Array(8) }, [1, 32]))).toThrow(/block_size = 8 is not supported/);
    expect(() => lower(matMulNBitsModel({ ...w, scales: Float32Array.of(1e5, 1, 1, 1) }, [1, 32]))).toThrow(/node 'mmnb'.*scale \[0\] \(row 0, block 0\) = 100000 is outside fp16's range/);
    // 8 · 9000 overflows fp16 although the scale itself fits.
    expect(() => lower(matMulNBitsModel({ ...w, b: new Uint8Array(32), scales: Float32Array.of(9000, 1, 1, 1) }, [1, 32]))).toThrow(/row 0, block 0: \(q − zp\)·scale = \(0 − 8\)·9000 overflows fp16/);
    const low = lower(matMulNBitsModel(w, [1, 32]));
    const big = tensor('float32', [1, 32], Array.from({ length: 32 }, (_, i) => (i === 5 ? 70000 : 1)));
    expect(() => evalLayer(low.layers[0]!, new Map([...low.constants, ['a', big]]))).toThrow(/input 'a' element 5 = 70000 is outside fp16's range/);
  });
});

describe('MatMulNBits in npugen run (built-in simulator)', () => {
  test.each([
    [32, true, 80, 2],
    [64, false, 64, 1],
    [128, true, 130, 1],
  ] as const)('block %i, zero points %s, K = %i, %i input sets: hardware bit-exact vs golden, golden within the bound of onnxruntime', async (block, zp, k, sets) => {
    const w = randomMatMulNBits(rng, k, 2, block, zp);
    const r = await run(w, 2, 'builtin', sets);
    const l = r.layers[0]!;
    expect(l).toMatchObject({ op: 'MatMulNBits', hardwareBitExact: true, onnxruntimeBitExact: true, exactByConstruction: false });
    expect(l.firstMismatch).toBeUndefined();
    expect(l.cycles).toBe(sets * 2 * Math.ceil(k / block) * block); // one column block; sets x M = 2 rows x Kp beats
    // onnxruntime is not bit-identical to the fp16 hardware, and stays well inside the bound.
    expect(l.worstFractionOfTolerance).toBeGreaterThan(0);
    expect(l.worstFractionOfTolerance).toBeLessThan(0.5);
    expect(r.bitExact).toBe(true);
  }, TIMEOUT);

  test('a wrong nibble order in the model read by the golden model fails against onnxruntime; a hardware run on other weights fails against the golden model', async () => {
    const w = randomMatMulNBits(rng, 64, 2, 32, true);
    const swapped = lower(matMulNBitsModel({ ...w, b: w.b.map((x) => ((x & 15) << 4) | (x >> 4)) }, [2, 64]));
    const bad = await run(w, 2, 'builtin', 1, (low) => ({ ...low, layers: swapped.layers, constants: swapped.constants }));
    expect(bad.layers[0]!.onnxruntimeBitExact).toBe(false);
    expect(bad.layers[0]!.firstMismatch).toMatch(/golden vs onnxruntime.*tolerance/);
    // The golden output is computed first; a plan whose later calls flip one weight code reaches the hardware only.
    const flipOnHardware = (low: LoweredModel): LoweredModel => ({
      ...low,
      layers: low.layers.map((l): Layer => {
        if (l.kind !== 'group') return l;
        let calls = 0;
        return { ...l, plan: (env) => {
          const p = l.plan(env);
          if (calls++ === 0) return p;
          const weights = Uint8Array.from(p.spec.weights);
          weights[3] = (weights[3]! + 1) % 16;
          return { ...p, spec: { ...p.spec, weights } };
        } };
      }),
    });
    const hw = await run(w, 2, 'builtin', 1, flipOnHardware);
    expect(hw.layers[0]!.onnxruntimeBitExact).toBe(true);
    expect(hw.layers[0]!.hardwareBitExact).toBe(false);
    expect(hw.layers[0]!.firstMismatch).toMatch(/^hardware vs golden, input set 0, element \[\d+, 0\]/);
  }, TIMEOUT);
});

for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `MatMulNBits in npugen run on ${sim}`, () => {
    test('block 32, zero points, K = 40, N = 3 on a 2-column group_gemm: bit-exact vs golden, within the bound of onnxruntime', async () => {
      const w = randomMatMulNBits(new Rng(sim === 'icarus' ? 3 : 4), 40, 3, 32, true);
      const r = await run(w, 2, sim, 1);
      expect(r.layers[0]).toMatchObject({ hardwareBitExact: true, onnxruntimeBitExact: true });
      expect(r.layers[0]!.cycles).toBe(2 * 2 * 64);
      expect(r.bitExact).toBe(true);
    }, TIMEOUT);
  });
}
