/**
 * Runs a `QuantGemmSpec` on generated `gemm_tile` hardware (see `quant-gemm.ts`).
 * Not implemented yet in this increment: the types are the contract; the schedule follows.
 */
import type { QuantGemmOutput, QuantGemmSpec } from './quant-gemm.ts';

export interface TileRunOptions {
  readonly tile: { readonly rows: number; readonly cols: number };
  readonly simulator: 'builtin' | 'icarus' | 'verilator';
}

export interface QuantGemmRun {
  /** What the hardware produced (M x N, row-major). */
  readonly output: QuantGemmOutput;
  /** `evalQuantGemm(spec)`. */
  readonly golden: QuantGemmOutput;
  readonly bitExact: boolean;
  /** Clock cycles the testbench ran (measured: the stimulus length). */
  readonly cycles: number;
  /** Analytical estimate of the same schedule's cycles. */
  readonly cyclesEstimated?: number;
  readonly firstMismatch?: { readonly row: number; readonly col: number; readonly expected: number; readonly actual: number; readonly detail: string };
}

export async function runQuantGemmOnTiles(spec: QuantGemmSpec, opts: TileRunOptions): Promise<QuantGemmRun> {
  void spec;
  void opts;
  throw new Error('runQuantGemmOnTiles: not implemented yet');
}
