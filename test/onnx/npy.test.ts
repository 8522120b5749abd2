// .npy reading and writing: NumPy's documented header layout, byte for byte, and the errors.
import { describe, expect, test } from 'vitest';
import { values } from '../helpers/onnx-models.ts';
import { NpyError, readNpy, writeNpy } from '../../onnx/npy.ts';
import { tensor } from '../../onnx/tensor.ts';

/** A .npy file assembled by hand from the format description (version 1.0, header padded to 64 bytes). */
function handMade(descr: string, shape: string, body: number[]): Uint8Array {
  let h = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  h += ' '.repeat(64 - ((10 + h.length + 1) % 64)) + '\n';
  return new Uint8Array([0x93, ...Buffer.from('NUMPY'), 1, 0, h.length & 0xff, h.length >> 8, ...Buffer.from(h, 'latin1'), ...body]);
}

describe('.npy', () => {
  test('reads a hand-assembled float32 (2, 2) array and an int8 vector', () => {
    const f = readNpy(handMade('<f4', '(2, 2)', [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x80, 0x3e]), 'a.npy');
    expect(f.dtype).toBe('float32');
    expect(f.dims).toEqual([2, 2]);
    expect(values(f)).toEqual([1, -2, 0, 0.25]);
    const i = readNpy(handMade('|i1', '(3,)', [0xff, 0x80, 0x7f]), 'b.npy');
    expect([i.dtype, i.dims, values(i)]).toEqual(['int8', [3], [-1, -128, 127]]);
  });

  test('write then read is the identity, and the header is 64-byte aligned', () => {
    for (const t of [tensor('float32', [2, 3], [1, 2, 3, -4, 5.5, -0.125]), tensor('uint8', [4], [0, 1, 254, 255]), tensor('int32', [1, 1, 2], [-5, 2 ** 31 - 1]), tensor('int64', [], [7])]) {
      const bytes = writeNpy(t);
      expect((10 + (bytes[8]! | (bytes[9]! << 8))) % 64).toBe(0);
      const r = readNpy(bytes, 'x.npy');
      expect([r.dtype, r.dims, values(r)]).toEqual([t.dtype, t.dims, values(t)]);
    }
  });

  test('unsupported or malformed files fail with NpyError naming the file', () => {
    expect(() => readNpy(new Uint8Array(20), 'z.npy')).toThrow(/z\.npy: not a \.npy file/);
    expect(() => readNpy(handMade('<f8', '(1,)', [0, 0, 0, 0, 0, 0, 0, 0]), 'd.npy')).toThrow(/d\.npy: dtype '<f8' is not supported/);
    expect(() => readNpy(handMade('<f4', '(2,)', [0, 0, 0, 0]), 's.npy')).toThrow(NpyError);
  });
});
