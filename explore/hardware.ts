/**
 * A point's hardware measurements: yosys area of its layer-1 tile, the gate-level netlist run on
 * the point's own layer-1 vectors (explore/point.ts GATE_SAMPLE inputs), nextpnr-ice40 Fmax.
 *
 * Each distinct tile is synthesized once per process: yosys writes the flat netlist, and both the
 * gate-level simulation and place and route read that netlist (nextpnr's harness synthesis keeps
 * the SB_* cells as they are), so the netlist whose Fmax is reported is the one that passed the
 * gate-level check. Points whose tiles are the same Verilog (e.g. QAT on and off: the same tile,
 * other weights) share the synthesis and the place and route (memoized on the sha256 of the
 * Verilog, the target and the tool limit) and each runs its own gate-level check.
 *
 * The gate-level simulator depends on the netlist's size. Above GATE_ICARUS_LUTS LUTs, Icarus: the
 * int8 gemm_tile's netlist (about 4,000 SB_LUT4) compiles there in seconds, where Verilator's C++
 * build of it took about 9 minutes on the shared 2-core machine (load 11) against Icarus's 2.5 for
 * the whole run. At or below, Verilator: the fp8 and bf16 arrays' netlists (about 1,300-1,500 LUT)
 * ran past Icarus's 10-minute limit for one image (2,050 cycles, load 20), while Verilator built
 * and ran them in about 4 minutes at load 12-18.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { emitVerilog } from '../generators/verilog/emit.ts';
import { topPorts } from '../generators/fpga/ports.ts';
import { runTestbench, type RtlSource } from '../sim/cosim-run.ts';
import { placeAndRoute, synthesize, type PnrResult, type Resources } from '../sim/synth.ts';
import { ToolNotFoundError } from '../sim/runner.ts';
import type { LayerPlan } from './plan.ts';
import type { Device } from './sweep.ts';

interface RtlFile { readonly fileName: string; readonly text: string }

export interface TileSynthesis {
  /** The point whose run directory holds this synthesis. */
  readonly by: string;
  readonly files: readonly RtlFile[];
  readonly resources?: Resources;
  readonly netlist?: string;
  readonly cellModels?: readonly string[];
  /** Why there is no netlist (yosys failed or timed out). */
  readonly note?: string;
}

export interface HwOutcome {
  readonly resources?: Resources;
  readonly gateLevelVerified: boolean;
  readonly note?: string;
  readonly pnr?: PnrResult | { readonly status: 'failed'; readonly message: string };
  /** Set when another point of the sweep synthesized (and placed and routed) this point's tile. */
  readonly sharedWith?: string;
}

/** A tool failure or timeout of one point is that point's result (marked), not the sweep's end; a missing tool is. */
export function failed(e: unknown, what: string): { status: 'failed'; message: string } {
  if (e instanceof ToolNotFoundError) throw e;
  return { status: 'failed', message: `${what} failed: ${(e as Error).message.split('\n')[0]}` };
}

export const GATE_ICARUS_LUTS = 2500;

const synths = new Map<string, Promise<TileSynthesis>>();
const pnrs = new Map<string, Promise<NonNullable<HwOutcome['pnr']>>>();

function tileKey(files: readonly RtlFile[], device: Device, timeoutMs: number | undefined): string {
  const h = createHash('sha256').update(`${device}\0${timeoutMs ?? ''}\0`);
  for (const f of files) h.update(f.fileName).update('\0').update(f.text).update('\0');
  return h.digest('hex');
}

async function synthTile(by: string, top: string, files: readonly RtlFile[], device: Device, runDir: string, timeoutMs: number | undefined): Promise<TileSynthesis> {
  try {
    const s = await synthesize({ files, top, target: device === 'generic' ? 'generic' : 'ice40', dsp: false, runDir, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    return { by, files, resources: s.resources, netlist: s.netlist, cellModels: s.cellModels };
  } catch (e) {
    return { by, files, note: failed(e, 'yosys').message };
  }
}

/** Synthesis (shared per tile), the point's gate-level check (Icarus or Verilator, see above), place and route (shared per tile). */
export async function measureHardware(id: string, run: LayerPlan, device: Device, runDir: string, timeoutMs: number | undefined, timed: <T>(name: string, f: () => Promise<T>) => Promise<T>): Promise<HwOutcome> {
  const tile = run.tile;
  const files = emitVerilog(tile).map((f) => ({ fileName: f.fileName, text: f.text }));
  const key = tileKey(files, device, timeoutMs);
  let synth = synths.get(key);
  if (!synth) synths.set(key, (synth = synthTile(id, tile.top, files, device, join(runDir, 'synth'), timeoutMs)));
  const s = await timed('synth', () => synth);
  const shared = s.by !== id ? { sharedWith: s.by } : {};
  if (s.netlist === undefined || s.cellModels === undefined) return { gateLevelVerified: false, ...(s.note !== undefined ? { note: s.note } : {}), ...shared };
  const netlist = s.netlist;
  const sources: RtlSource[] = [{ path: netlist }, ...s.cellModels.map((path) => ({ path }))];
  const gateSimulator = (s.resources?.lut ?? 0) > GATE_ICARUS_LUTS ? 'icarus' : 'verilator';
  const gate = await timed('gate', async () => {
    try {
      const g = await runTestbench({
        model: run.testbench, sources, stimulus: run.stimulus, expected: run.expected, simulator: gateSimulator, runDir: join(runDir, 'gate'), maxMismatchRecords: 10,
        ...(timeoutMs !== undefined ? { compileTimeoutMs: timeoutMs, simulateTimeoutMs: timeoutMs } : {}),
      });
      const ok = g.counts.mismatches === 0 && g.counts.checked === run.cycles;
      return ok ? { ok } : { ok, note: `gate-level netlist: ${g.counts.mismatches} mismatching outputs of ${g.counts.checked} cycles checked: do not trust area/Fmax` };
    } catch (e) {
      return { ok: false, note: `${failed(e, 'gate-level simulation').message}: do not trust area/Fmax` };
    }
  });
  let pnr: HwOutcome['pnr'];
  if (device !== 'generic') {
    let p = pnrs.get(key);
    if (!p) {
      pnrs.set(key, (p = (async () => placeAndRoute({
        files: [{ fileName: basename(netlist), text: await readFile(netlist, 'utf8') }], top: tile.top, ports: topPorts(tile), device, runDir: join(runDir, 'pnr'),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      }))().catch((e: unknown) => failed(e, 'place and route'))));
    }
    pnr = await timed('pnr', () => p);
  }
  return { resources: s.resources!, gateLevelVerified: gate.ok, ...(gate.note !== undefined ? { note: gate.note } : {}), ...(pnr ? { pnr } : {}), ...shared };
}
