/**
 * `npugen synth <design> [--target generic|ice40] [--dsp] [--device up5k|hx8k] [--json]
 *  [--verify [--sim icarus|verilator|all] [--vectors N]] [--no-pnr] [--allow-large] [--progress] [--keep-run]`
 *
 * Synthesizes the generated RTL with yosys and prints LUT/FF/DSP/BRAM per configuration:
 * no --target: generic, ice40 and ice40 -dsp; `--target ice40` (with `--dsp`: only -dsp).
 * iCE40 configurations are placed and routed with nextpnr-ice40 when it is installed (Fmax).
 * `--verify` simulates each gate-level netlist (yosys `write_verilog -noattr` plus the
 * target's cell models) against the golden model on Icarus/Verilator: a netlist that
 * mismatches is reported as a miscompile whose area and Fmax must not be trusted (exit 1).
 * Each configuration runs in its own temporary directory: removed after a clean result (and on
 * Ctrl-C) unless --keep-run; kept and named when nextpnr failed, the netlist mismatched or yosys
 * failed. The JSON's `netlist` and `runDir` are there only for a kept directory.
 * A PE array over the resource budget is refused before it is built (cli/array-budget.ts;
 * `--allow-large` to go past it); a long run prints its estimate and each phase.
 */
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { emitVerilog } from '../../generators/verilog/emit.ts';
import { topPorts } from '../../generators/fpga/ports.ts';
import type { SynthTarget } from '../../sim/backends/yosys.ts';
import type { Ice40Device } from '../../sim/backends/nextpnr.ts';
import { placeAndRoute, synthesize, type PnrResult, type Resources, type RtlFile } from '../../sim/synth.ts';
import { verifyDesign, type SimChoice, type VerifyResult } from '../../sim/cosim/verify.ts';
import { cleanUpOnSignals, keepRunDir, prepareRunDir, removeRunDir, runInvocation, ToolNotFoundError } from '../../sim/runner.ts';
import type { Design } from '../../dsl/ir/nodes.ts';
import type { TransactionModel } from '../../sim/models/types.ts';
import type { Progress } from '../progress.ts';
import { ArrayBudget } from '../array-budget.ts';
import { estimateArraySynth } from '../../sim/array-budget.ts';
import { icarusVersion } from '../../sim/backends/icarus.ts';
import { verilatorVersion } from '../../sim/backends/verilator.ts';
import { loadDesign } from '../design-file.ts';
import { EXIT, UsageError, type CliIo } from '../io.ts';
import { intFlag, seedFlag } from '../args.ts';

export interface SynthConfig {
  readonly target: SynthTarget;
  readonly dsp: boolean;
}

export interface VerifySummary {
  readonly passed: boolean;
  readonly vectors: number;
  readonly simulators: readonly { readonly simulator: SimChoice; readonly passed: boolean; readonly mismatches: number; readonly xz: number; readonly runDir?: string }[];
}

export interface SynthReportEntry {
  readonly target: SynthTarget;
  readonly dsp: boolean;
  readonly resources: Resources;
  readonly cells: Readonly<Record<string, number>>;
  /** The gate-level netlist and the configuration's run directory: only when the directory is kept (see runSynth). */
  readonly netlist?: string;
  readonly runDir?: string;
  readonly pnr?: PnrResult;
  readonly verify?: VerifySummary;
}

export const MISCOMPILE_MESSAGE = 'gate-level netlist mismatches the golden model: synthesis (or cell model) miscompile; do not trust area/Fmax from it';

const TARGETS = ['generic', 'ice40'] as const;
const DEVICES = ['up5k', 'hx8k'] as const;
const SIMS = ['icarus', 'verilator', 'all'] as const;

export function configsFor(target: string | undefined, dsp: boolean): SynthConfig[] {
  if (target === undefined) {
    if (dsp) return [{ target: 'ice40', dsp: true }];
    return [{ target: 'generic', dsp: false }, { target: 'ice40', dsp: false }, { target: 'ice40', dsp: true }];
  }
  if (!(TARGETS as readonly string[]).includes(target)) throw new UsageError(`--target must be one of ${TARGETS.join(', ')}, got '${target}'`);
  if (target === 'generic' && dsp) throw new UsageError('--dsp applies to --target ice40 only');
  return [{ target: target as SynthTarget, dsp }];
}

export async function runSynth(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      dsp: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
      device: { type: 'string', default: 'up5k' },
      sim: { type: 'string', default: 'all' },
      vectors: { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      'no-pnr': { type: 'boolean', default: false },
      'allow-large': { type: 'boolean', default: false },
      progress: { type: 'boolean', default: false },
      'keep-run': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('synth takes one design file: npugen synth <design> [--target generic|ice40] [--dsp] [--json] [--verify]');
  const device = values.device!;
  if (!(DEVICES as readonly string[]).includes(device)) throw new UsageError(`--device must be one of ${DEVICES.join(', ')}, got '${device}'`);
  const sim = values.sim!;
  if (!(SIMS as readonly string[]).includes(sim)) throw new UsageError(`--sim must be one of ${SIMS.join(', ')}, got '${sim}'`);
  const vectors = intFlag(values.vectors!, '--vectors', 1);
  const seed = seedFlag(values.seed!);
  const configs = configsFor(values.target, values.dsp!);
  const placed = values['no-pnr'] ? 0 : configs.filter((c) => c.target === 'ice40').length;
  // Synthesis of a large array takes minutes: refuse it over the budget before building it, and
  // say which step is running (cli/array-budget.ts, cli/progress.ts).
  const budget = new ArrayBudget(io, {
    command: 'synth', estimate: (shape) => estimateArraySynth(shape, configs.length, placed), diskIn: tmpdir(),
    allowLarge: values['allow-large']!, progress: values.progress!,
  });
  const loaded = await loadDesign(positionals[0]!, { beforeBuild: budget.beforeBuild });
  const design = loaded.design;
  const model = loaded.model;
  const simulators = values.verify ? await chooseSimulators(sim, io) : [];
  const entries: SynthReportEntry[] = [];
  const keepRun = values['keep-run']!;
  const progress = budget.start(`synth ${design.top}`);
  const releaseSignals = cleanUpOnSignals(() => progress.done());
  try {
    progress.phase('emit Verilog');
    const files = emitVerilog(design).map((f) => ({ fileName: f.fileName, text: f.text }));
    const step: SynthStep = {
      design, model, files, ports: topPorts(design), device: device as Ice40Device, pnr: !values['no-pnr'],
      verify: values.verify ? { simulators, vectors, seed, keepRun } : undefined, progress, of: configs.length,
    };
    for (const [i, config] of configs.entries()) {
      // One run directory per configuration (removed on Ctrl-C): gone after a clean result unless
      // --keep-run; kept and named when place and route failed or the netlist mismatched, or
      // when yosys failed (its logs are the evidence).
      const runDir = await prepareRunDir();
      let entry: SynthReportEntry;
      try {
        entry = await synthConfig(step, config, i, runDir);
      } catch (e) {
        keepRunDir(runDir);
        if (e instanceof Error) e.message += `\n(synth run directories kept: ${[...entries.flatMap((x) => (x.runDir ? [x.runDir] : [])), runDir].join(', ')})`;
        throw e;
      }
      const bad = entry.pnr?.status === 'failed' || (entry.verify !== undefined && !entry.verify.passed);
      if (bad || keepRun) {
        keepRunDir(runDir);
        entries.push({ ...entry, runDir });
      } else {
        await removeRunDir(runDir);
        const { netlist: _gone, ...rest } = entry;
        entries.push(rest);
      }
    }
  } finally {
    releaseSignals();
    progress.done();
  }
  const failed = entries.some((e) => e.verify && !e.verify.passed);
  if (values.json) io.out(JSON.stringify({ design: design.top, device, entries }, null, 2));
  else io.out(formatSynthTable(design.top, device as Ice40Device, entries));
  if (keepRun) io.err(`npugen: run directories kept (--keep-run): ${entries.map((e) => e.runDir).join(', ')}`);
  return failed ? EXIT.mismatch : EXIT.ok;
}

/** What every configuration of one synth run shares. */
interface SynthStep {
  readonly design: Design;
  readonly model: TransactionModel | undefined;
  readonly files: readonly RtlFile[];
  readonly ports: ReturnType<typeof topPorts>;
  readonly device: Ice40Device;
  readonly pnr: boolean;
  readonly verify: { readonly simulators: readonly SimChoice[]; readonly vectors: number; readonly seed: number; readonly keepRun: boolean } | undefined;
  readonly progress: Progress;
  readonly of: number;
}

/** yosys, then nextpnr (ice40) and the gate-level check (--verify) of one configuration, in `runDir`. */
async function synthConfig(s: SynthStep, config: SynthConfig, i: number, runDir: string): Promise<SynthReportEntry> {
  const name = `${config.target}${config.dsp ? ' -dsp' : ''} (${i + 1}/${s.of})`;
  const top = s.design.top;
  s.progress.phase(`yosys ${name}`);
  const result = await synthesize({ files: s.files, top, target: config.target, dsp: config.dsp, runDir });
  const placed = config.target === 'ice40' && s.pnr;
  if (placed) s.progress.phase(`nextpnr-ice40 ${s.device} ${name}`);
  const pnr = placed ? await placeAndRoute({ files: s.files, top, ports: s.ports, device: s.device, dsp: config.dsp, runDir }) : undefined;
  let verify: VerifySummary | undefined;
  if (s.verify) {
    s.progress.phase(`gate-level simulation ${name}`);
    const r = await verifyDesign(s.design, {
      simulators: s.verify.simulators, vectors: s.verify.vectors, seed: s.verify.seed, corners: s.model !== undefined,
      removeRunDirsOnPass: !s.verify.keepRun,
      ...(s.model ? { model: s.model } : {}),
      rtlFiles: [result.netlist, ...result.cellModels],
    });
    verify = summarize(r);
  }
  return {
    target: config.target, dsp: config.dsp, resources: result.resources, cells: result.cellsByType, netlist: result.netlist,
    ...(pnr ? { pnr } : {}), ...(verify ? { verify } : {}),
  };
}

function summarize(r: VerifyResult): VerifySummary {
  return {
    passed: r.passed && r.divergences.length === 0,
    vectors: r.testbench.vectorCount,
    simulators: r.outcomes.map((o) => ({ simulator: o.simulator, passed: o.passed, mismatches: o.counts.mismatches, xz: o.counts.xz, ...(o.runDir !== undefined && r.keptRunDirs.includes(o.runDir) ? { runDir: o.runDir } : {}) })),
  };
}


/** Gate-level simulation only makes sense on real simulators; `all` = every installed one. */
async function chooseSimulators(sim: string, io: CliIo): Promise<SimChoice[]> {
  const names = sim === 'all' ? (['icarus', 'verilator'] as const) : ([sim as 'icarus' | 'verilator'] as const);
  const out: SimChoice[] = [];
  for (const name of names) {
    try {
      await runInvocation(name === 'icarus' ? icarusVersion({}, tmpdir()) : verilatorVersion({}, tmpdir()), { timeoutMs: 30_000 });
      out.push(name);
    } catch (e) {
      if (!(e instanceof ToolNotFoundError) || sim !== 'all') throw e;
      io.err(`npugen: ${e.message}; skipping ${name}`);
    }
  }
  if (out.length === 0) throw new UsageError('--verify needs Icarus or Verilator (apt-get install iverilog verilator)');
  return out;
}

function configName(e: { target: SynthTarget; dsp: boolean }): string {
  return e.target === 'generic' ? 'generic (LUT4)' : `ice40${e.dsp ? ' -dsp' : ''}`;
}

function fmaxText(pnr: PnrResult | undefined): string {
  if (!pnr) return '-';
  if (pnr.status === 'ok') return pnr.fmaxMHz === undefined ? 'no clock' : `${pnr.fmaxMHz.toFixed(1)} MHz`;
  return pnr.status === 'not-installed' ? 'n/a' : 'PnR failed';
}

function verifyText(v: VerifySummary | undefined): string {
  if (!v) return '-';
  const sims = v.simulators.map((s) => `${s.simulator}${s.passed ? '' : ` ${s.mismatches} mismatches`}`).join(', ');
  return `${v.passed ? 'PASS' : 'FAIL'} (${sims}; ${v.vectors} vectors)`;
}

export function formatSynthTable(top: string, device: Ice40Device, entries: readonly SynthReportEntry[]): string {
  const header = ['config', 'LUT', 'FF', 'DSP', 'BRAM', 'carry', `Fmax ${device}`, 'gate-level vs golden'];
  const rows = entries.map((e) => [configName(e), String(e.resources.lut), String(e.resources.ff), String(e.resources.dsp), String(e.resources.bram),
    e.target === 'ice40' ? String(e.resources.carry) : '-', fmaxText(e.pnr), verifyText(e.verify)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: readonly string[]) => r.map((c, i) => (i === 0 || i >= 6 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const lines = [`synth ${top} (yosys)`, fmt(header), ...rows.map(fmt)];
  for (const e of entries) {
    if (e.pnr?.status === 'not-installed') { lines.push(`note: ${e.pnr.message}; no Fmax`); break; }
  }
  for (const e of entries) {
    if (e.pnr?.status === 'failed') lines.push(`${configName(e)}: nextpnr-ice40 failed on ${e.pnr.device}: ${e.pnr.message} (run directory ${e.pnr.runDir})`);
    if (e.verify && !e.verify.passed) {
      lines.push(`${configName(e)}: ${MISCOMPILE_MESSAGE}${e.runDir ? ` (netlist in ${e.runDir})` : ''}`);
      for (const s of e.verify.simulators) if (!s.passed) lines.push(`  ${s.simulator}: ${s.mismatches} mismatching outputs${s.xz ? ` (${s.xz} with X/Z bits)` : ''} of ${e.verify.vectors} vectors${s.runDir ? `; run directory ${s.runDir}` : ''}`);
    }
  }
  if (entries.some((e) => e.pnr?.status === 'ok')) lines.push('Fmax from nextpnr-ice40 on a serial-IO harness around the design (area figures are the design alone).');
  if (entries.some((e) => !e.verify)) lines.push('Unverified netlists: add --verify to simulate them against the golden model before trusting area or Fmax.');
  return lines.join('\n');
}
