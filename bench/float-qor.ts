/**
 * Issue #6 QoR of the float generators: yosys `synth_ice40` (no DSP) LUT4 / SB_CARRY / FF counts
 * and nextpnr-ice40 Fmax of the fp8 and bf16 multipliers and of the fp8 / fp16 / bf16 MACs into
 * fp32 (fused, and one unfused), each netlist simulated against the golden model first; and the
 * pipelined variants (`_p<N>` = pipeline_stages: N) of fp_mul, fp_dot and fp_mac against them.
 *
 *   npx tsx bench/float-qor.ts [--only NAME,NAME] [--devices hx8k,up5k] [--gate-vectors 300]
 *     [--gate-sim verilator|icarus] [--seed 1] [--no-pnr] [--json bench/results/float-qor.json]
 *     [--timeout-min 10] (per yosys / nextpnr step; raise it on a loaded machine)
 *     [--seeds 1] (nextpnr placement seeds: a list `1,2,3` or a range `1-5`; each device's netlist
 *     is synthesized once and placed with every seed; the summary gives the mean and median Fmax)
 *     [--rtl-dir DIR] (place other RTL of the same cases: DIR/<case>/*.v except *_tb.v, e.g.
 *     `npugen gen` output of an older commit, for a before/after comparison in one run)
 *     [--work DIR] (run directories; default $TMPDIR/npugen-float-qor)
 *     [--reorder rev|shuf<N>] (the same RTL with its continuous assignments reversed or shuffled,
 *     bench/lib/reorder-verilog.ts: identical logic in another order, to see how much of a QoR
 *     difference is only the order ABC maps the logic in)
 *
 * The same machinery as `npugen synth`: sim/synth.ts `synthesize` (area of the design alone) and
 * `placeAndRoute` (the design inside the serial-IO harness of generators/fpga/pnr-harness.ts, so
 * its wide ports fit the package and every path runs register to register; nextpnr-ice40
 * --freq 100, one seed). A device where nextpnr fails (does not fit) is recorded with its error.
 * Gate-level check: the ice40 netlist plus yosys's cell models on Verilator (Icarus needed over
 * 10 minutes for 4,281 vectors of the bf16 MAC netlist) with the model's corner vectors and
 * --gate-vectors random ones; -1 skips it (the toolchain has miscompiled before; see
 * ../shared/docs/toolchain-facts.md). Resource counts depend on the yosys version only; Fmax also
 * on the nextpnr version and seed; the wall times and the load average are printed as context.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitVerilog } from '../generators/verilog/emit.ts';
import { topPorts } from '../generators/fpga/ports.ts';
import type { Ice40Device } from '../sim/backends/nextpnr.ts';
import type { SimulatorName } from '../sim/cosim-run.ts';
import { verifyDesign } from '../sim/cosim/verify.ts';
import { placeAndRouteSeeds, synthesize, type PnrResult, type Resources } from '../sim/synth.ts';
import { buildCase, selectCases, type BuiltCase, type RegistryCase } from './lib/registry-case.ts';
import { sourceState } from './lib/source-state.ts';
import { isReorderMode, reorderVerilog, type ReorderMode } from './lib/reorder-verilog.ts';
import { argValue, fmt, hasFlag, loadLine, machineLoad, parseSeeds, rtlFrom, table } from './lib/util.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

const CASES: readonly RegistryCase[] = [
  { name: 'fp_mul_e4m3', generator: 'fp_mul', params: '{ a: fp8_e4m3, b: fp8_e4m3, out: fp8_e4m3, subnormals: ieee }' },
  { name: 'fp_mul_e4m3_flush', generator: 'fp_mul', params: '{ a: fp8_e4m3, b: fp8_e4m3, out: fp8_e4m3, subnormals: flush }' },
  { name: 'fp_mul_e5m2', generator: 'fp_mul', params: '{ a: fp8_e5m2, b: fp8_e5m2, out: fp8_e5m2, subnormals: ieee }' },
  { name: 'fp_mul_bf16', generator: 'fp_mul', params: '{ a: bf16, b: bf16, out: bf16, subnormals: ieee }' },
  { name: 'fp_mac_e4m3_fp32', generator: 'fp_mac', params: '{ a: fp8_e4m3, b: fp8_e4m3, accumulator: fp32, fused: true, subnormals: ieee }' },
  { name: 'fp_mac_bf16_fp32', generator: 'fp_mac', params: '{ a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: ieee }' },
  { name: 'fp_mac_fp16_fp32', generator: 'fp_mac', params: '{ a: fp16, b: fp16, accumulator: fp32, fused: true, subnormals: ieee }' },
  { name: 'fp_mac_bf16_fp32_unfused', generator: 'fp_mac', params: '{ a: bf16, b: bf16, accumulator: fp32, fused: false, subnormals: ieee }' },
  // Pipelined variants (pipeline_stages: the register placement is in each generator's doc).
  { name: 'fp_mul_e4m3_p1', generator: 'fp_mul', params: '{ a: fp8_e4m3, b: fp8_e4m3, out: fp8_e4m3, subnormals: ieee, pipeline_stages: 1 }' },
  { name: 'fp_mul_e4m3_p2', generator: 'fp_mul', params: '{ a: fp8_e4m3, b: fp8_e4m3, out: fp8_e4m3, subnormals: ieee, pipeline_stages: 2 }' },
  { name: 'fp_mul_bf16_p1', generator: 'fp_mul', params: '{ a: bf16, b: bf16, out: bf16, subnormals: ieee, pipeline_stages: 1 }' },
  { name: 'fp_mul_bf16_p2', generator: 'fp_mul', params: '{ a: bf16, b: bf16, out: bf16, subnormals: ieee, pipeline_stages: 2 }' },
  { name: 'fp_dot_e4m3x8_fp32', generator: 'fp_dot', params: '{ lanes: 8, a: fp8_e4m3, b: fp8_e4m3, accumulator: fp32, subnormals: ieee }' },
  { name: 'fp_dot_e4m3x8_fp32_p2', generator: 'fp_dot', params: '{ lanes: 8, a: fp8_e4m3, b: fp8_e4m3, accumulator: fp32, subnormals: ieee, pipeline_stages: 2 }' },
  // 8 lanes into fp32 (~8,600 LUT4) do not fit the hx8k; 4 lanes do.
  { name: 'fp_dot_e4m3x4_fp32', generator: 'fp_dot', params: '{ lanes: 4, a: fp8_e4m3, b: fp8_e4m3, accumulator: fp32, subnormals: ieee }' },
  { name: 'fp_dot_e4m3x4_fp32_p1', generator: 'fp_dot', params: '{ lanes: 4, a: fp8_e4m3, b: fp8_e4m3, accumulator: fp32, subnormals: ieee, pipeline_stages: 1 }' },
  { name: 'fp_dot_e4m3x4_fp32_p2', generator: 'fp_dot', params: '{ lanes: 4, a: fp8_e4m3, b: fp8_e4m3, accumulator: fp32, subnormals: ieee, pipeline_stages: 2 }' },
  { name: 'fp_mac_bf16_fp32_p1', generator: 'fp_mac', params: '{ a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: ieee, pipeline_stages: 1 }' },
  // Issue #14: group_dot in both datapaths, one lane, fp16 activations, groups of 32 (docs/llm-formats.md).
  { name: 'group_dot_awq_fp16', generator: 'group_dot', params: '{ datapath: dequant_fp, activation: fp16, group_size: 32, lanes: 1 }' },
  { name: 'group_dot_ggml_fp16', generator: 'group_dot', params: '{ datapath: int_then_scale, activation: fp16, group_size: 32, lanes: 1 }' },
];

interface GateCheck {
  readonly simulator: SimulatorName;
  readonly vectors: number;
  readonly passed: boolean;
  readonly mismatches: number;
  readonly xz: number;
  readonly seconds: number;
  /** The check could not run (timeout, tool error): area and Fmax are unverified. */
  readonly error?: string;
}

interface Pnr {
  readonly device: Ice40Device;
  readonly seed: number;
  readonly fmaxMHz?: number;
  /** LUT / FF use of the placed harness + design (nextpnr's ICESTORM_LC etc.). */
  readonly utilization?: Readonly<Record<string, { used: number; available: number }>>;
  readonly error?: string;
  readonly seconds: number;
}

interface Result {
  readonly name: string;
  readonly generator: string;
  /** The case's params as written (YAML flow mapping); parsed formats hold bigints JSON cannot write. */
  readonly params: string;
  readonly resources: Resources;
  readonly cells: Readonly<Record<string, number>>;
  readonly synthSeconds: number;
  readonly gate?: GateCheck;
  readonly pnr: readonly Pnr[];
  readonly load: ReturnType<typeof machineLoad>;
}

interface Options {
  readonly devices: readonly Ice40Device[];
  readonly gateVectors: number;
  readonly gateSim: SimulatorName;
  readonly seed: number;
  readonly seeds: readonly number[];
  readonly rtlDir: string | undefined;
  readonly reorder: ReorderMode | undefined;
  readonly pnr: boolean;
  readonly base: string;
  readonly timeoutMs: number;
}

/** Simulates the gate-level netlist (+ cell models) against the golden model; a tool failure is a result. */
async function gateCheck(built: BuiltCase, netlistFiles: readonly string[], o: Options, runDir: string): Promise<GateCheck> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  try {
    const r = await verifyDesign(built.design, {
      model: built.model, simulators: [o.gateSim], vectors: o.gateVectors, seed: o.seed, corners: true,
      rtlFiles: netlistFiles, maxMismatchRecords: 3, runDirFor: () => runDir, toolTimeoutMs: o.timeoutMs,
    });
    const out = r.outcomes[0]!;
    return { simulator: o.gateSim, vectors: out.counts.checked, passed: r.passed, mismatches: out.counts.mismatches, xz: out.counts.xz, seconds: seconds() };
  } catch (e) {
    return { simulator: o.gateSim, vectors: 0, passed: false, mismatches: 0, xz: 0, seconds: seconds(), error: (e as Error).message.split('\n')[0]! };
  }
}

function pnrOf(r: PnrResult, device: Ice40Device, seed: number, seconds: number): Pnr {
  if (r.status === 'ok') return { device, seed, ...(r.fmaxMHz !== undefined ? { fmaxMHz: r.fmaxMHz } : { error: 'no clock in the report' }), utilization: r.utilization, seconds };
  return { device, seed, error: r.message, seconds };
}

function reorderOption(text: string): ReorderMode | undefined {
  if (text === '') return undefined;
  if (!isReorderMode(text)) throw new Error(`--reorder ${text}: expected rev or shuf<N> (e.g. shuf1)`);
  return text;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

async function runCase(c: RegistryCase, o: Options): Promise<Result> {
  const built = buildCase(c);
  const top = built.design.top;
  const rtl = o.rtlDir !== undefined ? await rtlFrom(o.rtlDir, c.name) : emitVerilog(built.design).map((f) => ({ fileName: f.fileName, text: f.text }));
  const files = o.reorder === undefined ? rtl : rtl.map((f) => ({ fileName: f.fileName, text: reorderVerilog(f.text, o.reorder!) }));
  const dir = join(o.base, c.name);
  const s = await synthesize({ files, top, target: 'ice40', dsp: false, runDir: join(dir, 'synth'), timeoutMs: o.timeoutMs });
  console.log(`${c.name}: ${s.resources.lut} LUT4, ${s.resources.carry} SB_CARRY, ${s.resources.ff} FF (synth ${fmt(s.durationMs / 1000, 1)} s) [${loadLine()}]`);
  // The gate-level netlist of --rtl-dir RTL is checked against this checkout's model too.
  const gate = o.gateVectors >= 0 ? await gateCheck(built, [s.netlist, ...s.cellModels], o, join(dir, 'gate')) : undefined;
  if (gate) console.log(`  gate-level on ${gate.simulator}: ${gate.error ?? `${gate.vectors} vectors, ${gate.passed ? 'PASS' : `FAIL (${gate.mismatches} mismatches, ${gate.xz} X/Z)`}`} (${fmt(gate.seconds, 0)} s)`);
  const pnr: Pnr[] = [];
  for (const device of o.pnr ? o.devices : []) {
    const started = performance.now();
    const rs = await placeAndRouteSeeds({ files, top, ports: topPorts(built.design), device, dsp: false, runDir: join(dir, `pnr-${device}`), timeoutMs: o.timeoutMs }, o.seeds);
    // The wall time of synthesis and every seed, shared out evenly.
    const seconds = (performance.now() - started) / 1000 / rs.length;
    for (const [i, r] of rs.entries()) {
      const p = pnrOf(r, device, o.seeds[i]!, seconds);
      pnr.push(p);
      console.log(`  ${device} seed ${p.seed}: ${p.fmaxMHz !== undefined ? `${fmt(p.fmaxMHz, 1)} MHz` : `no Fmax: ${p.error}`} [${loadLine()}]`);
    }
  }
  return {
    name: c.name, generator: c.generator, params: c.params, resources: s.resources, cells: s.cellsByType,
    synthSeconds: s.durationMs / 1000, ...(gate ? { gate } : {}), pnr, load: machineLoad(),
  };
}

function summary(results: readonly Result[], devices: readonly Ice40Device[], seedCount: number): string {
  const mhz = (r: Result, d: Ice40Device): string => {
    const ps = r.pnr.filter((x) => x.device === d);
    if (ps.length === 0) return '-';
    const f = ps.flatMap((p) => (p.fmaxMHz !== undefined ? [p.fmaxMHz] : []));
    if (f.length < ps.length) return 'does not fit / failed';
    if (f.length === 1) return fmt(f[0]!, 1);
    return `${fmt(mean(f), 2)} / ${fmt(median(f), 2)} (${fmt(Math.min(...f), 1)}-${fmt(Math.max(...f), 1)})`;
  };
  return table(
    ['design', 'LUT4', 'SB_CARRY', 'FF', ...devices.map((d) => `Fmax ${d} MHz${seedCount > 1 ? ` (mean / median (min-max) of ${seedCount} seeds)` : ''}`), 'gate-level vs golden'],
    results.map((r) => [r.name, String(r.resources.lut), String(r.resources.carry), String(r.resources.ff), ...devices.map((d) => mhz(r, d)),
      r.gate === undefined ? 'not run' : r.gate.error !== undefined ? 'not checked (error)' : `${r.gate.passed ? 'PASS' : `FAIL ${r.gate.mismatches}`} (${r.gate.vectors}, ${r.gate.simulator})`]),
  );
}

async function main(): Promise<void> {
  const o: Options = {
    devices: argValue('devices', 'hx8k,up5k').split(',') as Ice40Device[],
    gateVectors: Number(argValue('gate-vectors', '300')),
    gateSim: argValue('gate-sim', 'verilator') as SimulatorName,
    seed: Number(argValue('seed', '1')),
    seeds: parseSeeds(argValue('seeds', '1')),
    rtlDir: argValue('rtl-dir', '') || undefined,
    reorder: reorderOption(argValue('reorder', '')),
    pnr: !hasFlag('no-pnr'),
    base: argValue('work', join(tmpdir(), 'npugen-float-qor')),
    timeoutMs: Number(argValue('timeout-min', '10')) * 60_000,
  };
  const out = argValue('json', join(HERE, 'results', 'float-qor.json'));
  const source = sourceState();
  const loadBefore = machineLoad();
  console.log(`${o.rtlDir !== undefined ? `RTL from ${o.rtlDir} (models from ${source.commit.slice(0, 10)})` : `RTL from ${source.commit.slice(0, 10)}${source.dirty.length > 0 ? ` + uncommitted: ${source.dirty.join(', ')}` : ''}`}${o.reorder !== undefined ? `, reordered (${o.reorder})` : ''}`);
  console.log(`float QoR: yosys synth_ice40 (no DSP), nextpnr-ice40 ${o.pnr ? o.devices.join(', ') : 'skipped'}; ${loadLine()}`);
  const results: Result[] = [];
  for (const c of selectCases(CASES, argValue('only', ''))) results.push(await runCase(c, o));
  const loadAfter = machineLoad();
  console.log(`\n${summary(results, o.pnr ? o.devices : [], o.seeds.length)}\nload before: ${loadBefore.loadavg.join(' / ')}; after: ${loadAfter.loadavg.join(' / ')} (1/5/15 min, ${loadAfter.cores} cores)`);
  await mkdir(dirname(out), { recursive: true });
  const tools = { yosys: '0.23 synth_ice40 (no -dsp)', nextpnr: 'nextpnr-ice40 0.4, hx8k ct256 / up5k sg48, --freq 100, serial-IO harness' };
  await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), argv: process.argv.slice(2), source, tools, seed: o.seed, seeds: o.seeds, ...(o.rtlDir !== undefined ? { rtlDir: o.rtlDir } : {}), ...(o.reorder !== undefined ? { reorder: o.reorder } : {}), loadBefore, loadAfter, results }, null, 2)}\n`);
  console.log(`written ${out}`);
  if (results.some((r) => r.gate !== undefined && !r.gate.passed && r.gate.error === undefined)) process.exitCode = 1;
}

await main();
