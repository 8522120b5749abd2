/**
 * ggml block formats against an independent exact-arithmetic model (`ggml-ref.ts`), hand-computed
 * layouts from the SCHEMA's table, and the C-float helpers against the exact golden float path. The
 * vectors produced by ggml's own C are in test/data/public-ggml.jsonl (conformance/public.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cInt8, f32, fp16Code, roundf } from '../../../../sim/golden/llm/c-float.ts';
import { ggmlDequantizeRow, ggmlQuantizeRow, GGML_TYPES } from '../../../../sim/golden/llm/ggml-blocks.ts';
import { ggmlVecDot, GGML_DOT_TYPES, ggmlDotOperands } from '../../../../sim/golden/llm/ggml-dot.ts';
import { floatAdd, floatConvert, floatDiv, floatMul, fp16, fp32, fp32ToNumber, numberToFp32, decodeToNumber } from '../../../../sim/golden/float/index.ts';
import { Rational } from '../../../../sim/golden/rational.ts';
import { refDequantizeRow, refQuantizeRow, refVecDot } from './ggml-ref.ts';

/** Deterministic xorshift32 stream. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
}
/** A row of `blocks` blocks: N(0, sigma), a few outliers, and (for ties) some half-integers. */
function row(r: () => number, blocks: number, sigma: number): Float32Array {
  return Float32Array.from({ length: 32 * blocks }, (_, i) => (i % 11 === 3 ? gauss(r) * sigma * 8 : i % 13 === 5 ? Math.round(gauss(r) * 4) + 0.5 : gauss(r) * sigma));
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('C float helpers', () => {
  it('f32(a op b) equals the exact binary32 operation on random codes (normals, subnormals, mixed scales)', () => {
    const r = rng(7);
    const code = () => {
      const e = Math.floor(r() * 254);
      return ((r() < 0.5 ? 0x80000000 : 0) | (e << 23) | Math.floor(r() * 2 ** 23)) >>> 0;
    };
    for (let i = 0; i < 1500; i++) {
      const [a, b] = [code(), code()];
      const [x, y] = [fp32ToNumber(a), fp32ToNumber(b)];
      expect(numberToFp32(f32(x + y))).toBe(floatAdd(fp32, a, b));
      expect(numberToFp32(f32(x * y))).toBe(floatMul(fp32, a, b));
      expect(numberToFp32(f32(x / y))).toBe(floatDiv(fp32, a, b));
      expect(numberToFp32(f32(1 / y))).toBe(floatDiv(fp32, 0x3f800000, b));
    }
  });

  it('fp16Code is fp32 -> fp16 rne (the exact conversion) on random and boundary codes', () => {
    const r = rng(9);
    const codes = [0x477fe000, 0x477fefff, 0x477ff000, 0x33000000, 0x33000001, 0x32ffffff, 0x387fc000, 0x80000000, 0x7f800000];
    for (let i = 0; i < 3000; i++) codes.push(((Math.floor(r() * 60) + 95) << 23 | Math.floor(r() * 2 ** 23) | (r() < 0.5 ? 0x80000000 : 0)) >>> 0);
    for (const c of codes) expect(fp16Code(fp32ToNumber(c)), `fp32 0x${c.toString(16)}`).toBe(floatConvert(fp32, fp16, c));
  });

  it('roundf rounds halfway cases away from zero; cInt8 is cvttss2si then the low byte', () => {
    const cases: [number, number][] = [[0.5, 1], [-0.5, -1], [1.5, 2], [2.5, 3], [-2.5, -3], [f32(0.49999997), 0], [8388607.5, 8388608], [-0.25, -0]];
    for (const [v, want] of cases) expect(Object.is(roundf(v), want), `roundf(${v})`).toBe(true);
    const ints: [number, number][] = [[16.5, 16], [-0.9, 0], [127.9, 127], [128, -128], [300, 44], [-129, 127], [NaN, 0], [3e9, 0], [-3e9, 0]];
    for (const [v, want] of ints) expect(cInt8(v), `cInt8(${v})`).toBe(want);
  });
});

describe('layouts computed by hand from the SCHEMA table', () => {
  it('q4_0: x = (j mod 16) − 8 has max −8, so d = 1 and every nibble is j mod 16', () => {
    const x = Float32Array.from({ length: 32 }, (_, j) => (j % 16) - 8);
    // d = fp16(1) = 0x3c00 little-endian; byte j = element j | element j+16 << 4 = (j) | (j << 4).
    const want = '003c' + Array.from({ length: 16 }, (_, j) => (j * 17).toString(16).padStart(2, '0')).join('');
    expect(hex(ggmlQuantizeRow('q4_0', x))).toBe(want);
    expect(Array.from(ggmlDequantizeRow('q4_0', ggmlQuantizeRow('q4_0', x)))).toEqual(Array.from(x));
  });
  it('q4_1: x = 2j + 1 over 0..31 gives m = 1, d = 62/15 rounded, nibble 0 and 15 at the ends', () => {
    const x = Float32Array.from({ length: 32 }, (_, j) => 2 * j + 1);
    const b = ggmlQuantizeRow('q4_1', x);
    expect(b.length).toBe(20);
    expect(b[2]! | (b[3]! << 8)).toBe(0x3c00); // m = 1
    expect(b[0]! | (b[1]! << 8)).toBe(floatConvert(fp32, fp16, numberToFp32(f32(62 / 15))));
    expect(b[4]! & 15).toBe(0); // element 0 = min
    expect(b[19]! >> 4).toBe(15); // element 31 = max
  });
  it('q8_0 / q8_1: amax 127 gives d = 1; q8_1 s = fp16(Σq)', () => {
    const x = Float32Array.from({ length: 32 }, (_, j) => (j === 0 ? -127 : j - 10));
    const sum = x.reduce((a, b) => a + b, 0);
    expect(hex(ggmlQuantizeRow('q8_0', x))).toBe('003c' + hex(Uint8Array.from(x, (v) => v & 0xff)));
    const s = floatConvert(fp32, fp16, numberToFp32(sum));
    expect(hex(ggmlQuantizeRow('q8_1', x))).toBe('003c' + hex(Uint8Array.of(s & 0xff, s >> 8)) + hex(Uint8Array.from(x, (v) => v & 0xff)));
  });
  it('rejects rows that are not whole blocks, naming the type', () => {
    expect(() => ggmlQuantizeRow('q4_0', new Float32Array(31))).toThrow(/multiple of 32/);
    expect(() => ggmlDequantizeRow('q8_0', new Uint8Array(35))).toThrow(/q8_0: 35 bytes/);
  });
});

describe('against the exact-arithmetic reference', () => {
  const r = rng(2024);
  const rows = [1, 2, 4].flatMap((blocks) => [1e-3, 1, 100, 3e4].map((sigma) => row(r, blocks, sigma)));
  rows.push(new Float32Array(64)); // all zeros: q4_0 stores d = -0

  for (const type of GGML_TYPES) {
    it(`${type}: quantize equals the reference on ${rows.length} rows`, () => {
      for (const x of rows) expect(hex(ggmlQuantizeRow(type, x))).toBe(hex(refQuantizeRow(type, x)));
    });
  }
  for (const type of ['q4_0', 'q4_1', 'q8_0'] as const) {
    it(`${type}: dequantize equals the reference, including random bytes`, () => {
      // Rows of N(0, 3e4) with outliers store an fp16 d of Inf (as ggml does); their dequantization is not finite.
      const blobs = rows.filter((x) => x.every((v) => Math.abs(v) < 1e5)).map((x) => ggmlQuantizeRow(type, x));
      const size = { q4_0: 18, q4_1: 20, q8_0: 34 }[type];
      for (let i = 0; i < 8; i++) {
        const b = Uint8Array.from({ length: size * 2 }, () => Math.floor(r() * 256));
        for (let k = 0; k < 2; k++) b[k * size + 1]! &= 0x7b; // finite fp16 headers
        if (type === 'q4_1') for (let k = 0; k < 2; k++) b[k * size + 3]! &= 0x7b;
        blobs.push(b);
      }
      for (const b of blobs) {
        const got = Array.from(ggmlDequantizeRow(type, b), (v) => Rational.fromNumber(v).toString());
        expect(got).toEqual(refDequantizeRow(type, b).map((v) => v.toString()));
      }
    });
  }
  for (const types of GGML_DOT_TYPES) {
    it(`${types}: vec dot equals the reference in the SCHEMA's order`, () => {
      const [tx, ty] = ggmlDotOperands(types);
      for (let i = 0; i < 24; i++) {
        const blocks = 1 + (i % 6);
        const x = ggmlQuantizeRow(tx, row(r, blocks, i % 2 ? 1 : 300));
        const y = ggmlQuantizeRow(ty, row(r, blocks, i % 3 ? 1 : 50));
        expect(Rational.fromNumber(ggmlVecDot(types, x, y)).toString()).toBe(refVecDot(types, x, y).toString());
      }
    });
  }
});

describe('the vectors pin the arithmetic order (planted reorderings fail them)', () => {
  const lines = readFileSync(new URL('../../../data/public-ggml.jsonl', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; inputs: { x: string; y: string }; expected: string });
  const line = (id: string) => lines.find((l) => l.id === id)!;
  const bytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
  const fp16Of = (b: Uint8Array, at: number) => decodeToNumber(fp16, b[at]! | (b[at + 1]! << 8));
  const sumi = (x: Uint8Array, xo: number, y: Uint8Array, yo: number, w: (j: number) => number) => {
    let s = 0;
    for (let j = 0; j < 32; j++) s += w(j) * ((y[yo + j]! << 24) >> 24);
    return s;
  };
  const bits = (v: number) => `0x${numberToFp32(v).toString(16).padStart(8, '0')}`;

  it('q4_0·q8_0 with (float)sumi·(d_x·d_y) misses g-ggml-0046, which the C order passes', () => {
    const { inputs, expected } = line('g-ggml-0046');
    const [x, y] = [bytes(inputs.x), bytes(inputs.y)];
    let alt = 0;
    for (let i = 0; i < x.length / 18; i++) {
      const s = sumi(x, i * 18, y, i * 34 + 2, (j) => (j < 16 ? x[i * 18 + 2 + j]! & 15 : x[i * 18 + 2 + j - 16]! >> 4) - 8);
      alt = f32(alt + f32(s * f32(fp16Of(x, i * 18) * fp16Of(y, i * 34))));
    }
    expect(bits(alt)).not.toBe(expected);
    expect(bits(ggmlVecDot('q4_0_q8_0', x, y))).toBe(expected);
  });
  it('q4_1·q8_1 with (sumf + A) + B misses g-ggml-0061', () => {
    const { inputs, expected } = line('g-ggml-0061');
    const [x, y] = [bytes(inputs.x), bytes(inputs.y)];
    let alt = 0;
    for (let i = 0; i < x.length / 20; i++) {
      const s = sumi(x, i * 20, y, i * 36 + 4, (j) => (j < 16 ? x[i * 20 + 4 + j]! & 15 : x[i * 20 + 4 + j - 16]! >> 4));
      alt = f32(alt + f32(f32(fp16Of(x, i * 20) * fp16Of(y, i * 36)) * s));
      alt = f32(alt + f32(fp16Of(x, i * 20 + 2) * fp16Of(y, i * 36 + 2)));
    }
    expect(bits(alt)).not.toBe(expected);
    expect(bits(ggmlVecDot('q4_1_q8_1', x, y))).toBe(expected);
  });
});
