import { T, i32Lanes, op, section, str, uleb, vec } from './wasm-emit.ts';

/*
 * WebAssembly SIMD micro-kernel for C = A · Bᵀ on packed int16 operands:
 *   A: rows of Kp int16 (the widened, zero-point-adjusted left operand), row stride kb = 2·Kp bytes
 *   B: rows of Kp int16 (the right operand transposed), same stride
 *   C: int32, row stride 4·n bytes
 * Kp is a multiple of 8, n a multiple of 4, the row range a multiple of 2; padding is zero.
 * Each 2x4 tile keeps 8 i32x4 accumulators fed by i32x4.dot_i16x8_s, which is exact for int16 inputs
 * (the pairwise sum of two int16 products fits int32); the caller guarantees no partial sum leaves int32.
 */

// Locals: params 0..6, then i32 scratch, then v128.
const [A, B, C, I0, I1, N, KB] = [0, 1, 2, 3, 4, 5, 6];
const [I, J, KK, A0, A1, B0, B1, B2, B3, C0] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const ACC = [17, 18, 19, 20, 21, 22, 23, 24]; // row r, column q at ACC[4r + q]
const [VA0, VA1, VB] = [25, 26, 27];

function acc(r: number, q: number): number {
  return ACC[4 * r + q] as number;
}

/** Leaves [Σv0, Σv1, Σv2, Σv3] on the stack (lane sums of four accumulators), via VA0/VA1 as scratch. */
function horizontalSum4(v: readonly number[]): number[] {
  const pairSums = (x: number, y: number, into: number) => [
    ...op.get(x), ...op.get(y), ...op.shuffle(i32Lanes([0, 1, 4, 5])),
    ...op.get(x), ...op.get(y), ...op.shuffle(i32Lanes([2, 3, 6, 7])),
    ...op.i32x4Add, ...op.set(into),
  ];
  return [
    ...pairSums(v[0] as number, v[1] as number, VA0),
    ...pairSums(v[2] as number, v[3] as number, VA1),
    ...op.get(VA0), ...op.get(VA1), ...op.shuffle(i32Lanes([0, 2, 4, 6])),
    ...op.get(VA0), ...op.get(VA1), ...op.shuffle(i32Lanes([1, 3, 5, 7])),
    ...op.i32x4Add,
  ];
}

function kLoop(): number[] {
  const body: number[] = [
    ...op.get(A0), ...op.get(KK), ...op.i32Add, ...op.v128Load(), ...op.set(VA0),
    ...op.get(A1), ...op.get(KK), ...op.i32Add, ...op.v128Load(), ...op.set(VA1),
  ];
  [B0, B1, B2, B3].forEach((bq, q) => {
    body.push(...op.get(bq), ...op.get(KK), ...op.i32Add, ...op.v128Load(), ...op.set(VB));
    for (const [r, va] of [[0, VA0], [1, VA1]] as const) {
      body.push(...op.get(acc(r, q)), ...op.get(va), ...op.get(VB), ...op.i32x4DotI16x8S, ...op.i32x4Add, ...op.set(acc(r, q)));
    }
  });
  body.push(...op.get(KK), ...op.i32Const(16), ...op.i32Add, ...op.tee(KK), ...op.get(KB), ...op.i32LtU, ...op.brIf(0));
  return [...op.i32Const(0), ...op.set(KK), ...op.loop, ...body, ...op.end];
}

function jLoop(): number[] {
  const rowStart = [...op.get(B), ...op.get(J), ...op.get(KB), ...op.i32Mul, ...op.i32Add, ...op.tee(B0),
    ...op.get(KB), ...op.i32Add, ...op.tee(B1), ...op.get(KB), ...op.i32Add, ...op.tee(B2),
    ...op.get(KB), ...op.i32Add, ...op.set(B3)];
  const zero = ACC.flatMap((a) => [...op.v128Zero, ...op.set(a)]);
  const store0 = [...op.get(C0), ...op.get(J), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add,
    ...horizontalSum4([acc(0, 0), acc(0, 1), acc(0, 2), acc(0, 3)]), ...op.v128Store()];
  const store1 = [...op.get(C0), ...op.get(N), ...op.get(J), ...op.i32Add, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add,
    ...horizontalSum4([acc(1, 0), acc(1, 1), acc(1, 2), acc(1, 3)]), ...op.v128Store()];
  const next = [...op.get(J), ...op.i32Const(4), ...op.i32Add, ...op.tee(J), ...op.get(N), ...op.i32LtU, ...op.brIf(0)];
  return [...op.i32Const(0), ...op.set(J), ...op.loop, ...rowStart, ...zero, ...kLoop(), ...store0, ...store1, ...next, ...op.end];
}

function functionBody(): number[] {
  const rowPointers = [...op.get(A), ...op.get(I), ...op.get(KB), ...op.i32Mul, ...op.i32Add, ...op.tee(A0),
    ...op.get(KB), ...op.i32Add, ...op.set(A1),
    ...op.get(C), ...op.get(I), ...op.get(N), ...op.i32Mul, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.set(C0)];
  const next = [...op.get(I), ...op.i32Const(2), ...op.i32Add, ...op.tee(I), ...op.get(I1), ...op.i32LtU, ...op.brIf(0)];
  const code = [...op.get(I0), ...op.set(I), ...op.loop, ...rowPointers, ...jLoop(), ...next, ...op.end, ...op.end];
  const locals = vec([[...uleb(10), T.i32], [...uleb(11), T.v128]]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes: imports memory env.mem, exports `gemm(a, b, c, i0, i1, n, kb)`. */
export function gemmModuleBytes(): Uint8Array {
  const type = section(1, vec([[T.func, ...vec(new Array<number[]>(7).fill([T.i32])), 0]]));
  const imports = section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 0x01]]));
  const funcs = section(3, vec([[0]]));
  const exports = section(7, vec([[...str('gemm'), 0x00, 0]]));
  const code = section(10, vec([functionBody()]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
}

export type GemmKernelFn = (a: number, b: number, c: number, i0: number, i1: number, n: number, kb: number) => void;

/* The few WebAssembly JS-API members used here (the project's lib settings include no DOM/wasm typings). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
}

export interface WasmGemm {
  readonly memory: WasmMemory;
  readonly gemm: GemmKernelFn;
}

let instance: WasmGemm | null | undefined;

/** The instantiated kernel (one per process), or null when this engine lacks WebAssembly SIMD. */
export function wasmGemm(): WasmGemm | null {
  if (instance !== undefined) return instance;
  const wa = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  const bytes = gemmModuleBytes();
  if (wa === undefined || !wa.validate(bytes)) {
    instance = null;
    return instance;
  }
  const memory = new wa.Memory({ initial: 1 });
  const inst = new wa.Instance(new wa.Module(bytes), { env: { mem: memory } });
  const gemm = inst.exports['gemm'];
  if (typeof gemm !== 'function') throw new Error('wasm GEMM module does not export gemm');
  instance = { memory, gemm: gemm as GemmKernelFn };
  return instance;
}

/** Makes sure the memory holds at least `bytes`; returns the (possibly new) buffer. */
export function ensureMemory(k: WasmGemm, bytes: number): ArrayBuffer {
  const have = k.memory.buffer.byteLength;
  if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / 65536));
  return k.memory.buffer;
}
