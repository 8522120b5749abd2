/**
 * The hand-written Verilator baseline of the benchmarks: a C++ `main` (no Verilog testbench)
 * that maps npugen's binary stimulus/expected files (header + byte-aligned little-endian rows,
 * see sim/vectors.ts), drives the DUT's ports, clocks it and compares every output itself —
 * the structure of the harness in bench/cosim-loaders.ts, generalized to any ports of at most
 * 32 bits and any latency >= 1. It is built with the same Verilator flags npugen uses
 * (`verilatorBuild`), so the comparison isolates the testbench, not the compiler options.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verilatorBuild, verilatorExecutable, verilatorRun, type VerilatorBuildInput } from '../../sim/backends/verilator.ts';
import { buildCached } from '../../sim/build-cache.ts';
import type { Invocation } from '../../sim/backends/invocation.ts';
import type { Port } from '../../formats/port.ts';

export interface HarnessSpec {
  readonly top: string;
  readonly clock: string;
  /** Active-high synchronous reset asserted for one edge before the vectors, if the DUT has one. */
  readonly reset?: string;
  readonly inputs: readonly Port[];
  readonly outputs: readonly Port[];
  readonly latency: number;
}

const bytesOf = (p: Port): number => Math.ceil(p.width / 8);

/** C++ source of the harness: `Vsim <stimulus.bin> <expected.bin>`, exit 0 iff every output matched. */
export function handHarnessCpp(spec: HarnessSpec): string {
  if (spec.latency < 1) throw new Error('hand harness: latency >= 1 only');
  for (const p of [...spec.inputs, ...spec.outputs]) if (p.width > 32) throw new Error(`hand harness: port ${p.name} is wider than 32 bits`);
  const stimBytes = spec.inputs.reduce((s, p) => s + bytesOf(p), 0);
  const expBytes = spec.outputs.reduce((s, p) => s + bytesOf(p), 0);
  let at = 0;
  const drive = spec.inputs.map((p) => {
    const line = `      m.${p.name} = rd${bytesOf(p)}(r + ${at});`;
    at += bytesOf(p);
    return line;
  }).join('\n');
  at = 0;
  const check = spec.outputs.map((p) => {
    const mask = p.width === 32 ? '0xffffffffu' : `0x${((2 ** p.width) - 1).toString(16)}u`;
    const line = `        if (((uint32_t)m.${p.name} & ${mask}) != (rd${bytesOf(p)}(x + ${at}) & ${mask})) bad++;`;
    at += bytesOf(p);
    return line;
  }).join('\n');
  const cls = `V${spec.top}`;
  return `#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "${cls}.h"
#include "verilated.h"
static const unsigned char* map(const char* p, uint32_t* rowBytes, uint32_t* count) {
  int fd = open(p, O_RDONLY); if (fd < 0) { std::perror(p); std::exit(2); }
  struct stat st; fstat(fd, &st);
  auto* b = static_cast<const unsigned char*>(mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0));
  std::memcpy(rowBytes, b + 8, 4); std::memcpy(count, b + 12, 4); return b + 16;
}
static inline uint32_t rd1(const unsigned char* p) { return p[0]; }
static inline uint32_t rd2(const unsigned char* p) { return p[0] | (uint32_t)p[1] << 8; }
static inline uint32_t rd3(const unsigned char* p) { return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16; }
static inline uint32_t rd4(const unsigned char* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }
int main(int argc, char** argv) {
  if (argc < 3) { std::fprintf(stderr, "usage: %s stimulus.bin expected.bin\\n", argv[0]); return 2; }
  uint32_t sb, n, eb, ne;
  const unsigned char* s = map(argv[1], &sb, &n);
  const unsigned char* e = map(argv[2], &eb, &ne);
  if (sb != ${stimBytes} || eb != ${expBytes} || n != ne) { std::fprintf(stderr, "bad vector files\\n"); return 2; }
  ${cls} m; long bad = 0, checked = 0;
  m.${spec.clock} = 0;
${spec.reset !== undefined ? `  m.${spec.reset} = 1; m.eval(); m.${spec.clock} = 1; m.eval(); m.${spec.clock} = 0; m.${spec.reset} = 0; m.eval();` : '  m.eval();'}
  const uint32_t L = ${spec.latency};
  for (uint32_t v = 0; v < n + L - 1; v++) {
    if (v < n) {
      const unsigned char* r = s + ${stimBytes} * (size_t)v;
${drive}
    }
    m.${spec.clock} = 1; m.eval(); m.${spec.clock} = 0; m.eval();
    if (v + 1 >= L) {
        const unsigned char* x = e + ${expBytes} * (size_t)(v + 1 - L);
${check}
        checked++;
    }
  }
  std::printf("bad=%ld checked=%ld of %u\\n", bad, checked, n);
  return bad != 0;
}
`;
}

export interface BuiltHarness {
  readonly dir: string;
  /** Runs the harness on two binary vector files. */
  readonly run: (stimulus: string, expected: string) => Invocation;
}

/** Writes the DUT sources and the harness under `dir` and builds it (cached like npugen's builds). */
export async function buildHandHarness(dir: string, cacheDir: string, spec: HarnessSpec, rtl: readonly { name: string; text: string }[], cppOpt?: VerilatorBuildInput['cppOpt']): Promise<BuiltHarness> {
  await mkdir(join(dir, 'build'), { recursive: true });
  for (const f of rtl) await writeFile(join(dir, f.name), f.text);
  await writeFile(join(dir, 'hand_main.cpp'), handHarnessCpp(spec));
  const input: VerilatorBuildInput = {
    sources: rtl.map((f) => `../${f.name}`), top: spec.top, style: 'cpp-main', mainCpp: '../hand_main.cpp', cwd: join(dir, 'build'),
    ...(cppOpt === undefined ? {} : { cppOpt }),
  };
  const build = verilatorBuild(input);
  await buildCached({
    versionProbe: { ...build, args: ['--version'] }, steps: [build],
    inputs: [...rtl.map((f) => join(dir, f.name)), join(dir, 'hand_main.cpp')],
    artifact: join(dir, 'build', verilatorExecutable()), cacheDir, logDir: join(dir, 'logs'),
    timeoutMs: 1_800_000,
  });
  const base = verilatorRun({ executable: `build/${verilatorExecutable()}`, plusargs: [], cwd: dir });
  return { dir, run: (stimulus, expected) => ({ ...base, args: [stimulus, expected] }) };
}
