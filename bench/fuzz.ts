/**
 * Fuzz campaign (issue 16, item 6): random designs (mixed widths up to 128 bits, signedness,
 * every DSL op, registers with and without reset/enable, a level of submodules under each
 * design and the batch top above) on the built-in simulator (reference), the built-in
 * simulator of the lowered IR, Icarus and Verilator; `--batch` designs share one simulator
 * build, so 10^4 designs are ~20 Verilator builds instead of 10^4. Then random parameters of
 * every generator in the catalog against its golden model. Failures are minimized (delta
 * debugging on the IR; parameter shrinking) and written as replayable case files.
 *
 *   npx tsx bench/fuzz.ts [--designs 10000] [--batch 500] [--cycles 64] [--seed 1]
 *       [--sims lowered,icarus,verilator] [--max-width 128] [--submodules 1]
 *       [--params 20] [--param-sims builtin] [--shard i/n] [--first-batch k] [--junit FILE] [--cases DIR]
 *       [--json bench/results/fuzz.json] [--minimize-budget 200] [--timeout-min 60]
 *   npx tsx bench/fuzz.ts --replay CASE.json      re-run a case file; exit 1 while it still fails
 *
 * A slice runs in the tests (test/bench/fuzz.test.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir } from '../sim/build-cache.ts';
import type { SimChoice } from '../sim/cosim/verify.ts';
import { argValue, hasFlag, loadLine, machineLoad } from './lib/util.ts';
import { parseShard, runDagCampaign, runParamCampaign } from './lib/fuzz/campaign.ts';
import { readCase, replayCase } from './lib/fuzz/case-file.ts';
import { formatFuzzJunit } from './lib/fuzz/junit.ts';
import type { FuzzSimulator } from './lib/fuzz/dag-batch.ts';

const num = (name: string, dflt: string): number => {
  const n = Number(argValue(name, dflt));
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
};

async function main(): Promise<number> {
  const runRoot = await mkdtemp(join(tmpdir(), 'npugen-fuzz-'));
  const cacheDir = argValue('cache-dir', defaultCacheDir());
  try {
    const replay = argValue('replay', '');
    if (replay !== '') {
      const c = await readCase(replay);
      const r = await replayCase(c, join(runRoot, 'replay'), cacheDir);
      console.log(`${replay}: ${c.simulator}, ${c.nodes.minimized} IR nodes (from ${c.nodes.original}); ${r.differingCycles} of ${c.cycles} cycles differ${r.first ? `; first: ${r.first}` : ''}`);
      return r.differingCycles > 0 ? 1 : 0;
    }
    const shard = parseShard(argValue('shard', '1/1'));
    const caseDir = argValue('cases', 'bench/results/fuzz-cases');
    const seed = num('seed', '1');
    const started = performance.now();
    const loadBefore = machineLoad();
    console.log(`fuzz: shard ${shard.index}/${shard.count}, ${loadLine()}`);
    const json = argValue('json', '');
    const lines: string[] = [];
    // Partial writes are chained and awaited before the final one: a write left in flight could
    // land after the final JSON and leave a file mixing both.
    let partialWrites = Promise.resolve();
    const dag = await runDagCampaign({
      designs: num('designs', '10000'), batch: Math.max(1, num('batch', '500')), cycles: num('cycles', '64'), seed,
      simulators: argValue('sims', 'lowered,icarus,verilator').split(',').filter((s) => s !== '') as FuzzSimulator[],
      maxWidth: num('max-width', '128'), submodules: num('submodules', '1'), shard, firstBatch: num('first-batch', '0'), runRoot, cacheDir, caseDir,
      minimizeBudget: num('minimize-budget', '200'), timeoutMs: num('timeout-min', '60') * 60_000,
      onBatch: (done, total, line) => {
        console.log(`  [${done}/${total}] ${line}`);
        lines.push(line);
        // Written after every batch, so a long campaign stopped early still leaves its figures.
        const partial = `${JSON.stringify({ partial: true, command: commandLine(), batches: lines, elapsedSeconds: Math.round((performance.now() - started) / 1000), machine: machineLoad() }, null, 1)}\n`;
        if (json !== '') partialWrites = partialWrites.then(() => writeFile(json, partial));
      },
    });
    await partialWrites;
    const dagSecs = (performance.now() - started) / 1000;
    console.log(`random designs: ${dag.designs} designs (${dag.nodes} IR nodes), ${dag.failing} failing ${JSON.stringify(dag.bySimulator)}, ${dag.batchErrors.length} batch errors, ${dagSecs.toFixed(0)} s`);
    const pStarted = performance.now();
    const params = await runParamCampaign({
      samples: num('params', '20'), seed, vectors: num('param-vectors', '200'),
      simulators: argValue('param-sims', 'builtin').split(',') as SimChoice[], maxNodes: num('max-nodes', '20000'), shard, caseDir,
    });
    const paramSecs = (performance.now() - pStarted) / 1000;
    for (const [g, t] of Object.entries(params.tally)) console.log(`  ${g.padEnd(16)} ${Object.entries(t).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const f of params.findings) console.log(`  FINDING ${f.generator} ${f.status} ${JSON.stringify(f.params)}: ${f.detail} -> ${f.file}`);
    console.log(`generator params: ${params.junit.length} samples, ${params.findings.length} findings, ${paramSecs.toFixed(0)} s`);
    const junit = argValue('junit', '');
    if (junit !== '') await writeFile(junit, formatFuzzJunit('npugen fuzz', [...dag.junit, ...params.junit]));
    if (json !== '') {
      await writeFile(json, `${JSON.stringify({
        command: commandLine(), date: new Date().toISOString(),
        machine: { before: loadBefore, after: machineLoad() },
        batches: lines,
        batchErrors: dag.batchErrors,
        designs: { count: dag.designs, irNodes: dag.nodes, failing: dag.failing, bySimulator: dag.bySimulator, cases: dag.cases, seconds: Math.round(dagSecs), phaseSeconds: Object.fromEntries(Object.entries(dag.timingsMs).map(([k, v]) => [k, Math.round(v / 1000)])) },
        params: { tally: params.tally, findings: params.findings, seconds: Math.round(paramSecs) },
      }, null, 1)}\n`);
    }
    return dag.failing > 0 || dag.batchErrors.length > 0 || params.findings.length > 0 ? 1 : 0;
  } finally {
    if (!hasFlag('keep-run')) await rm(runRoot, { recursive: true, force: true });
  }
}

function commandLine(): string {
  return `npx tsx bench/fuzz.ts ${process.argv.slice(2).join(' ')}`;
}

process.exitCode = await main();
