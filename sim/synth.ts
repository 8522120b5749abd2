/**
 * Synthesis and place-and-route of generated RTL: yosys (generic or iCE40, with or without
 * DSPs) → resource counts from `stat -json` and a flat gate-level netlist; nextpnr-ice40 on a
 * serial-IO harness around the design → Fmax. All tools run through the runner; each run
 * keeps its scripts, logs and outputs in its run directory.
 */
import { realpathSync } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { cellModelPaths, yosysDatdir, yosysSynth, type SynthTarget } from './backends/yosys.ts';
import { nextpnrIce40, nextpnrVersion, NEXTPNR_APT, type Ice40Device } from './backends/nextpnr.ts';
import { prepareRunDir, runInvocation, ToolFailedError, ToolNotFoundError } from './runner.ts';
import { pnrHarness } from '../generators/fpga/pnr-harness.ts';
import type { PortInfo } from '../generators/fpga/ports.ts';

export interface RtlFile {
  readonly fileName: string;
  readonly text: string;
}

export interface Resources {
  readonly lut: number;
  readonly ff: number;
  readonly dsp: number;
  readonly bram: number;
  /** SB_CARRY on iCE40; other gates ($_*_ not FFs) in generic netlists. */
  readonly carry: number;
  readonly other: number;
}

export interface SynthResult {
  readonly target: SynthTarget;
  readonly dsp: boolean;
  readonly top: string;
  readonly resources: Resources;
  readonly cellsByType: Readonly<Record<string, number>>;
  /** Flat gate-level netlist (absolute path). */
  readonly netlist: string;
  /** Simulation models of the netlist's cells (absolute paths). */
  readonly cellModels: readonly string[];
  readonly runDir: string;
  readonly durationMs: number;
}

export interface SynthRequest {
  readonly files: readonly RtlFile[];
  readonly top: string;
  readonly target: SynthTarget;
  readonly dsp?: boolean;
  readonly runDir?: string;
  readonly timeoutMs?: number;
}

/** Runs yosys on the files; throws ToolNotFoundError / ToolFailedError. */
export async function synthesize(req: SynthRequest): Promise<SynthResult> {
  const dir = await prepareRunDir(req.runDir);
  await writeSources(dir, req.files);
  const tag = `${req.target}${req.dsp ? '_dsp' : ''}`;
  const inv = yosysSynth({
    sources: req.files.map((f) => f.fileName), top: req.top, target: req.target, dsp: req.dsp ?? false, cwd: dir,
    statJson: `stat_${tag}.json`, netlist: `${req.top}_${tag}_netlist.v`, script: `synth_${tag}.ys`,
  });
  const step = await runInvocation(inv, { logFile: join(dir, `synth_${tag}.run.log`), ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}) });
  const cellsByType = parseStatJson(await readFile(join(dir, `stat_${tag}.json`), 'utf8'), req.top);
  const datdir = await findYosysDatdir();
  const prelude: string[] = [];
  if (req.target === 'ice40') {
    // cells_sim.v gives unconnected ports default values with SystemVerilog port defaults,
    // which Icarus 11 cannot parse; yosys's netlists connect every cell port (unused ones to
    // constants), so the plain-Verilog variant of the models is equivalent for them.
    await writeFile(join(dir, ICE40_SIM_DEFINES), '`define NO_ICE40_DEFAULT_ASSIGNMENTS\n');
    prelude.push(join(dir, ICE40_SIM_DEFINES));
  }
  return {
    target: req.target, dsp: req.dsp ?? false, top: req.top,
    resources: classifyCells(req.target, cellsByType),
    cellsByType,
    netlist: join(dir, `${req.top}_${tag}_netlist.v`),
    cellModels: [...prelude, ...cellModelPaths(req.target).map((p) => join(datdir, p))],
    runDir: dir,
    durationMs: step.durationMs,
  };
}

async function writeSources(dir: string, files: readonly RtlFile[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const f of files) await writeFile(join(dir, f.fileName), f.text);
}

/** Cell counts by type of `top` from `stat -json` output (`\name` keys are normalized). */
export function parseStatJson(text: string, top: string): Record<string, number> {
  const json = JSON.parse(text) as { modules?: Record<string, { num_cells_by_type?: Record<string, number> }>; design?: { num_cells_by_type?: Record<string, number> } };
  const mod = json.modules?.[`\\${top}`] ?? json.modules?.[top] ?? json.design;
  if (!mod) throw new Error(`yosys stat: no module '${top}' in the report`);
  return { ...(mod.num_cells_by_type ?? {}) };
}

const GENERIC_FF = /^\$_(DFF|DFFE|SDFF|SDFFE|SDFFCE|ALDFF|ALDFFE|DFFSR|DFFSRE|SR)_/;

/** LUT / FF / DSP / BRAM (and carry or other gates) from cell counts. */
export function classifyCells(target: SynthTarget, cells: Readonly<Record<string, number>>): Resources {
  let lut = 0, ff = 0, dsp = 0, bram = 0, carry = 0, other = 0;
  for (const [type, n] of Object.entries(cells)) {
    if (target === 'ice40') {
      if (type === 'SB_LUT4') lut += n;
      else if (type.startsWith('SB_DFF')) ff += n;
      else if (type === 'SB_MAC16') dsp += n;
      else if (type.startsWith('SB_RAM40_4K')) bram += n;
      else if (type === 'SB_CARRY') carry += n;
      else other += n;
    } else {
      if (type === '$lut') lut += n;
      else if (GENERIC_FF.test(type) || type === '$dff' || type === '$adff' || type === '$sdff') ff += n;
      else if (type.startsWith('$mem')) bram += n;
      else if (type === '$mul' || type === '$macc') dsp += n;
      else other += n;
    }
  }
  return { lut, ff, dsp, bram, carry, other };
}

/** A one-line source read before ice40/cells_sim.v (see synthesize). */
export const ICE40_SIM_DEFINES = 'ice40_sim_defines.v';

let datdirCache: string | undefined;

/**
 * Yosys's data directory (cell simulation models): `NPUGEN_YOSYS_DATDIR`, else
 * `yosys-config --datdir`, else `<prefix>/share/yosys` next to the `yosys` on PATH.
 */
export async function findYosysDatdir(): Promise<string> {
  if (datdirCache !== undefined) return datdirCache;
  const env = process.env['NPUGEN_YOSYS_DATDIR'];
  if (env) return (datdirCache = env);
  try {
    const out = await runInvocation(yosysDatdir(process.cwd()), { timeoutMs: 30_000 });
    const dir = out.output.trim().split('\n').pop()?.trim();
    if (dir) return (datdirCache = dir);
  } catch (e) {
    if (!(e instanceof ToolNotFoundError) && !(e instanceof ToolFailedError)) throw e;
  }
  for (const d of (process.env['PATH'] ?? '').split(delimiter)) {
    const bin = join(d, 'yosys');
    try {
      await access(bin);
    } catch {
      continue;
    }
    const share = resolve(dirname(realpathSync(bin)), '..', 'share', 'yosys');
    try {
      await access(join(share, 'simcells.v'));
      return (datdirCache = share);
    } catch {
      break;
    }
  }
  throw new ToolNotFoundError('yosys-config', 'yosys-config', 'yosys-dev');
}

export type PnrResult =
  | { readonly status: 'ok'; readonly device: Ice40Device; readonly fmaxMHz: number | undefined; readonly clocks: Readonly<Record<string, number>>; readonly utilization: Readonly<Record<string, { used: number; available: number }>>; readonly runDir: string }
  | { readonly status: 'not-installed'; readonly message: string }
  | { readonly status: 'failed'; readonly device: Ice40Device; readonly message: string; readonly runDir: string };

export interface PnrRequest {
  readonly files: readonly RtlFile[];
  readonly top: string;
  readonly ports: readonly PortInfo[];
  readonly device: Ice40Device;
  readonly dsp?: boolean;
  readonly runDir?: string;
  readonly timeoutMs?: number;
  /** nextpnr's placement seed (default 1); Fmax varies with it by several percent. */
  readonly seed?: number;
}

/**
 * Fmax on an iCE40: synthesizes a serial-IO harness around `top` (see pnr-harness.ts) and
 * places and routes it. A missing nextpnr-ice40 or a failing run (e.g. too many SB_MAC16 for
 * the device) is a result, not an error.
 */
export async function placeAndRoute(req: PnrRequest): Promise<PnrResult> {
  return (await placeAndRouteSeeds(req, [req.seed ?? 1]))[0]!;
}

/**
 * `placeAndRoute` with each of `seeds` (one result per seed, in order): the harness is
 * synthesized once and nextpnr runs once per seed on the same netlist, so seed-to-seed
 * differences are placement noise only.
 */
export async function placeAndRouteSeeds(req: PnrRequest, seeds: readonly number[]): Promise<PnrResult[]> {
  const dir = await prepareRunDir(req.runDir);
  try {
    await runInvocation(nextpnrVersion(dir), { timeoutMs: 30_000 });
  } catch (e) {
    if (e instanceof ToolNotFoundError) return seeds.map(() => ({ status: 'not-installed', message: `nextpnr-ice40 not installed (apt-get install ${NEXTPNR_APT})` }));
    throw e;
  }
  const harness = pnrHarness(req.top, req.ports);
  const files = [...req.files, { fileName: `${harness.module}.v`, text: harness.text }];
  await writeSources(dir, files);
  const tag = `${req.device}${req.dsp ? '_dsp' : ''}`;
  const json = `pnr_${tag}.json`;
  const timeout = req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {};
  const failed = (e: unknown): PnrResult => {
    if (e instanceof ToolFailedError) return { status: 'failed', device: req.device, message: lastErrorLine(e.outputTail), runDir: dir };
    throw e;
  };
  try {
    await runInvocation(yosysSynth({
      sources: files.map((f) => f.fileName), top: harness.module, target: 'ice40', dsp: req.dsp ?? false, cwd: dir,
      statJson: `pnr_stat_${tag}.json`, json, script: `pnr_synth_${tag}.ys`,
    }), { logFile: join(dir, `pnr_synth_${tag}.run.log`), ...timeout });
  } catch (e) {
    const r = failed(e);
    return seeds.map(() => r);
  }
  const out: PnrResult[] = [];
  for (const seed of seeds) {
    // Seed 1 keeps the file names of a single run (tests and scripts read them).
    const sfx = seeds.length === 1 && seed === 1 ? '' : `_seed${seed}`;
    const report = `nextpnr_${tag}${sfx}.report.json`;
    try {
      await runInvocation(nextpnrIce40({ json, device: req.device, report, log: `nextpnr_${tag}${sfx}.log`, cwd: dir, seed }), { logFile: join(dir, `nextpnr_${tag}${sfx}.run.log`), ...timeout });
      const parsed = parseNextpnrReport(await readFile(join(dir, report), 'utf8'));
      out.push({ status: 'ok', device: req.device, ...parsed, runDir: dir });
    } catch (e) {
      out.push(failed(e));
    }
  }
  return out;
}

function lastErrorLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return lines.find((l) => /^ERROR/i.test(l)) ?? lines[lines.length - 1] ?? 'failed';
}

/** Fmax (the slowest clock's achieved MHz) and utilization from nextpnr's `--report` JSON. */
export function parseNextpnrReport(text: string): { fmaxMHz: number | undefined; clocks: Record<string, number>; utilization: Record<string, { used: number; available: number }> } {
  const json = JSON.parse(text) as { fmax?: Record<string, { achieved?: number }>; utilization?: Record<string, { used: number; available: number }> };
  const clocks: Record<string, number> = {};
  for (const [clk, v] of Object.entries(json.fmax ?? {})) if (typeof v.achieved === 'number') clocks[clk] = v.achieved;
  const values = Object.values(clocks);
  return { fmaxMHz: values.length > 0 ? Math.min(...values) : undefined, clocks, utilization: { ...(json.utilization ?? {}) } };
}
