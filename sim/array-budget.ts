/**
 * The resource estimate of generating (`npugen gen`) and synthesizing (`npugen synth`) a PE array
 * (`systolic_array`, `gemm_tile`), from its shape params alone, before anything is built. It is
 * the same budget, estimate form and go-ahead (`--allow-large`) as verify's vector budget
 * (sim/budget.ts): a 1024x1024 array is refused up front instead of running for hours or filling
 * memory, and a long run prints its estimate first.
 *
 * The rates are per processing element of an int8 x int8 -> int32 array on an idle 2-core
 * machine, scaled by the PE's multiplier and accumulator widths (`weight`):
 * - gen: build + emit ~1.5 ms and ~16 KB of heap a PE (bench/scale.ts: 64x64 in ~5 s, 11 KB of
 *   heap a PE, 0.57 KB of Verilog a PE);
 * - synth: yosys ~1 s and ~3.5 MB a PE for each configuration (8x8 generic: 25k LUT4, 168 s and
 *   280 MB peak at load average 12; 4x4: 42 s, 114 MB), nextpnr-ice40 ~0.3 s a PE.
 * Orders of magnitude, not promises: the point is that the estimate is printed before long work.
 */
import type { VerifyEstimate } from './budget.ts';

/** A 2-D PE array a generator's params describe. */
export interface ArrayShape {
  readonly generator: string;
  readonly rows: number;
  readonly cols: number;
  /** Cost of one PE relative to int8 x int8 -> int32 (1): multiplier bits a*b plus twice the accumulator's. */
  readonly weight: number;
}

/** The generators whose params are an array shape (`rows`, `cols`). */
const ARRAY_GENERATORS = new Set(['systolic_array', 'gemm_tile']);

/** The array `params` (parsed) of `generator` describe, or undefined for a generator that builds no array. */
export function arrayShapeOf(generator: string, params: Readonly<Record<string, unknown>>): ArrayShape | undefined {
  if (!ARRAY_GENERATORS.has(generator)) return undefined;
  const rows = params['rows'];
  const cols = params['cols'];
  if (typeof rows !== 'number' || typeof cols !== 'number') return undefined;
  const a = formatBits(params['a'], 8);
  const b = formatBits(params['b'], 8);
  const acc = formatBits(params['accumulator'], 32);
  return { generator, rows, cols, weight: Math.max(0.25, (a * b + 2 * acc) / (8 * 8 + 2 * 32)) };
}

/** `systolic_array 64x64 (4,096 PEs)`. */
export function describeShape(s: ArrayShape): string {
  return `${s.generator} ${s.rows}x${s.cols} (${(s.rows * s.cols).toLocaleString('en-US')} PEs)`;
}

const GEN = { secondsPerPe: 1.5e-3, heapBytesPerPe: 16 * 1024, verilogBytesPerPe: 600, baseBytes: 64 * 1024 ** 2 };
const SYNTH = { secondsPerPe: 1, bytesPerPe: 3.5 * 1024 ** 2, pnrSecondsPerPe: 0.3, netlistBytesPerPe: 40 * 1024, baseBytes: 100 * 1024 ** 2 };

/**
 * `npugen gen` of the array with `vectors` testbench rows: building the IR and emitting its
 * Verilog dominate; the vectors add their hex files (rows x (rows + cols) ports of a few bytes).
 */
export function estimateArrayGen(s: ArrayShape, vectors: number): VerifyEstimate {
  const pes = s.rows * s.cols * s.weight;
  const rowBytes = (s.rows + s.cols) * 2 * 5;
  return {
    seconds: pes * GEN.secondsPerPe + vectors * (s.rows + s.cols) * 2e-6,
    memoryBytes: GEN.baseBytes + pes * GEN.heapBytesPerPe + vectors * rowBytes * 4,
    diskBytes: pes * GEN.verilogBytesPerPe + vectors * rowBytes,
  };
}

/** `npugen synth` of the array: `configs` yosys runs, `pnr` of them placed and routed. */
export function estimateArraySynth(s: ArrayShape, configs: number, pnr: number): VerifyEstimate {
  const pes = s.rows * s.cols * s.weight;
  return {
    seconds: pes * (GEN.secondsPerPe + configs * SYNTH.secondsPerPe + pnr * SYNTH.pnrSecondsPerPe),
    // yosys runs one configuration at a time: its peak is one run's.
    memoryBytes: SYNTH.baseBytes + pes * SYNTH.bytesPerPe,
    diskBytes: pes * (GEN.verilogBytesPerPe + configs * SYNTH.netlistBytesPerPe),
  };
}

/** Bits of a parsed format param (fixed: its width; float: sign + exponent + mantissa); `dflt` for auto or unknown. */
function formatBits(f: unknown, dflt: number): number {
  if (typeof f !== 'object' || f === null) return dflt;
  const x = f as { kind?: unknown; width?: unknown; expBits?: unknown; manBits?: unknown };
  if (x.kind === 'fixed' && typeof x.width === 'number') return x.width;
  if (x.kind === 'float' && typeof x.expBits === 'number' && typeof x.manBits === 'number') return 1 + x.expBits + x.manBits;
  return dflt;
}
