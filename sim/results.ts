/**
 * Parses the result file written by the generated testbench (templates/testbench.v.hbs):
 *   M <vector> <cycle> <output index> <got hex> <expected hex> <xz 0|1>   one per recorded mismatch
 *   S vectors=N checked=N failing=N mismatches=N xz=N records=N cycles=N   once, at the end
 *   E <message>                                                   testbench set-up error
 */
import { fromBits } from './vectors.ts';
import type { Port } from '../formats/port.ts';

export interface Mismatch {
  readonly vectorIndex: number;
  /** The TB clock edge at which the outputs were sampled. */
  readonly cycle: number;
  readonly port: string;
  /** The DUT's value (signed per the port), or null when any bit was X or Z. */
  readonly got: bigint | null;
  readonly expected: bigint;
  readonly hasXZ: boolean;
}

export interface ResultCounts {
  readonly vectors: number;
  /** Vectors whose outputs were compared (all of them, when the run completed). */
  readonly checked: number;
  /** Vectors with at least one mismatching port. */
  readonly failingVectors: number;
  /** Mismatching (vector, port) pairs, recorded or not. */
  readonly mismatches: number;
  /** Mismatches where the DUT output had X or Z bits (always 0 under 2-state Verilator). */
  readonly xz: number;
  /** Mismatches recorded in detail (capped by max records). */
  readonly records: number;
  readonly cycles: number;
}

export interface TestbenchResult {
  readonly mismatches: readonly Mismatch[];
  readonly counts: ResultCounts;
  readonly passed: boolean;
}

/** The result file is malformed, incomplete (no summary) or reports a TB set-up error. */
export class ResultFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultFileError';
  }
}

/** Parses result text; `outputs` (the model's, in order) name the ports and give their signedness. */
export function parseResults(text: string, outputs: readonly Port[]): TestbenchResult {
  const mismatches: Mismatch[] = [];
  let counts: ResultCounts | undefined;
  for (const [n, line] of text.split('\n').entries()) {
    const fields = line.trim().split(/\s+/);
    switch (fields[0]) {
      case 'M':
        mismatches.push(parseMismatch(fields, outputs, n + 1));
        break;
      case 'S':
        counts = parseSummary(fields, n + 1);
        break;
      case 'E':
        throw new ResultFileError(`testbench error: ${line.slice(2)}`);
      case '':
        break;
      default:
        throw new ResultFileError(`result line ${n + 1}: unexpected '${line}'`);
    }
  }
  if (counts === undefined) throw new ResultFileError('result file has no summary line (simulation ended early?)');
  return { mismatches, counts, passed: counts.mismatches === 0 && counts.checked === counts.vectors };
}

function parseMismatch(fields: readonly string[], outputs: readonly Port[], line: number): Mismatch {
  const [, vec, cycle, index, got, expected, xz] = fields;
  if (vec === undefined || cycle === undefined || index === undefined || got === undefined || expected === undefined || xz === undefined) {
    throw new ResultFileError(`result line ${line}: truncated mismatch record`);
  }
  const port = outputs[Number(index)];
  if (port === undefined) throw new ResultFileError(`result line ${line}: no output port #${index}`);
  const value = (hex: string): bigint => fromBits(port, BigInt(`0x${hex}`));
  const gotHasXZ = /[xXzZ]/.test(got);
  return {
    vectorIndex: Number(vec),
    cycle: Number(cycle),
    port: port.name,
    got: gotHasXZ ? null : value(got),
    expected: value(expected),
    hasXZ: gotHasXZ || xz === '1',
  };
}

function parseSummary(fields: readonly string[], line: number): ResultCounts {
  const kv = new Map(fields.slice(1).map((f) => f.split('=') as [string, string]));
  const num = (key: string): number => {
    const v = kv.get(key);
    if (v === undefined || !/^\d+$/.test(v)) throw new ResultFileError(`result line ${line}: bad or missing '${key}'`);
    return Number(v);
  };
  return {
    vectors: num('vectors'),
    checked: num('checked'),
    failingVectors: num('failing'),
    mismatches: num('mismatches'),
    xz: num('xz'),
    records: num('records'),
    cycles: num('cycles'),
  };
}
