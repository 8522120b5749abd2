import { describe, expect, it } from 'vitest';
import { checkQuantGemmSpec, evalQuantGemm, type QType, type QuantGemmSpec } from '../../../sim/layers/quant-gemm.ts';
import { integerMatMul } from '../../../sim/golden/int/qlinear-matmul.ts';
import { fp32CodeOf, requantizeFp32Exact } from '../../../sim/golden/int/requantize-fp32.ts';
import { Rng } from '../../../sim/random.ts';

function codes(rng: Rng, type: QType, len: number): Int8Array | Uint8Array {
  const d = type === 'int8' ? new Int8Array(len) : new Uint8Array(len);
  for (let i = 0; i < len; i++) d[i] = rng.below(256) - (type === 'int8' ? 128 : 0);
  return d;
}

function randomSpec(rng: Rng, m: number, k: number, n: number, perColumn: boolean, kind: 'int32' | 'requant'): QuantGemmSpec {
  const at: QType = rng.below(2) ? 'uint8' : 'int8';
  const bt: QType = rng.below(2) ? 'uint8' : 'int8';
  const off = (t: QType) => (t === 'int8' ? -128 : 0);
  const bz = perColumn ? Int32Array.from({ length: n }, () => off(bt) + rng.below(256)) : off(bt) + rng.below(256);
  const ot: QType = rng.below(2) ? 'uint8' : 'int8';
  const mult = Float32Array.from({ length: perColumn ? n : 1 }, () => (1 + rng.below(1000)) * 2 ** -(14 + rng.below(6)));
  return {
    m, k, n,
    a: { type: at, data: codes(rng, at, m * k), zeroPoint: off(at) + rng.below(256) },
    b: { type: bt, data: codes(rng, bt, k * n), zeroPoint: bz },
    bias: Int32Array.from({ length: n }, () => rng.below(20001) - 10000),
    output: kind === 'int32' ? { kind } : { kind, type: ot, multiplier: mult, zeroPoint: off(ot) + rng.below(256), min: off(ot) + rng.below(40), max: off(ot) + 215 + rng.below(41) },
  };
}

/** Independent recomputation: bigint integer matmul (per column zero points one column at a time) and the exact float path. */
function reference(spec: QuantGemmSpec): bigint[] {
  const { m, k, n } = spec;
  const A = Array.from({ length: m }, (_, i) => Array.from({ length: k }, (_, t) => BigInt(spec.a.data[i * k + t]!)));
  const out: bigint[] = new Array<bigint>(m * n).fill(0n);
  for (let j = 0; j < n; j++) {
    const zb = typeof spec.b.zeroPoint === 'number' ? spec.b.zeroPoint : spec.b.zeroPoint[j]!;
    const B = Array.from({ length: k }, (_, t) => [BigInt(spec.b.data[t * n + j]!)]);
    const col = integerMatMul(A, B, BigInt(spec.a.zeroPoint), BigInt(zb));
    for (let i = 0; i < m; i++) {
      const acc = BigInt.asIntN(32, col[i]![0]! + BigInt(spec.bias?.[j] ?? 0));
      const o = spec.output;
      out[i * n + j] = o.kind === 'int32' ? acc
        : requantizeFp32Exact(acc, fp32CodeOf(o.multiplier[o.multiplier.length === 1 ? 0 : j]!), BigInt(o.zeroPoint), BigInt(o.min), BigInt(o.max));
    }
  }
  return out;
}

describe('evalQuantGemm', () => {
  it('equals an independent bigint + exact-float recomputation (per tensor, per column, int32)', () => {
    const rng = new Rng(7);
    for (const [m, k, n] of [[1, 1, 1], [3, 5, 2], [7, 33, 9], [4, 64, 16]] as const) {
      for (const perColumn of [false, true]) for (const kind of ['int32', 'requant'] as const) {
        const spec = randomSpec(rng, m, k, n, perColumn, kind);
        expect(Array.from(evalQuantGemm(spec), BigInt)).toEqual(reference(spec));
      }
    }
  });

  it('wraps the accumulator to int32 as onnxruntime does', () => {
    const k = 40000; // 40000 * 255 * 255 = 2.6e9 > 2^31
    const spec: QuantGemmSpec = {
      m: 1, k, n: 1,
      a: { type: 'uint8', data: new Uint8Array(k).fill(255), zeroPoint: 0 },
      b: { type: 'uint8', data: new Uint8Array(k).fill(255), zeroPoint: 0 },
      output: { kind: 'int32' },
    };
    expect(evalQuantGemm(spec)[0]).toBe(Number(BigInt.asIntN(32, 40000n * 255n * 255n)));
  });

  it('rejects specs outside the contract, naming the field', () => {
    const rng = new Rng(1);
    const good = randomSpec(rng, 2, 3, 4, true, 'requant');
    expect(() => checkQuantGemmSpec({ ...good, k: 4 })).toThrow(/a \(M x K\) has 6 elements, expected 8/);
    expect(() => checkQuantGemmSpec({ ...good, bias: new Int32Array(3) })).toThrow(/bias has 3 elements/);
    expect(() => checkQuantGemmSpec({ ...good, a: { ...good.a, zeroPoint: 300 } })).toThrow(/a zero point/);
    const out = good.output;
    if (out.kind !== 'requant') throw new Error('unreachable');
    expect(() => checkQuantGemmSpec({ ...good, output: { ...out, multiplier: new Float32Array([NaN]) } })).toThrow(/finite binary32/);
    expect(() => checkQuantGemmSpec({ ...good, output: { ...out, min: 10, max: 5 } })).toThrow(/output max/);
  });
});
