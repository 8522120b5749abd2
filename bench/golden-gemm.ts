/**
 * Benchmark of the golden model's int8 x int8 -> int32 GEMM (`gemmInt8`, the library kernel itself,
 * packing included) against a C reference compiled at run time with `gcc -O2` (bench/golden-gemm.c),
 * on the same data in the same run. Prints MAC/s for each and the ratio; checks the checksums agree.
 *
 * Run: npx tsx bench/golden-gemm.ts [sizes...]   (default 256 1024)
 * Also times the plain typed-array reference loop and, for context, C at -O3 -march=native.
 * The machines are shared, so C and JS are measured alternately, ROUNDS times each, keeping the best.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gemmInt8 } from '../sim/golden/kernels/gemm.ts';
import { gemmInt8Reference } from '../sim/golden/kernels/gemm-reference.ts';

const MIN_SECONDS = 0.5;
const ROUNDS = 3;

/** The C program's data: the same LCG, top byte of each step as an int8. */
function operands(n: number): [Int8Array, Int8Array] {
  let s = 12345;
  const gen = () => {
    const out = new Int8Array(n * n);
    for (let i = 0; i < out.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out[i] = s >>> 24;
    }
    return out;
  };
  const a = gen();
  return [a, gen()];
}

function checksum(c: Int32Array): bigint {
  let sum = 0n;
  for (const v of c) sum += BigInt(v);
  return sum;
}

/** Mean seconds per call over repetitions lasting at least MIN_SECONDS, after one warm-up call. */
function time(f: () => Int32Array): { seconds: number; result: Int32Array } {
  let result = f();
  let reps = 0;
  const t0 = performance.now();
  let t1 = t0;
  while (t1 - t0 < MIN_SECONDS * 1000) {
    result = f();
    reps++;
    t1 = performance.now();
  }
  return { seconds: (t1 - t0) / 1000 / reps, result };
}

function runC(binary: string, sizes: readonly number[]): Map<number, { seconds: number; checksum: bigint }> {
  const out = new Map<number, { seconds: number; checksum: bigint }>();
  for (const line of execFileSync(binary, sizes.map(String), { encoding: 'utf8' }).trim().split('\n')) {
    const [n, seconds, sum] = line.split(' ');
    out.set(Number(n), { seconds: Number(seconds), checksum: BigInt(sum as string) });
  }
  return out;
}

function compile(dir: string, flags: readonly string[], name: string): string {
  const source = fileURLToPath(new URL('./golden-gemm.c', import.meta.url));
  const binary = join(dir, name);
  execFileSync('gcc', [...flags, '-o', binary, source]);
  return binary;
}

const gmacs = (n: number, seconds: number) => (n ** 3 / seconds / 1e9).toFixed(2);

interface Best {
  seconds: number;
  checksum: bigint;
}

function keepBest(best: Best | undefined, next: Best): Best {
  return best === undefined || next.seconds < best.seconds ? next : best;
}

function measure(n: number, cO2: string, cNative: string | null): { golden: Best; c: Best; native: Best | null; plain: number | null } {
  const [a, b] = operands(n);
  const shape = { m: n, k: n, n };
  let golden: Best | undefined;
  let c: Best | undefined;
  let native: Best | null | undefined = cNative === null ? null : undefined;
  for (let round = 0; round < ROUNDS; round++) {
    c = keepBest(c, runC(cO2, [n]).get(n) as Best);
    const g = time(() => gemmInt8(a, b, shape));
    golden = keepBest(golden, { seconds: g.seconds, checksum: checksum(g.result) });
    if (cNative !== null) native = keepBest(native ?? undefined, runC(cNative, [n]).get(n) as Best);
  }
  if (golden === undefined || c === undefined || native === undefined) throw new Error('no measurement');
  if (golden.checksum !== c.checksum) throw new Error(`n = ${n}: checksum ${golden.checksum} differs from C's ${c.checksum}`);
  const plain = n <= 512 ? time(() => gemmInt8Reference(a, b, shape)).seconds : null;
  return { golden, c, native, plain };
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number);
  if (sizes.length === 0) sizes.push(256, 1024);
  const dir = mkdtempSync(join(tmpdir(), 'npugen-bench-'));
  try {
    const cO2 = compile(dir, ['-O2'], 'gemm-O2');
    let cNative: string | null;
    try {
      cNative = compile(dir, ['-O3', '-march=native'], 'gemm-O3-native');
    } catch {
      cNative = null;
    }
    console.log('int8 x int8 -> int32 GEMM, n x n x n, GMAC/s (10^9 multiply-accumulates per second)');
    console.log('   n   golden(wasm SIMD)   C gcc -O2   ratio   | plain JS ref   C -O3 -march=native');
    for (const n of sizes) {
      const r = measure(n, cO2, cNative);
      console.log(
        `${String(n).padStart(5)}   ${gmacs(n, r.golden.seconds).padStart(17)}   ${gmacs(n, r.c.seconds).padStart(9)}   ${(r.c.seconds / r.golden.seconds).toFixed(2).padStart(5)}   | ${(r.plain === null ? '(skipped)' : gmacs(n, r.plain)).padStart(12)}   ${r.native ? gmacs(n, r.native.seconds) : 'n/a'}`,
      );
    }
    console.log('ratio = C -O2 time / golden time (target >= 0.125); golden and C checksums agree; best of 3 alternating rounds.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
