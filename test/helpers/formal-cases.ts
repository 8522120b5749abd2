/**
 * The formal equivalence cases shared by test/sim/formal/prove.test.ts and bench/formal.ts: each
 * a proof that must succeed and a planted fault that the solver must refute.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadDesign, loadYamlDesign } from '../../cli/design-file.ts';
import { buildDelayed } from '../../dsl/npu/delayed.ts';
import type { Design } from '../../dsl/ir/nodes.ts';
import { emitVerilog } from '../../generators/verilog/emit.ts';
import type { EquivMethod } from '../../sim/backends/yosys.ts';
import type { RtlSide } from '../../sim/formal/prove.ts';
import { replaceOnce } from './faults.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const fixture = (f: string): RtlSide['files'][number] => ({ fileName: path.basename(f), text: readFileSync(path.join(ROOT, 'test/fixtures', f), 'utf8') });
const rtl = (d: Design): RtlSide => ({ files: emitVerilog(d).map((f) => ({ fileName: f.fileName, text: f.text })), top: d.top });
const fpMul = (name: string, params: string) => loadYamlDesign(`${name}.yaml`, `generator: fp_mul\nname: ${name}\nparams: { ${params} }\n`).design;

/** Applies a planted fault to the one file of `side` that the pattern matches. */
function planted(side: RtlSide, name: string, pattern: RegExp, replace: () => string): RtlSide {
  const fault = replaceOnce(name, pattern, replace);
  return { ...side, files: side.files.map((f) => (pattern.test(f.text) ? { ...f, text: fault.apply(f.text) } : f)) };
}

export interface FormalCase {
  readonly name: string;
  readonly gold: RtlSide;
  readonly gate: RtlSide;
  readonly method: EquivMethod;
  /** gold with a planted fault: the proof must fail. */
  readonly faulty: RtlSide;
}

/** mac_i8 against the hand-written MAC of the CLI tests; fault: the product zero-extended. */
export async function macCase(): Promise<FormalCase> {
  const gold: RtlSide = { files: [fixture('mac_i8_good.v')], top: 'mac_i8' };
  return {
    name: 'mac_i8 = hand-written MAC (k-induction)',
    gold,
    gate: rtl((await loadDesign(path.join(ROOT, 'examples/mac_i8.yaml'))).design),
    method: { kind: 'induction', maxSteps: 4 },
    faulty: planted(gold, 'product zero-extended', /\{\{16\{p\[15\]\}\}, p\}/, () => "{16'd0, p}"),
  };
}

/** fp_mul e4m3 against the hand-written E4M3 multiplier; fault: rounding toward zero. */
export function fp8MulCase(): FormalCase {
  const gold: RtlSide = { files: [fixture('formal/ref_fp8_e4m3_mul.v')], top: 'ref_fp8_e4m3_mul' };
  return {
    name: 'fp_mul e4m3 = hand-written E4M3 multiplier (combinational)',
    gold,
    gate: rtl(fpMul('fp_mul_e4m3', 'a: fp8_e4m3, b: fp8_e4m3, out: fp8_e4m3, subnormals: ieee')),
    method: { kind: 'combinational' },
    faulty: planted(gold, 'round toward zero', /if \(rem > half \|\| \(rem == half && n\[0\]\)\) n = n \+ 1;/, () => ''),
  };
}

/** fp_mul with 2 pipeline stages against the combinational one delayed by 2; fault: delayed by 1. */
export function pipelinedMulCase(format: 'fp8_e4m3' | 'bf16'): FormalCase {
  const params = (stages: number) => `a: ${format}, b: ${format}, out: ${format}, subnormals: ieee, pipeline_stages: ${stages}`;
  const comb = fpMul(`mul_${format}_p0`, params(0));
  return {
    name: `fp_mul ${format} pipeline_stages 2 = pipeline_stages 0 delayed by 2`,
    gold: rtl(buildDelayed(`mul_${format}_p0_d2`, comb, 2)),
    gate: rtl(fpMul(`mul_${format}_p2`, params(2))),
    method: { kind: 'pipeline', latency: 2 },
    faulty: rtl(buildDelayed(`mul_${format}_p0_d1`, comb, 1)),
  };
}

export async function formalCases(): Promise<FormalCase[]> {
  return [await macCase(), fp8MulCase(), pipelinedMulCase('fp8_e4m3'), pipelinedMulCase('bf16')];
}
