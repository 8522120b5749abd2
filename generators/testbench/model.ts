/**
 * The testbench model: the pure-data contract between the IR side (which knows the design)
 * and the co-simulation side (which knows files, simulators and checking). Nothing here
 * refers to the IR, so the co-simulation infrastructure is testable with hand-written RTL.
 */

import type { Port } from '../../formats/port.ts';

/** Reset handling: the TB asserts `name` for `cycles` rising edges before vector 0 is applied. */
export interface TbReset {
  readonly name: string;
  readonly activeHigh: boolean;
  readonly cycles: number;
}

/**
 * A self-checking testbench, streaming one vector per clock cycle.
 *
 * Timing contract (edges are rising clock edges, counted from 0; the TB's `cycle` counter):
 * - reset is asserted for edges `0 .. reset.cycles-1`;
 * - vector i's inputs are stable before edge `lead + i` where `lead = max(reset.cycles, 1)`
 *   (one idle edge with all inputs zero when there is no reset);
 * - outputs for vector i are sampled just before edge `lead + i + latency` (i.e. after the
 *   DUT has settled in the cycle where it reflects vector i) and compared with `!==`;
 *   any X/Z bit on a compared output counts as a mismatch and is flagged.
 * A combinational DUT (`clock` absent) is stepped by the TB's own clock with `latency` 0.
 */
export interface TestbenchModel {
  /** DUT module name. */
  readonly top: string;
  /** Clock port name; absent = combinational DUT. */
  readonly clock?: string;
  readonly reset?: TbReset;
  /** Driven each cycle from the stimulus file, in file column order (excluding clock/reset). */
  readonly inputs: readonly Port[];
  /** Compared each cycle against the expected file, in file column order. */
  readonly outputs: readonly Port[];
  /** Cycles between applying vector i and the cycle whose outputs reflect it (0 = same cycle). */
  readonly latency: number;
  readonly vectorCount: number;
}

/** Edge at which vector 0 is first seen by the DUT (see the timing contract above). */
export function leadCycles(model: TestbenchModel): number {
  return Math.max(model.reset?.cycles ?? 0, 1);
}
