/**
 * Issue #6 QoR: yosys `synth_ice40` (no DSP) LUT / carry / FF counts of the float generators:
 * the fp8 and bf16 multipliers and the fp8 / bf16 MACs into fp32.
 *
 *   npx tsx bench/float-qor.ts [--only NAME] [--json out.json]
 *
 * Numbers depend on the yosys version and on nothing else (no seeds); the machine load is
 * printed only because the synthesis times are.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { GENERATORS } from '../dsl/npu/registry.ts';
import { emitVerilog } from '../generators/verilog/emit.ts';
import { synthesize } from '../sim/synth.ts';
import { argValue, loadLine, table } from './lib/util.ts';

interface Case {
  readonly name: string;
  readonly generator: string;
  readonly params: Readonly<Record<string, unknown>>;
}

const CASES: readonly Case[] = [
  { name: 'fp_mul_e4m3', generator: 'fp_mul', params: { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3', subnormals: 'ieee' } },
  { name: 'fp_mul_e4m3_flush', generator: 'fp_mul', params: { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3', subnormals: 'flush' } },
  { name: 'fp_mul_e5m2', generator: 'fp_mul', params: { a: 'fp8_e5m2', b: 'fp8_e5m2', out: 'fp8_e5m2', subnormals: 'ieee' } },
  { name: 'fp_mul_bf16', generator: 'fp_mul', params: { a: 'bf16', b: 'bf16', out: 'bf16', subnormals: 'ieee' } },
  { name: 'fp_mac_e4m3_fp32', generator: 'fp_mac', params: { a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp32', fused: true, subnormals: 'ieee' } },
  { name: 'fp_mac_bf16_fp32', generator: 'fp_mac', params: { a: 'bf16', b: 'bf16', accumulator: 'fp32', fused: true, subnormals: 'ieee' } },
];

function build(c: Case) {
  const g = GENERATORS[c.generator]!;
  const params: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(g.params)) {
    const v = k in c.params ? spec.parse(c.params[k]) : spec.default;
    if (typeof v === 'object' && v !== null && 'error' in v) throw new Error(`${c.name}: param ${k}: ${(v as { error: string }).error}`);
    params[k] = v;
  }
  return g.build(c.name, params as never);
}

const only = argValue('only', '');
const jsonOut = argValue('json', '');
const rows: string[][] = [];
const results: Record<string, unknown>[] = [];
console.log(loadLine());
for (const c of CASES.filter((x) => only === '' || x.name === only)) {
  const design = build(c);
  const r = await synthesize({ files: emitVerilog(design), top: c.name, target: 'ice40', dsp: false, runDir: join(tmpdir(), 'npugen-float-qor', c.name) });
  rows.push([c.name, String(r.resources.lut), String(r.resources.carry), String(r.resources.ff), `${(r.durationMs / 1000).toFixed(1)} s`]);
  results.push({ name: c.name, generator: c.generator, params: c.params, resources: r.resources });
  console.log(`${c.name}: ${r.resources.lut} LUT4, ${r.resources.carry} SB_CARRY, ${r.resources.ff} FF`);
}
console.log(table(['design', 'LUT4', 'SB_CARRY', 'FF', 'synth time'], rows));
if (jsonOut !== '') await writeFile(jsonOut, JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
