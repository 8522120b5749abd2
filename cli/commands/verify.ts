/** `npugen verify <design>`: co-simulates the design's RTL against the reference. */
import { parseArgs } from 'node:util';
import { formatLoc } from '../../dsl/diagnostics/loc.ts';
import type { SimulatorName } from '../../sim/cosim-run.ts';
import { runInvocation, ToolNotFoundError } from '../../sim/runner.ts';
import { icarusVersion } from '../../sim/backends/icarus.ts';
import { verilatorVersion } from '../../sim/backends/verilator.ts';
import { verifyDesign, type VerifyResult } from '../../sim/cosim/verify.ts';
import { builtinResponses, randomStimulus, testbenchModelOf } from '../../sim/cosim/ir-testbench.ts';
import { loadDesign } from '../design-file.ts';
import { EXIT, UsageError, type CliIo } from '../io.ts';
import { tmpdir } from 'node:os';

const SIMS = ['builtin', 'icarus', 'verilator', 'all'] as const;

export async function runVerify(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      sim: { type: 'string', default: 'all' },
      vectors: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      'max-mismatches': { type: 'string', default: '10' },
      rtl: { type: 'string', multiple: true },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('verify takes one design file: npugen verify <design> [--sim builtin|icarus|verilator|all]');
  const sim = values.sim!;
  if (!(SIMS as readonly string[]).includes(sim)) throw new UsageError(`--sim must be one of ${SIMS.join(', ')}, got '${sim}'`);
  const vectors = positiveInt(values.vectors!, '--vectors');
  const seed = positiveInt(values.seed!, '--seed', 0);
  const maxRecords = positiveInt(values['max-mismatches']!, '--max-mismatches', 0);
  const { design } = await loadDesign(file);

  const wanted: SimulatorName[] = sim === 'all' ? await availableSimulators(io) : sim === 'builtin' ? [] : [sim as SimulatorName];
  if (sim === 'builtin' || wanted.length === 0) {
    if (sim !== 'builtin') io.err('npugen: no external simulator found (apt-get install iverilog verilator); running the built-in simulator only');
    const model = testbenchModelOf(design, vectors);
    builtinResponses(design, model, randomStimulus(model, vectors, seed));
    io.out(`builtin: ${design.top} simulated ${vectors} cycles (seed ${seed}); no RTL simulator compared`);
    return EXIT.ok;
  }
  const result = await verifyDesign(design, { simulators: wanted, vectors, seed, maxMismatchRecords: maxRecords, ...(values.rtl ? { rtlFiles: values.rtl } : {}) });
  report(result, seed, io);
  return result.passed ? EXIT.ok : EXIT.mismatch;
}

function positiveInt(text: string, flag: string, min = 1): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}, got '${text}'`);
  return n;
}

/** The external simulators that answer a version probe; notes the missing ones. */
async function availableSimulators(io: CliIo): Promise<SimulatorName[]> {
  const out: SimulatorName[] = [];
  const probes: [SimulatorName, ReturnType<typeof icarusVersion>][] = [['icarus', icarusVersion({}, tmpdir())], ['verilator', verilatorVersion({}, tmpdir())]];
  for (const [name, inv] of probes) {
    try {
      await runInvocation(inv, { timeoutMs: 30_000 });
      out.push(name);
    } catch (e) {
      if (!(e instanceof ToolNotFoundError)) throw e;
      io.err(`npugen: ${e.message}; skipping ${name}`);
    }
  }
  return out;
}

function report(r: VerifyResult, seed: number, io: CliIo): void {
  for (const { simulator, result } of r.outcomes) {
    const c = result.counts;
    const status = result.passed ? 'PASS' : 'FAIL';
    io.out(`${simulator}: ${status} ${c.checked}/${c.vectors} vectors checked, ${c.mismatches} mismatches (${c.failingVectors} failing vectors, ${c.xz} with X/Z); seed ${seed}; run dir ${result.runDir}${result.build.cached ? ' (compile cached)' : ''}`);
    for (const m of result.mismatches) {
      const port = r.model.outputs.find((p) => p.name === m.port);
      const got = m.got === null ? 'X/Z' : `${m.got} (${hex(m.got, port?.width ?? 1)})`;
      const loc = r.driverLocs.get(m.port);
      io.out(`  vector ${m.vectorIndex} cycle ${m.cycle} port ${m.port}: expected ${m.expected} (${hex(m.expected, port?.width ?? 1)}), got ${got}${loc ? `; driven at ${formatLoc(loc)}` : ''}`);
    }
  }
}

function hex(v: bigint, width: number): string {
  const bits = v & ((1n << BigInt(width)) - 1n);
  return `${width}'h${bits.toString(16)}`;
}
