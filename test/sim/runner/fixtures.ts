/** Hand-written DUTs, their testbench models and golden vectors, shared by the simulator tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { replaceOnce } from '../../helpers/faults.ts';
import type { TestbenchModel } from '../../../generators/testbench/model.ts';
import type { VectorRow } from '../../../sim/vectors.ts';
import type { Port } from '../../../formats/port.ts';

export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** A deterministic generator (xorshift32), so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/**
 * fixtures/mac_i8.v with a planted fault, as an RTL source: the accumulator register becomes
 * `acc_q`, and `acc` is either `acc_q` with bit 20 stuck at 0 (`stuck_bit20`, output only: the
 * sums stay right) or `acc_q` one cycle later (`late`, latency 2 instead of 1).
 */
export function faultyMac(fault: 'stuck_bit20' | 'late'): { readonly name: string; readonly text: string } {
  const body = replaceOnce('accumulator register renamed acc_q', /always @\(posedge clk\) begin([\s\S]*?)\n  end/, (m) =>
    `always @(posedge clk) begin${m[1]!.replace(/\bacc\b/g, 'acc_q')}${fault === 'late' ? "\n    acc <= rst ? 32'sd0 : acc_q;" : ''}\n  end`);
  const port = replaceOnce('acc_q declared', /output reg  signed \[31:0\] acc\n\);/, () => fault === 'late'
    ? "output reg  signed [31:0] acc\n);\n  reg signed [31:0] acc_q;"
    : "output wire signed [31:0] acc\n);\n  reg signed [31:0] acc_q;\n  assign acc = {acc_q[31:21], 1'b0, acc_q[19:0]};");
  return { name: `mac_i8_${fault}.v`, text: port.apply(body.apply(readFileSync(fixture('mac_i8.v'), 'utf8'))) };
}

export function macModel(vectorCount: number, latency = 1): TestbenchModel {
  return {
    top: 'mac_i8',
    clock: 'clk',
    reset: { name: 'rst', activeHigh: true, cycles: 2 },
    inputs: [
      { name: 'en', width: 1, signed: false },
      { name: 'clr', width: 1, signed: false },
      { name: 'a', width: 8, signed: true },
      { name: 'b', width: 8, signed: true },
    ],
    outputs: [{ name: 'acc', width: 32, signed: true }],
    latency,
    vectorCount,
  };
}

/** Random MAC vectors and the golden accumulator after each one. */
export function macVectors(count: number, seed = 7): { stimulus: VectorRow[]; expected: VectorRow[] } {
  const next = rng(seed);
  const stimulus: VectorRow[] = [];
  const expected: VectorRow[] = [];
  let acc = 0;
  for (let i = 0; i < count; i++) {
    const r = next();
    const en = (r & 7) !== 0 ? 1 : 0;
    const clr = (r >>> 3) % 29 === 0 ? 1 : 0;
    const a = ((r >>> 8) & 0xff) - 128;
    const b = ((r >>> 16) & 0xff) - 128;
    if (clr) acc = en ? a * b : 0;
    else if (en) acc = (acc + a * b) | 0;
    stimulus.push([BigInt(en), BigInt(clr), BigInt(a), BigInt(b)]);
    expected.push([BigInt(acc)]);
  }
  return { stimulus, expected };
}

export function adderModel(vectorCount: number): TestbenchModel {
  return {
    top: 'add_u16',
    inputs: [
      { name: 'a', width: 16, signed: false },
      { name: 'b', width: 16, signed: false },
    ],
    outputs: [{ name: 'sum', width: 17, signed: false }],
    latency: 0,
    vectorCount,
  };
}

export function adderVectors(count: number, seed = 3): { stimulus: VectorRow[]; expected: VectorRow[] } {
  const next = rng(seed);
  const stimulus: VectorRow[] = [];
  const expected: VectorRow[] = [];
  for (let i = 0; i < count; i++) {
    const a = next() & 0xffff;
    const b = next() & 0xffff;
    stimulus.push([BigInt(a), BigInt(b)]);
    expected.push([BigInt(a + b)]);
  }
  return { stimulus, expected };
}

export const WIDE_WIDTHS = [1, 33, 64, 65, 130] as const;

export function wideModel(vectorCount: number): TestbenchModel {
  const ports = (prefix: string, signed: boolean): Port[] => WIDE_WIDTHS.map((w) => ({ name: `${prefix}${w}`, width: w, signed }));
  return { top: 'passthrough_wide', clock: 'clk', inputs: ports('i', true), outputs: ports('o', true), latency: 1, vectorCount };
}

/** Extreme and random values per width (signed), including -2^(w-1), -1, 0 and 2^(w-1)-1. */
export function wideVectors(count: number, seed = 11): VectorRow[] {
  const next = rng(seed);
  const rows: VectorRow[] = [];
  for (let i = 0; i < count; i++) {
    rows.push(
      WIDE_WIDTHS.map((w) => {
        const min = -(1n << BigInt(w - 1));
        const edges = [min, -1n, 0n, -min - 1n];
        const edge = edges[i % 4];
        if (i < 8 && edge !== undefined) return edge;
        let raw = 0n;
        for (let k = 0; k < w; k += 32) raw = (raw << 32n) | BigInt(next());
        return BigInt.asIntN(w, raw);
      }),
    );
  }
  return rows;
}
