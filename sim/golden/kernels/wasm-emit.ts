/*
 * A tiny WebAssembly binary emitter: just the encodings the GEMM kernel needs (LEB128, sections,
 * a handful of scalar and SIMD opcodes). Byte values follow the WebAssembly core spec 2.0.
 */

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export function str(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

export function vec(items: readonly number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function section(id: number, body: readonly number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

export const T = { i32: 0x7f, v128: 0x7b, func: 0x60 } as const;

/** Instruction encoders (each returns the bytes of one instruction). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32LtU: [0x49],
  i32Shl: [0x74],
  v128Load: (offset = 0) => [0xfd, 0x00, 0x04, ...uleb(offset)],
  v128Store: (offset = 0) => [0xfd, 0x0b, 0x04, ...uleb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  /** i8x16.shuffle with 16 byte-lane indices into the concatenation of the two operands. */
  shuffle: (lanes: readonly number[]) => [0xfd, 0x0d, ...lanes],
  i32x4Add: [0xfd, ...uleb(174)],
  i32x4DotI16x8S: [0xfd, ...uleb(186)],
} as const;

/** Byte lanes of an i8x16.shuffle selecting the given i32 lanes (0-3 first operand, 4-7 second). */
export function i32Lanes(lanes: readonly [number, number, number, number]): number[] {
  return lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
}
