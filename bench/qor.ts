/**
 * Issue #5: quality of results of npugen's RTL against hand-written Verilog of the same
 * function (bench/reference/*.v): yosys `synth_ice40` (no DSP) and generic `synth -lut 4`
 * LUT/FF/DSP counts, nextpnr-ice40 Fmax (HX8K CT256, serial-IO shell, one seed) when installed.
 *
 *   npx tsx bench/qor.ts [--only NAME] [--vectors 300] [--seed 1] [--no-pnr]
 *     [--seeds 1-5] (nextpnr placement seeds, a list or a range: one synthesis, one placement per
 *     seed; Fmax is their mean, the median and each seed's are in the JSON)
 *     [--rtl-dir DIR] (the generated side is DIR/<case>/*.v except *_tb.v instead of this
 *     checkout's RTL, e.g. `npugen gen` output of an older commit, verified against this checkout's
 *     model first) [--no-reference] (skip the hand-written side) [--json FILE]
 *     [--reorder rev|shuf<N>] (the generated RTL's continuous assignments reversed or shuffled:
 *     the same logic in another order, bench/lib/reorder-verilog.ts)
 *
 * Every reference is first verified against npugen's golden model on Icarus with the same
 * testbench flow as the generated RTL (`verifyDesign(..., { rtlFiles })`); a reference that fails
 * is reported and not used. Targets: generated LUTs <= 1.1x reference, Fmax >= 0.95x.
 * Writes bench/results/qor.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadYamlDesign } from '../cli/design-file.ts';
import { emitVerilog } from '../generators/verilog/emit.ts';
import { verifyDesign } from '../sim/cosim/verify.ts';
import { testbenchModelOf } from '../sim/cosim/ir-testbench.ts';
import { fmaxIce40Seeds, synthCounts, type Counts, type FmaxResult, type FmaxSeeds, type ShellPorts } from './lib/qor-tools.ts';
import { sourceState } from './lib/source-state.ts';
import { isReorderMode, reorderVerilog } from './lib/reorder-verilog.ts';
import { argValue, fmt, hasFlag, loadLine, machineLoad, parseSeeds, rtlFrom, table } from './lib/util.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REF = join(HERE, 'reference');

interface Case {
  readonly name: string;
  readonly yaml: string;
  readonly reference: readonly string[];
}

const CASES: readonly Case[] = [
  { name: 'mac_i8', yaml: 'generator: mac\nname: mac_i8\nparams: { a: int8, b: int8, accumulator: int32, overflow: wrap }\n', reference: ['mac_i8.v'] },
  { name: 'dot_i8x16_p1', yaml: 'generator: dot\nname: dot_i8x16_p1\nparams: { lanes: 16, a: int8, b: int8, accumulator: auto, pipeline_stages: 1 }\n', reference: ['dot_i8x16_p1.v'] },
  { name: 'systolic_os_4x4', yaml: 'generator: systolic_array\nname: systolic_os_4x4\nparams: { rows: 4, cols: 4, dataflow: output_stationary, a: int8, b: int8, accumulator: int32 }\n', reference: ['systolic_os_4x4.v', 'ref_os_array.v'] },
  { name: 'systolic_os_8x8', yaml: 'generator: systolic_array\nname: systolic_os_8x8\nparams: { rows: 8, cols: 8, dataflow: output_stationary, a: int8, b: int8, accumulator: int32 }\n', reference: ['systolic_os_8x8.v', 'ref_os_array.v'] },
];

interface Side {
  readonly verified: boolean;
  readonly verifyDetail: string;
  readonly ice40?: Counts;
  readonly generic?: Counts;
  /** Fmax: the mean over the seeds. */
  readonly fmax?: FmaxResult;
  readonly fmaxSeeds?: FmaxSeeds;
}

interface Result {
  readonly design: string;
  readonly generated: Side;
  readonly reference: Side;
  readonly lutRatioIce40?: number;
  readonly lutRatioGeneric?: number;
  readonly fmaxRatio?: number;
}

async function main(): Promise<void> {
  const source = sourceState();
  const only = argValue('only', '');
  const vectors = Number(argValue('vectors', '300'));
  const seed = Number(argValue('seed', '1'));
  const seeds = parseSeeds(argValue('seeds', String(seed)));
  const rtlDir = argValue('rtl-dir', '');
  const withReference = !hasFlag('no-reference');
  const reorder = argValue('reorder', '');
  if (reorder !== '' && !isReorderMode(reorder)) throw new Error(`--reorder ${reorder}: expected rev or shuf<N> (e.g. shuf1)`);
  const pnr = !hasFlag('no-pnr');
  const out = argValue('json', join(HERE, 'results', 'qor.json'));
  const base = await mkdtemp(join(tmpdir(), 'npugen-qor-'));
  const loadBefore = machineLoad();
  const results: Result[] = [];
  for (const c of CASES.filter((x) => only === '' || x.name.includes(only))) {
    process.stderr.write(`[${c.name}] ${loadLine()}\n`);
    const loaded = loadYamlDesign(`${c.name}.yaml`, c.yaml);
    const model = loaded.model;
    const tb = testbenchModelOf(loaded.design, 1, model.latency);
    const dir = join(base, c.name);
    const genDir = join(dir, 'gen');
    await mkdir(genDir, { recursive: true });
    const genFiles: string[] = [];
    const genRtl = rtlDir !== '' ? await rtlFrom(rtlDir, c.name) : emitVerilog(loaded.design);
    for (const f of genRtl) {
      await writeFile(join(genDir, f.fileName), reorder !== '' && isReorderMode(reorder) ? reorderVerilog(f.text, reorder) : f.text);
      genFiles.push(join(genDir, f.fileName));
    }
    const refFiles = c.reference.map((f) => resolve(REF, f));
    const ports: ShellPorts = {
      top: tb.top, clock: tb.clock!, ...(tb.reset ? { reset: tb.reset.name } : {}),
      inputs: model.inputs, outputs: model.outputs,
    };
    const side = async (label: 'gen' | 'ref', files: readonly string[]): Promise<Side> => {
      process.stderr.write(`[${c.name}] ${label}: verify on icarus (${vectors} random vectors + corners)\n`);
      const v = await verifyDesign(loaded.design, {
        model, simulators: ['icarus'], vectors, seed, corners: true,
        ...(label === 'ref' || rtlDir !== '' || reorder !== '' ? { rtlFiles: files } : {}),
        runDirFor: () => join(dir, `verify-${label}`),
      });
      const o = v.outcomes[0]!;
      const verifyDetail = `${o.counts.checked} checked, ${o.counts.mismatches} mismatches`;
      if (!v.passed) return { verified: false, verifyDetail };
      process.stderr.write(`[${c.name}] ${label}: synth_ice40, synth -lut 4${pnr ? ', nextpnr' : ''}\n`);
      const ice40 = await synthCounts(join(dir, `${label}-ice40`), files, tb.top, 'ice40');
      const generic = await synthCounts(join(dir, `${label}-generic`), files, tb.top, 'generic');
      if (!pnr) return { verified: true, verifyDetail, ice40, generic, fmax: { note: 'skipped (--no-pnr)' } };
      const fs = await fmaxIce40Seeds(join(dir, `${label}-pnr`), files, ports, seeds);
      const fmax: FmaxResult = fs.meanMhz !== undefined ? { mhz: fs.meanMhz } : fs.perSeed[0]!;
      return { verified: true, verifyDetail, ice40, generic, fmax, ...(seeds.length > 1 ? { fmaxSeeds: fs } : {}) };
    };
    const generated = await side('gen', genFiles);
    const reference = withReference ? await side('ref', refFiles) : { verified: false, verifyDetail: 'skipped (--no-reference)' };
    const ratio = (g?: number, r?: number): number | undefined => (g !== undefined && r !== undefined && r > 0 && reference.verified ? g / r : undefined);
    const r: Result = {
      design: c.name, generated, reference,
      ...(ratio(generated.ice40?.lut, reference.ice40?.lut) !== undefined ? { lutRatioIce40: ratio(generated.ice40?.lut, reference.ice40?.lut)! } : {}),
      ...(ratio(generated.generic?.lut, reference.generic?.lut) !== undefined ? { lutRatioGeneric: ratio(generated.generic?.lut, reference.generic?.lut)! } : {}),
      ...(ratio(generated.fmax?.mhz, reference.fmax?.mhz) !== undefined ? { fmaxRatio: ratio(generated.fmax?.mhz, reference.fmax?.mhz)! } : {}),
    };
    results.push(r);
    process.stderr.write(`[${c.name}] ${JSON.stringify({ gen: [generated.ice40?.lut, generated.ice40?.ff, generated.fmax], ref: [reference.ice40?.lut, reference.ice40?.ff, reference.fmax, reference.verifyDetail] })}\n`);
  }
  const loadAfter = machineLoad();
  await rm(base, { recursive: true, force: true });

  const n = (x?: number): string => (x === undefined ? '-' : String(x));
  const mhz = (f?: FmaxResult): string => (f?.mhz !== undefined ? fmt(f.mhz, 1) : 'n/a');
  const flag = (x: number | undefined, ok: (v: number) => boolean): string => (x === undefined ? '-' : `${fmt(x)}${ok(x) ? '' : ' MISS'}`);
  process.stdout.write(`\nQoR: npugen-generated vs hand-written reference (Yosys 0.23; nextpnr-ice40 HX8K CT256, ${seeds.length > 1 ? `mean Fmax of seeds ${seeds.join(',')}` : `seed ${seeds[0]}`})\n`);
  process.stdout.write(`RTL from ${rtlDir !== '' ? `${rtlDir} (models from ${source.commit.slice(0, 10)})` : source.commit.slice(0, 10)}${source.dirty.length > 0 ? ` + uncommitted: ${source.dirty.join(', ')}` : ''}\n`);
  process.stdout.write(`load before: ${loadBefore.loadavg.join(' / ')}; after: ${loadAfter.loadavg.join(' / ')} (1/5/15 min, ${loadAfter.cores} cores)\n\n`);
  process.stdout.write(`${table(
    ['design', 'ref verified', 'ice40 LUT gen/ref', 'ratio (<=1.1)', 'FF gen/ref', 'DSP gen/ref', 'CARRY gen/ref', 'generic LUT gen/ref', 'ratio', 'gen FF', 'Fmax MHz gen/ref', 'ratio (>=0.95)'],
    results.map((r) => [
      r.design, r.reference.verified ? 'yes' : withReference ? `NO (${r.reference.verifyDetail})` : 'skipped',
      `${n(r.generated.ice40?.lut)}/${n(r.reference.ice40?.lut)}`, flag(r.lutRatioIce40, (v) => v <= 1.1),
      `${n(r.generated.ice40?.ff)}/${n(r.reference.ice40?.ff)}`, `${n(r.generated.ice40?.dsp)}/${n(r.reference.ice40?.dsp)}`,
      `${n(r.generated.ice40?.carry)}/${n(r.reference.ice40?.carry)}`,
      `${n(r.generated.generic?.lut)}/${n(r.reference.generic?.lut)}`, flag(r.lutRatioGeneric, (v) => v <= 1.1),
      `${n(r.generated.generic?.ff)}/${n(r.reference.generic?.ff)}`,
      `${mhz(r.generated.fmax)}/${mhz(r.reference.fmax)}`, flag(r.fmaxRatio, (v) => v >= 0.95),
    ]),
  )}\n`);
  for (const r of results) for (const [label, s] of [['generated', r.generated], ['reference', r.reference]] as const) {
    if (s.fmax?.note !== undefined) process.stdout.write(`note: ${r.design} ${label}: ${s.fmax.note}\n`);
    if (s.fmaxSeeds?.meanMhz !== undefined) process.stdout.write(`${r.design} ${label}: Fmax mean ${fmt(s.fmaxSeeds.meanMhz)} / median ${fmt(s.fmaxSeeds.medianMhz!)} MHz (seeds ${s.fmaxSeeds.perSeed.map((x, i) => `${seeds[i]}: ${x.mhz ?? x.note}`).join(', ')})\n`);
  }
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), source, tools: { yosys: '0.23', nextpnr: 'nextpnr-ice40 0.4 --hx8k --package ct256' }, seeds, ...(rtlDir !== '' ? { rtlDir } : {}), ...(reorder !== '' ? { reorder } : {}), vectors, loadBefore, loadAfter, results }, null, 2)}\n`);
  process.stdout.write(`written ${out}\n`);
}

await main();
