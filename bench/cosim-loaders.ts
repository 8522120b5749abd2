/**
 * Measures the Verilator vector-loading approaches of the generated testbench on a
 * registered 16-lane int8 dot product (latency 1), 10^6 vectors by default:
 *   npx tsx bench/cosim-loaders.ts [vectors] [--icarus] [--only=NAME-SUBSTRING]
 * (the DPI variant always runs: the hand-harness baseline reuses its vector files).
 * Each variant runs the same generated Verilog checker; only the loader/clocking differs.
 * Prints one JSON line per variant (times in seconds). Results are recorded in
 * docs of generators/testbench/generate.ts (VectorLoader) and in the commit message.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VectorLoader } from '../generators/testbench/generate.ts';
import type { TestbenchModel } from '../generators/testbench/model.ts';
import type { Invocation } from '../sim/backends/invocation.ts';
import { runTestbench, type SimulatorName } from '../sim/cosim-run.ts';
import { verilatorBuild, verilatorExecutable, verilatorRun } from '../sim/backends/verilator.ts';
import { runInvocation } from '../sim/runner.ts';
import { buildCached } from '../sim/build-cache.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import type { VectorRow } from '../sim/vectors.ts';

const LANES = 16;

function dotRtl(): string {
  const ports = Array.from({ length: LANES }, (_, i) => `  input wire signed [7:0] a${i},\n  input wire signed [7:0] b${i},`).join('\n');
  const sum = Array.from({ length: LANES }, (_, i) => `a${i} * b${i}`).join(' + ');
  return `module dot16 (\n  input wire clk,\n${ports}\n  output reg signed [19:0] y\n);\n  always @(posedge clk) y <= ${sum};\nendmodule\n`;
}

function dotModel(vectorCount: number): TestbenchModel {
  const inputs = Array.from({ length: LANES }, (_, i) => [
    { name: `a${i}`, width: 8, signed: true },
    { name: `b${i}`, width: 8, signed: true },
  ]).flat();
  return { top: 'dot16', clock: 'clk', inputs, outputs: [{ name: 'y', width: 20, signed: true }], latency: 1, vectorCount };
}

/** Golden vectors in Numbers; BigInts come from a shared table to keep 3·10^7 values in memory. */
function dotVectors(count: number): { stimulus: VectorRow[]; expected: VectorRow[] } {
  const table = Array.from({ length: 256 }, (_, i) => BigInt(i - 128));
  let s = 12345;
  const stimulus: VectorRow[] = [];
  const expected: VectorRow[] = [];
  for (let v = 0; v < count; v++) {
    const row: bigint[] = [];
    let y = 0;
    for (let i = 0; i < LANES; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const a = (s >>> 8) & 255;
      const b = (s >>> 16) & 255;
      row.push(table[a] ?? 0n, table[b] ?? 0n);
      y += (a - 128) * (b - 128);
    }
    stimulus.push(row);
    expected.push([BigInt(y)]);
  }
  return { stimulus, expected };
}

interface Variant {
  readonly name: string;
  readonly simulator: SimulatorName;
  readonly loader: VectorLoader;
  readonly style?: 'cpp-main' | 'binary';
}

const VARIANTS: readonly Variant[] = [
  { name: '(a) --binary --timing, $readmemh', simulator: 'verilator', loader: 'readmemh', style: 'binary' },
  { name: '(a2) C++ main clock, $readmemh', simulator: 'verilator', loader: 'readmemh', style: 'cpp-main' },
  { name: '(b) C++ main clock, $fread binary', simulator: 'verilator', loader: 'fread', style: 'cpp-main' },
  { name: '(c) C++ main loads binary, DPI rows', simulator: 'verilator', loader: 'dpi' },
];

/**
 * Re-runs the simulation under /usr/bin/time: on these shared 2-core machines wall time
 * drifts with other users' load, so CPU time (user + sys) is reported too; best of n.
 */
async function bestOf(n: number, sim: Invocation): Promise<{ wall: number; cpu: number }> {
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < n; i++) {
    const timed: Invocation = { ...sim, tool: 'time', command: '/usr/bin/time', args: ['-f', 'NPUGEN_TIME %e %U %S', sim.command, ...sim.args] };
    const { output } = await runInvocation(timed, { timeoutMs: 3_600_000 });
    const m = /NPUGEN_TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(output);
    if (m === null) throw new Error(`no timing in: ${output}`);
    wall = Math.min(wall, Number(m[1]));
    cpu = Math.min(cpu, Number(m[2]) + Number(m[3]));
  }
  return { wall, cpu: Math.round(cpu * 100) / 100 };
}

/**
 * Baseline: a hand-written C++ harness (no Verilog testbench) that maps the same binary
 * files, drives dot16's ports and compares y itself — what the toolchain facts call the
 * hand harness (0.38 s per 10^6 there).
 */
function handHarness(): string {
  const drive = Array.from({ length: LANES }, (_, i) => `    m.a${i} = r[${2 * i}]; m.b${i} = r[${2 * i + 1}];`).join('\n');
  return `#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "Vdot16.h"
#include "verilated.h"
static const unsigned char* map(const char* p, uint32_t* count) {
  int fd = open(p, O_RDONLY); struct stat st; fstat(fd, &st);
  auto* b = static_cast<const unsigned char*>(mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0));
  std::memcpy(count, b + 12, 4); return b + 16;
}
int main(int argc, char** argv) {
  uint32_t n, ne;
  const unsigned char* s = map(argv[1], &n);
  const unsigned char* e = map(argv[2], &ne);
  Vdot16 m; long bad = 0;
  m.clk = 0; m.eval();
  for (uint32_t v = 0; v < n; v++) {
    const unsigned char* r = s + 32 * v;
${drive}
    m.clk = 1; m.eval(); m.clk = 0; m.eval();
    const unsigned char* x = e + 3 * v;
    int32_t want = (int32_t)(((uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16) << 12) >> 12;
    int32_t got = (int32_t)(m.y << 12) >> 12;
    if (got != want) bad++;
  }
  std::printf("bad=%ld of %u\\n", bad, n);
  return bad != 0;
}
`;
}

async function handBaseline(dir: string, cacheDir: string, vectorsDir: string): Promise<{ wall: number; cpu: number }> {
  await mkdir(join(dir, 'build'), { recursive: true });
  await writeFile(join(dir, 'dot16.v'), dotRtl());
  await writeFile(join(dir, 'hand_main.cpp'), handHarness());
  const input = { sources: ['../dot16.v'], top: 'dot16', style: 'cpp-main', mainCpp: '../hand_main.cpp', cwd: join(dir, 'build'), cppOpt: '-O2' } as const;
  const build = verilatorBuild(input);
  await buildCached({
    versionProbe: { ...build, args: ['--version'] }, steps: [build], inputs: [join(dir, 'dot16.v'), join(dir, 'hand_main.cpp')],
    artifact: join(dir, 'build', verilatorExecutable()), cacheDir, logDir: join(dir, 'logs'),
  });
  const run = verilatorRun({ executable: `build/${verilatorExecutable()}`, plusargs: [], cwd: dir });
  return bestOf(3, { ...run, args: [join(vectorsDir, 'stimulus.bin'), join(vectorsDir, 'expected.bin')] });
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1_000_000);
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const variants = (process.argv.includes('--icarus')
    ? [...VARIANTS, { name: 'icarus $readmemh', simulator: 'icarus', loader: 'readmemh' } as const]
    : VARIANTS
  ).filter((v) => only === undefined || v.name.includes(only) || v.loader === 'dpi');
  const base = await mkdtemp(join(tmpdir(), 'npugen-bench-'));
  let started = performance.now();
  const vectors = dotVectors(count);
  const goldenS = (performance.now() - started) / 1000;
  for (const [i, v] of variants.entries()) {
    started = performance.now();
    const r = await runTestbench({
      model: dotModel(count),
      sources: [{ name: 'dot16.v', text: dotRtl() }],
      ...vectors,
      simulator: v.simulator,
      loader: v.loader,
      ...(v.style === undefined ? {} : { verilatorStyle: v.style }),
      verilatorCppOpt: '-O2',
      runDir: join(base, `v${i}`),
      cacheDir: join(base, 'cache'),
      simulateTimeoutMs: 3_600_000,
    });
    const s = (ms: number): number => Math.round(ms) / 1000;
    const best = await bestOf(3, r.invocations.simulate);
    process.stdout.write(`${JSON.stringify({
      variant: v.name, vectors: count, passed: r.passed, checked: r.counts.checked, goldenS,
      writeVectorsS: s(r.timings.writeVectorsMs), compileS: s(r.timings.compileMs), simulateS: s(r.timings.simulateMs),
      bestOf3WallS: best.wall, bestOf3CpuS: best.cpu,
      totalS: s(performance.now() - started),
    })}\n`);
  }
  const dpiRun = variants.findIndex((v) => v.loader === 'dpi');
  const hand = await handBaseline(join(base, 'hand'), join(base, 'cache'), join(base, `v${dpiRun}`, 'vectors'));
  process.stdout.write(`${JSON.stringify({ variant: 'hand C++ harness (baseline)', vectors: count, bestOf3WallS: hand.wall, bestOf3CpuS: hand.cpu })}\n`);
}

await main();
