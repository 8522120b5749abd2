/**
 * Issue #12 item 4: cycles per second of the built-in simulator's engines, in one run on the same
 * random stimulus, on the bf16 fp_mac (examples/fp_mac_bf16.yaml) and a 4x4 int8 systolic array:
 * - `interpreter (IR)`: the old built-in simulator (bigint closures over the unlowered IR);
 * - `interpreter (lowered)`: the same interpreter on the pass pipeline's output;
 * - `compiled`: the default engine (the pipeline's output compiled to JavaScript), through the
 *   same `step(record of bigint)` API, and through `stepNumbers` (typed arrays, no bigint) when
 *   every port is 32 bits or narrower.
 * Every engine's outputs are compared with the old interpreter's on every cycle it ran. Rates are
 * given per wall second and per process CPU second; the ratio to the old interpreter uses CPU time,
 * which other jobs on a shared machine disturb far less. Target: compiled >= 20x the old interpreter.
 *
 *   npx tsx bench/sim-speed.ts [--cpu-seconds 1] [--json bench/results/sim-speed.json]
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadYamlDesign } from '../cli/design-file.ts';
import type { Design } from '../dsl/ir/nodes.ts';
import { randomStimulus, testbenchModelOf } from '../sim/cosim/ir-testbench.ts';
import { Interpreter, Simulator, interpretedEngine, type SimEngine } from '../sim/eval/simulator.ts';
import { sourceState } from './lib/source-state.ts';
import { argValue, fmt, machineLoad, si, table } from './lib/util.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

const CASES = [
  { name: 'fp_mac_bf16', yaml: 'generator: fp_mac\nname: fp_mac_bf16\nparams: { a: bf16, b: bf16, accumulator: fp32, fused: false, subnormals: flush }\n' },
  { name: 'systolic_os_4x4_i8', yaml: 'generator: systolic_array\nname: systolic_os_4x4_i8\nparams: { rows: 4, cols: 4, dataflow: output_stationary, a: int8, b: int8, accumulator: int32 }\n' },
] as const;

interface EngineRow {
  readonly engine: string;
  readonly cycles: number;
  readonly seconds: number;
  /** Process CPU time: the robust measure on a shared, loaded machine. */
  readonly cpuSeconds: number;
  readonly cyclesPerSecond: number;
  readonly cyclesPerCpuSecond: number;
  /** Ratio to the old interpreter, by CPU time. */
  readonly speedup: number;
  readonly agrees: boolean;
}

interface Timed {
  readonly cycles: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly outputs: Record<string, bigint>[];
}

const cpuNow = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

type Rows = readonly Record<string, bigint>[];

/** Runs `make()` over the stimulus (cyclically) for about `budget` CPU seconds; returns cycles, times and outputs of the first pass. */
function timeEngine(make: () => SimEngine, rows: Rows, budget: number): Timed {
  const sim = make();
  sim.reset(2);
  const outputs: Record<string, bigint>[] = [];
  const t0 = performance.now();
  const c0 = cpuNow();
  let cycles = 0;
  while (cycles < rows.length || (cycles % 64 !== 0 || cpuNow() - c0 < budget)) {
    const out = sim.step(rows[cycles % rows.length]!);
    if (cycles < rows.length) outputs.push(out);
    cycles++;
  }
  return { cycles, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuNow() - c0, outputs };
}

function timeNumbers(design: Design, rows: Rows, budget: number): Timed | undefined {
  const sim = new Simulator(design);
  const ins = [...sim.netlist.inputs.keys()];
  const outs = [...sim.netlist.outputs.keys()];
  if ([...sim.netlist.inputs.values(), ...sim.netlist.outputs.values()].some((p) => p.type.width > 32)) return undefined;
  const codes = rows.map((r) => Float64Array.from(ins, (n) => Number(r[n]!)));
  const o = new Float64Array(outs.length);
  sim.reset(2);
  const outputs: Record<string, bigint>[] = [];
  const t0 = performance.now();
  const c0 = cpuNow();
  let cycles = 0;
  while (cycles < rows.length || (cycles % 64 !== 0 || cpuNow() - c0 < budget)) {
    sim.stepNumbers(codes[cycles % rows.length]!, o);
    if (cycles < rows.length) outputs.push(Object.fromEntries(outs.map((n, i) => [n, BigInt(o[i]!)])));
    cycles++;
  }
  return { cycles, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuNow() - c0, outputs };
}

async function main(): Promise<void> {
  const budget = Number(argValue('cpu-seconds', '1'));
  const out = argValue('json', join(HERE, 'results', 'sim-speed.json'));
  const loadBefore = machineLoad();
  const results: { design: string; engines: EngineRow[] }[] = [];
  for (const c of CASES) {
    const design = loadYamlDesign(`${c.name}.yaml`, c.yaml).design;
    const model = testbenchModelOf(design, 0);
    // Enough rows that every engine's first pass is compared; enables and clears random too.
    const rows: Rows = randomStimulus(model, 400, 12).map((r) => Object.fromEntries(model.inputs.map((p, i) => [p.name, r[i]!])));
    const old = timeEngine(() => new Interpreter(design), rows, budget);
    const base = old.cycles / old.cpuSeconds;
    const engines: EngineRow[] = [];
    const add = (engine: string, r: Timed): void => {
      const agrees = r.outputs.every((o, i) => JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)) === JSON.stringify(old.outputs[i], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)));
      engines.push({ engine, cycles: r.cycles, seconds: r.seconds, cpuSeconds: r.cpuSeconds, cyclesPerSecond: r.cycles / r.seconds, cyclesPerCpuSecond: r.cycles / r.cpuSeconds, speedup: r.cycles / r.cpuSeconds / base, agrees });
    };
    add('interpreter (IR, old default)', old);
    add('interpreter (lowered)', timeEngine(() => interpretedEngine(design), rows, budget));
    add('compiled (step)', timeEngine(() => new Simulator(design), rows, budget));
    const nums = timeNumbers(design, rows, budget);
    if (nums) add('compiled (stepNumbers)', nums);
    results.push({ design: c.name, engines });
    process.stdout.write(`\n${c.name}\n${table(['engine', 'cycles', 'wall s', 'cpu s', 'cycles/s wall', 'cycles/cpu-s', 'x old (cpu)', 'agrees'], engines.map((e) => [e.engine, si(e.cycles), fmt(e.seconds), fmt(e.cpuSeconds), si(e.cyclesPerSecond), si(e.cyclesPerCpuSecond), fmt(e.speedup, 1), e.agrees ? 'yes' : 'NO']))}\n`);
    if (engines.some((e) => !e.agrees)) process.exitCode = 1;
  }
  const record = { date: new Date().toISOString(), source: sourceState(['dsl', 'generators', 'sim/eval']), node: process.version, cpuSecondsPerEngine: budget, loadBefore, loadAfter: machineLoad(), results };
  await writeFile(out, `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
}

await main();
