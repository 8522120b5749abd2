/**
 * Cycle-level schedule of a GEMM Y[M x N] = f(A[M x K] . B[K x N]) on an output-stationary
 * R x C `gemm_tile`: the host loop the golden model mirrors. M is covered by row tiles of R
 * rows, N by column tiles of C columns; the last tiles are padded (A with pad rows, B with pad
 * columns, per-column parameters with pad values) and their extra outputs are checked too
 * (against the golden model of the padded operands) but not returned. Order: for each column
 * tile, its column parameters are held, then every row tile streams its K beats (plus idle
 * beats when K < R: the array needs consecutive last beats R cycles apart), then the tile
 * drains (`drain` idle cycles with the same parameters) so no result in flight sees the next
 * column tile's parameters. After the last drain, `latency` idle cycles let the results out.
 *
 * Cycle count: ceil(N/C) * (ceil(M/R) * max(K, R) + drain) + latency (`osScheduleCycles`).
 * The testbench compares every cycle: out_valid always, y_* where out_valid is expected 1, at
 * the cycle (last beat) + latency + s for row s of a row tile (testbench latency 0: the
 * expected rows sit at their absolute cycle).
 */
import type { BuiltDesign } from '../../dsl/builder/module.ts';
import type { TestbenchModel } from '../../generators/testbench/model.ts';
import { testbenchModelOf } from '../cosim/ir-testbench.ts';

export interface OsScheduleInput {
  readonly tile: BuiltDesign;
  readonly rows: number;
  readonly cols: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** The tile's latency (last beat to row 0 of Y). */
  readonly latency: number;
  /** Idle cycles after each column tile (the parameters stay until every row left the array and was sampled). */
  readonly drain: number;
  /** A code at (i, t) of the padded A (i < ceil(M/R) * R). */
  readonly a: (i: number, t: number) => bigint;
  /** B code at (t, j) of the padded B. */
  readonly b: (t: number, j: number) => bigint;
  /** Ports held for a whole column tile `ct` (multipliers, zero points, bias, ...), by port name. */
  readonly columnParams: (ct: number) => Readonly<Record<string, bigint>>;
  /** Expected y at (i, j) of the padded output. */
  readonly y: (i: number, j: number) => bigint;
  /** Output port prefix: `y` (gemm_tile, default) or `c` (a bare systolic_array). */
  readonly outputPrefix?: string;
}

/** Where an output cycle's row of y comes from. */
export interface OutputRow {
  readonly row: number;
  readonly col0: number;
}

export interface OsSchedule {
  readonly testbench: TestbenchModel;
  readonly stimulus: bigint[][];
  readonly expected: bigint[][];
  readonly cycles: number;
  /** Output rows by cycle (vector index); absent = no output expected. */
  readonly outputRows: ReadonlyMap<number, OutputRow>;
}

const tiles = (x: number, q: number): number => Math.ceil(x / q);

/** The schedule's cycle count, from the shape alone (the analytical estimate). */
export function osScheduleCycles(p: Pick<OsScheduleInput, 'rows' | 'cols' | 'm' | 'k' | 'n' | 'latency' | 'drain'>): number {
  return tiles(p.n, p.cols) * (tiles(p.m, p.rows) * Math.max(p.k, p.rows) + p.drain) + p.latency;
}

export function scheduleOs(p: OsScheduleInput): OsSchedule {
  const { rows: R, cols: C, k } = p;
  const base = testbenchModelOf(p.tile, 0, 0);
  const outNames = base.outputs.map((q) => q.name);
  const stimulus: Record<string, bigint>[] = [];
  const expected = new Map<number, Record<string, bigint>>();
  const outputRows = new Map<number, OutputRow>();
  for (let ct = 0; ct < tiles(p.n, C); ct++) {
    const params = p.columnParams(ct);
    const idle = { ...params, in_valid: 0n, last: 0n };
    for (let bt = 0; bt < tiles(p.m, R); bt++) {
      for (let t = 0; t < k; t++) {
        const row: Record<string, bigint> = { ...params, in_valid: 1n, last: t === k - 1 ? 1n : 0n };
        for (let i = 0; i < R; i++) row[`a_${i}`] = p.a(bt * R + i, t);
        for (let j = 0; j < C; j++) row[`b_${j}`] = p.b(t, ct * C + j);
        stimulus.push(row);
      }
      const last = stimulus.length - 1;
      for (let t = k; t < R; t++) stimulus.push(idle);
      for (let s = 0; s < R; s++) {
        const out: Record<string, bigint> = { out_valid: 1n };
        for (let j = 0; j < C; j++) out[`${p.outputPrefix ?? 'y'}_${j}`] = p.y(bt * R + s, ct * C + j);
        expected.set(last + p.latency + s, out);
        outputRows.set(last + p.latency + s, { row: bt * R + s, col0: ct * C });
      }
    }
    for (let i = 0; i < p.drain; i++) stimulus.push(idle);
  }
  for (let i = 0; i < p.latency; i++) stimulus.push({ in_valid: 0n, last: 0n });
  const rowsOut = stimulus.map((r) => base.inputs.map((q) => r[q.name] ?? 0n));
  const exp = rowsOut.map((_, c) => {
    const e = expected.get(c);
    return outNames.map((name) => (e ? e[name]! : 0n));
  });
  const testbench: TestbenchModel = {
    ...base,
    vectorCount: rowsOut.length,
    outputs: base.outputs.map((q) => (q.name === 'out_valid' ? q : { ...q, validBy: 'out_valid' })),
  };
  return { testbench, stimulus: rowsOut, expected: exp, cycles: rowsOut.length, outputRows };
}
