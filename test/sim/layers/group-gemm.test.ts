// Weight-only layers on group_gemm tiles: the golden layer against an independent binary64
// recomputation (int_then_scale, int8 activations), MatMulNBits unpacking against a hand-packed
// case, and whole layers (K and N padded) bit-exact on the built-in simulator, Verilator and Icarus.
import { describe, expect, test } from 'vitest';
import { fp16 } from '../../../sim/golden/index.ts';
import { evalGroupGemm, groupGemmTileName, groupGemmTileParams, runGroupGemm, unpackMatMulNBitsWeights, unpackMatMulNBitsZeroPoints, type GroupGemmSpec, type GroupTileShape } from '../../../sim/layers/group-gemm.ts';
import { Rng } from '../../../sim/random.ts';
import { dequantAwqOne, matmulW4A16 } from '../../../sim/golden/llm/group-weights.ts';
import { dequantWeightFp16 } from '../../../sim/golden/accel/group-dot.ts';
import { refDecode } from '../golden/float/ref-decode.ts';
import { describeWithTools } from '../../helpers/simulators.ts';
import { instantiate } from '../../../catalog/index.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x: number): number => { f32[0] = x; return u32[0]!; };
const nearOne = (rng: Rng, center: number): number => (rng.below(2) ? 0x8000 : 0) + (15 + center - 2 + rng.below(5)) * 1024 + rng.below(1024);

function spec(rng: Rng, datapath: GroupGemmSpec['datapath'], activation: GroupGemmSpec['activation'], m: number, k: number, n: number, G: number, zeros: boolean): GroupGemmSpec {
  const g = Math.ceil(k / G);
  return {
    m, k, n, groupSize: G, datapath, activation,
    weights: Array.from({ length: n * g * G }, () => rng.below(16)),
    scales: Array.from({ length: n * g }, () => nearOne(rng, -6)),
    ...(zeros ? { zeroPoints: Array.from({ length: n * g }, () => rng.below(16)) } : {}),
    activations: Array.from({ length: m * k }, () => (activation === 'int8' ? rng.below(256) - 128 : nearOne(rng, 0))),
    ...(activation === 'int8' ? { activationScales: Array.from({ length: m * g }, () => nearOne(rng, -7)) } : {}),
  };
}

/** The group_gemm tile a layer runs on, from the generator registry. */
const tileFor = (s: GroupGemmSpec, shape: GroupTileShape) => instantiate('group_gemm', groupGemmTileParams(s, shape), groupGemmTileName(s, shape));

describe('golden weight-only layer', () => {
  test('int_then_scale int8 (K = 70 padded to 96, default zero point 8) vs binary64 recomputation', () => {
    const s = spec(new Rng(1), 'int_then_scale', 'int8', 3, 70, 5, 32, false);
    const y = evalGroupGemm(s, 8);
    for (let m = 0; m < 3; m++) for (let n = 0; n < 5; n++) {
      let acc = 0;
      for (let g = 0; g < 3; g++) {
        let S = 0;
        for (let k = g * 32; k < Math.min(70, (g + 1) * 32); k++) S += (s.weights[n * 96 + k]! - 8) * s.activations[m * 70 + k]!;
        acc = Math.fround(acc + Math.fround(Math.fround(Math.fround(S) * refDecode(fp16, s.scales[n * 3 + g]!)) * refDecode(fp16, s.activationScales![m * 3 + g]!)));
      }
      expect(y[m * 5 + n]).toBe(bitsOf(acc));
    }
  });

  test('MatMulNBits unpacking: element 2i in the low nibble, zero points two per byte per row', () => {
    expect([...unpackMatMulNBitsWeights([0x21, 0x43, 0xa9, 0xcb], 2, 1, 4)]).toEqual([1, 2, 3, 4, 9, 10, 11, 12]);
    // 3 blocks per row -> 2 bytes per row; the high nibble of each row's last byte is padding.
    expect([...unpackMatMulNBitsZeroPoints([0x87, 0xf9, 0x21, 0xe3], 2, 3)]).toEqual([7, 8, 9, 1, 2, 3]);
  });
});

describe('layers on group_gemm tiles (built-in simulator)', () => {
  test('dequant_fp fp16, M=2 K=40 N=3 on a 2-column 4-lane tile, bit-exact', async () => {
    const s = spec(new Rng(2), 'dequant_fp', 'fp16', 2, 40, 3, 32, true);
    const r = await runGroupGemm(s, { cols: 2, lanes: 4 }, tileFor(s, { cols: 2, lanes: 4 }), 'builtin');
    expect(r.mismatches).toBe(0);
    expect(r.cycles).toBe(2 * 2 * 16);
  });

  test('a tile built for another layout is refused, naming the param', async () => {
    const s = spec(new Rng(2), 'dequant_fp', 'fp16', 1, 32, 2, 32, true);
    const other = instantiate('group_gemm', { ...groupGemmTileParams(s, { cols: 2, lanes: 4 }), datapath: 'int_then_scale' });
    await expect(runGroupGemm(s, { cols: 2, lanes: 4 }, other, 'builtin')).rejects.toThrow('the tile was built with datapath = int_then_scale, the layer needs dequant_fp');
  });
});

describeWithTools('verilator', 'layers on group_gemm tiles (Verilator, Icarus)', () => {
  for (const sim of ['verilator', 'icarus'] as const) {
    test(`${sim}: int_then_scale int8, M=3 K=70 N=5, group 32, 2 columns x 8 lanes, bit-exact`, async () => {
      const s = spec(new Rng(3), 'int_then_scale', 'int8', 3, 70, 5, 32, true);
      const r = await runGroupGemm(s, { cols: 2, lanes: 8 }, tileFor(s, { cols: 2, lanes: 8 }), sim);
      expect(r.mismatches).toBe(0);
      expect(r.output).toEqual(evalGroupGemm(s, 8));
    }, 600_000);
  }
});

describe('against the LLM-format golden model (sim/golden/llm, written independently)', () => {
  test('dequant_fp, one lane: the layer equals matmulW4A16 (fp32 fma chain in ascending k)', () => {
    const rng = new Rng(6);
    const s = spec(rng, 'dequant_fp', 'fp16', 2, 64, 3, 32, true);
    // Int4GroupWeights is K x N ([k][n]); the spec's weights are N x K.
    const codes = new Uint8Array(64 * 3);
    const scales = new Uint16Array(2 * 3);
    const zeros = new Uint8Array(2 * 3);
    for (let n = 0; n < 3; n++) {
      for (let k = 0; k < 64; k++) codes[k * 3 + n] = s.weights[n * 64 + k]!;
      for (let g = 0; g < 2; g++) [scales[g * 3 + n], zeros[g * 3 + n]] = [s.scales[n * 2 + g]!, s.zeroPoints![n * 2 + g]!];
    }
    const ref = matmulW4A16(Uint16Array.from(s.activations), 2, { k: 64, n: 3, groupSize: 32, codes, scales, zeros });
    expect([...evalGroupGemm(s, 1)]).toEqual([...new Uint32Array(ref.buffer)]);
  });

  test('AWQ dequantization agrees with dequantAwqOne on every (q, z) for 16 scales', () => {
    const rng = new Rng(8);
    for (let t = 0; t < 16; t++) {
      const s = rng.below(0x7c00) + (rng.below(2) ? 0x8000 : 0);
      for (let q = 0; q < 16; q++) for (let z = 0; z < 16; z++) expect(dequantWeightFp16(q, z, s)).toBe(dequantAwqOne(q, z, s));
    }
  });
});
