/**
 * The resource budget of a verification run, checked before any work: an estimate of disk
 * (vector files in the run directories), memory (vectors held in memory) and time from the
 * vector count, port widths, design size and simulators. Over the budget the run needs an
 * explicit go-ahead (`npugen verify --allow-large`); a large run within it prints its estimate.
 *
 * The rates are rough (measured on an idle 2-core machine, bench/results/verify-throughput.json,
 * scaled by IR node count); the estimate's purpose is the order of magnitude, so that 10^12
 * vectors are refused instead of filling memory or the disk.
 */
import type { Port } from '../formats/port.ts';

/** Limits a run may reach without `--allow-large` (docs/cosim.md, "Resource budget"). */
export const VERIFY_BUDGET = {
  diskBytes: 2 * 1024 ** 3,
  memoryBytes: 2 * 1024 ** 3,
  seconds: 60 * 60,
} as const;

/** A run estimated above any of these prints its estimate before starting. */
const ANNOUNCE = { diskBytes: 256 * 1024 ** 2, memoryBytes: 512 * 1024 ** 2, seconds: 15 };

export interface VerifyPlanSize {
  readonly vectors: number;
  readonly inputs: readonly Pick<Port, 'width'>[];
  readonly outputs: readonly Pick<Port, 'width'>[];
  /** IR nodes of the design (all modules): the per-vector cost of simulating it. */
  readonly nodes: number;
  readonly simulators: readonly string[];
  /** The golden vectors stream to disk in chunks (not held in memory) for the RTL simulators. */
  readonly streams: boolean;
  /** Expected values from a golden model (fast) or the built-in simulator of the IR. */
  readonly reference: 'golden' | 'builtin';
}

export interface VerifyEstimate {
  readonly diskBytes: number;
  readonly memoryBytes: number;
  readonly seconds: number;
}

const rowBytes = (ports: readonly Pick<Port, 'width'>[]): number => ports.reduce((n, p) => n + Math.ceil(p.width / 8), 0);
/** A row as bigint arrays (the built-in simulator's and in-memory reference's form): ~40 B a value plus the array. */
const rowObjectBytes = (ports: readonly Pick<Port, 'width'>[]): number => 56 + 40 * ports.length;

/** Vectors per second on a design of `nodes` IR nodes (idle machine). */
const RATE = { builtin: 2e6, icarus: 1.3e6, verilator: 1.8e8 } as const;
/** Golden-model vectors per second (not scaled by design size). */
const GOLDEN_RATE = 2e7;
/** A Verilator build that is not cached (g++ of the model). */
const VERILATOR_BUILD_SECONDS = 30;

export function estimateVerify(p: VerifyPlanSize): VerifyEstimate {
  const bin = rowBytes(p.inputs) + rowBytes(p.outputs);
  const rtl = p.simulators.filter((s) => s === 'icarus' || s === 'verilator');
  // Icarus reads $readmemh text: two hex digits a byte plus a separator per port.
  const hex = 2 * bin + p.inputs.length + p.outputs.length;
  const diskBytes = p.vectors * rtl.reduce((n, s) => n + (s === 'icarus' ? hex : bin), 0);
  const inMemory = p.simulators.includes('builtin') || !p.streams || rtl.length === 0;
  const memoryBytes = inMemory ? p.vectors * (bin + rowObjectBytes(p.inputs) + 2 * rowObjectBytes(p.outputs)) : 0;
  const size = Math.max(p.nodes, 10);
  let seconds = p.reference === 'golden' ? p.vectors / GOLDEN_RATE : 0;
  for (const s of new Set([...p.simulators, ...(p.reference === 'builtin' ? ['builtin'] : [])])) {
    const rate = RATE[s as keyof typeof RATE];
    if (rate !== undefined) seconds += (p.vectors * size) / rate;
    if (s === 'verilator') seconds += VERILATOR_BUILD_SECONDS;
  }
  return { diskBytes, memoryBytes, seconds };
}

/** What exceeds the budget, as phrases; empty when the run is within it. */
export function overBudget(e: VerifyEstimate): string[] {
  const out: string[] = [];
  if (e.diskBytes > VERIFY_BUDGET.diskBytes) out.push(`disk ${bytes(e.diskBytes)} > ${bytes(VERIFY_BUDGET.diskBytes)}`);
  if (e.memoryBytes > VERIFY_BUDGET.memoryBytes) out.push(`memory ${bytes(e.memoryBytes)} > ${bytes(VERIFY_BUDGET.memoryBytes)}`);
  if (e.seconds > VERIFY_BUDGET.seconds) out.push(`time ${duration(e.seconds)} > ${duration(VERIFY_BUDGET.seconds)}`);
  return out;
}

/** Whether the estimate is worth printing before the run starts. */
export function worthAnnouncing(e: VerifyEstimate): boolean {
  return e.diskBytes > ANNOUNCE.diskBytes || e.memoryBytes > ANNOUNCE.memoryBytes || e.seconds > ANNOUNCE.seconds;
}

export function formatEstimate(e: VerifyEstimate, tempDir: string): string {
  return `about ${duration(e.seconds)}, ${bytes(e.memoryBytes)} of memory, ${bytes(e.diskBytes)} of disk in ${tempDir}`;
}

export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v < 10 && u > 0 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export function duration(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${(s / 3600).toFixed(1)} h`;
  return `${Math.round(s / 86400)} days`;
}
