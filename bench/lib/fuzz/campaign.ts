/**
 * The fuzz campaign: batches of random designs across simulators and random generator params
 * against golden models, sharded (`shard i/n` takes batches and samples k with k mod n = i - 1),
 * failures minimized and written as case files, every design and sample a JUnit test case.
 */
import { join } from 'node:path';
import type { Design } from '../../../dsl/ir/nodes.ts';
import { Rng } from '../../../sim/random.ts';
import type { SimChoice } from '../../../sim/cosim/verify.ts';
import { GENERATORS } from '../../../catalog/index.ts';
import { keepInstance, nodeCount, reducibleNodes, replaceWithZero } from './ir-reduce.ts';
import { ddmin } from './ddmin.ts';
import { runCase, writeCase, CASE_KIND, type FuzzCase } from './case-file.ts';
import { batchName, runDagBatch, type FuzzSimulator } from './dag-batch.ts';
import { checkParams, randomParams, shrinkParams } from './param-fuzz.ts';
import type { JunitCase } from './junit.ts';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `i/n` with 1 <= i <= n. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard must be i/n with 1 <= i <= n, got '${text}'`);
  return { index, count };
}

export const inShard = (k: number, s: Shard): boolean => k % s.count === s.index - 1;

export interface DagCampaignOptions {
  readonly designs: number;
  readonly batch: number;
  readonly cycles: number;
  readonly seed: number;
  readonly simulators: readonly FuzzSimulator[];
  readonly maxWidth: number;
  readonly submodules: number;
  readonly shard: Shard;
  /** Batches below this index are skipped (to resume a campaign stopped after a batch). */
  readonly firstBatch?: number;
  readonly runRoot: string;
  readonly cacheDir: string;
  readonly caseDir: string;
  /** Most simulator runs spent minimizing one failure. */
  readonly minimizeBudget: number;
  /** Limit per simulator compile and run (a batch of 1000 designs is a large Verilator build). */
  readonly timeoutMs?: number;
  readonly onBatch?: (done: number, total: number, line: string) => void;
}

export interface DagCampaignResult {
  readonly designs: number;
  readonly failing: number;
  /** Failing designs per simulator. */
  readonly bySimulator: Readonly<Record<string, number>>;
  readonly cases: readonly string[];
  readonly junit: readonly JunitCase[];
  readonly timingsMs: Readonly<Record<string, number>>;
  readonly nodes: number;
  /** Batches that ended in a tool error or timeout (their designs are not counted). */
  readonly batchErrors: readonly string[];
}

/** Runs this shard's batches of the campaign. */
export async function runDagCampaign(o: DagCampaignOptions): Promise<DagCampaignResult> {
  const batches = Math.ceil(o.designs / o.batch);
  const mine = Array.from({ length: batches }, (_, k) => k).filter((k) => k >= (o.firstBatch ?? 0) && inShard(k, o.shard));
  const junit: JunitCase[] = [];
  const bySimulator: Record<string, number> = {};
  const timingsMs: Record<string, number> = {};
  const cases: string[] = [];
  const batchErrors: string[] = [];
  let designs = 0;
  let failing = 0;
  let nodes = 0;
  for (const [done, k] of mine.entries()) {
    const count = Math.min(o.batch, o.designs - k * o.batch);
    const seed = (o.seed + k * 7919) >>> 0;
    const started = performance.now();
    let r;
    try {
      r = await runDagBatch({
        seed, count, cycles: o.cycles, simulators: o.simulators, dag: { maxWidth: o.maxWidth, submodules: o.submodules },
        runRoot: o.runRoot, cacheDir: o.cacheDir, ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
      });
    } catch (e) {
      // A tool error or timeout on a whole batch is a finding of its own; the campaign goes on.
      const first = String((e as Error).message).split('\n')[0]!.slice(0, 300);
      batchErrors.push(`batch ${k} (seed ${seed}): ${first}`);
      junit.push({ suite: 'random-designs', name: `batch ${k} (seed ${seed}, ${count} designs)`, timeSec: (performance.now() - started) / 1000, failures: [first] });
      o.onBatch?.(done + 1, mine.length, `batch ${k} (seed ${seed}): ERROR ${first}`);
      continue;
    }
    const secs = (performance.now() - started) / 1000;
    for (const [phase, ms] of Object.entries(r.timingsMs)) timingsMs[phase] = (timingsMs[phase] ?? 0) + ms;
    nodes += r.nodes;
    designs += r.designs.length;
    for (const d of r.designs) {
      junit.push({ suite: 'random-designs', name: `${d.module} (seed ${seed}, design ${d.index})`, timeSec: secs / r.designs.length, failures: d.failures.map((f) => `${f.simulator}: ${f.detail}`) });
      if (d.failures.length === 0) continue;
      failing++;
      for (const f of d.failures) {
        bySimulator[f.simulator] = (bySimulator[f.simulator] ?? 0) + 1;
        const file = join(o.caseDir, `${batchName(seed)}-d${d.index}-${f.simulator}.json`);
        await minimizeToCase(keepInstance(r.design, d.index), f.simulator, seed, o, f.detail, file);
        cases.push(file);
      }
    }
    o.onBatch?.(done + 1, mine.length, `batch ${k} (seed ${seed}): ${r.designs.length} designs, ${r.designs.filter((d) => d.failures.length > 0).length} failing, ${secs.toFixed(1)} s`);
  }
  return { designs, failing, bySimulator, cases, junit, timingsMs, nodes, batchErrors };
}

/** Delta-debugs `design` (one failing design under the batch top) on `simulator` and writes the case. */
export async function minimizeToCase(design: Design, simulator: FuzzSimulator, seed: number, o: Pick<DagCampaignOptions, 'cycles' | 'runRoot' | 'cacheDir' | 'minimizeBudget'>, detail: string, file: string): Promise<FuzzCase> {
  let trial = 0;
  // A candidate the tools reject is not the same failure: ddmin keeps what it removed.
  const fails = async (d: Design) => {
    try {
      return (await runCase(d, simulator, seed, o.cycles, join(o.runRoot, `minimize-${trial++}`), o.cacheDir)).differingCycles > 0;
    } catch {
      return false;
    }
  };
  const nodes = reducibleNodes(design);
  const stillFails = await fails(design);
  const result = stillFails ? await ddmin(nodes, (removed) => fails(replaceWithZero(design, removed)), o.minimizeBudget) : { removed: [], calls: 1, exhausted: false };
  const minimized = replaceWithZero(design, result.removed);
  const c: FuzzCase = {
    kind: CASE_KIND, version: 1, simulator, seed, cycles: o.cycles,
    detail: `${detail}${stillFails ? '' : ' (did not reproduce alone: kept unminimized)'}${result.exhausted ? ` (minimization stopped after ${result.calls} runs)` : ''}`,
    nodes: { original: nodeCount(design), minimized: nodeCount(minimized) },
    design: minimized,
  };
  await writeCase(file, c);
  return c;
}

export interface ParamCampaignOptions {
  /** Samples per generator. */
  readonly samples: number;
  readonly seed: number;
  readonly vectors: number;
  readonly simulators: readonly SimChoice[];
  readonly maxNodes: number;
  readonly shard: Shard;
  readonly caseDir: string;
  readonly only?: readonly string[];
  readonly onSample?: (line: string) => void;
}

export interface ParamCampaignResult {
  readonly tally: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly findings: readonly { readonly generator: string; readonly status: string; readonly params: Readonly<Record<string, unknown>>; readonly detail: string; readonly file: string }[];
  readonly junit: readonly JunitCase[];
}

export async function runParamCampaign(o: ParamCampaignOptions): Promise<ParamCampaignResult> {
  const tally: Record<string, Record<string, number>> = {};
  const findings: ParamCampaignResult['findings'][number][] = [];
  const junit: JunitCase[] = [];
  const check = { vectors: o.vectors, seed: o.seed, simulators: o.simulators, maxNodes: o.maxNodes };
  let k = 0;
  for (const [name, gen] of GENERATORS) {
    if (o.only && !o.only.includes(name)) continue;
    const rng = new Rng((o.seed ^ hashName(name)) >>> 0);
    const t = (tally[name] = {} as Record<string, number>);
    for (let i = 0; i < o.samples; i++, k++) {
      const params = randomParams(gen, rng);
      if (!inShard(k, o.shard)) continue;
      const started = performance.now();
      const r = await checkParams(name, params, check);
      t[r.status] = (t[r.status] ?? 0) + 1;
      const failures: string[] = [];
      if (r.status === 'fail' || r.status === 'crash') {
        const small = await shrinkParams(name, params, r.status, check);
        const file = join(o.caseDir, `param-${name}-${o.seed}-${i}.json`);
        const { writeFile, mkdir } = await import('node:fs/promises');
        await mkdir(o.caseDir, { recursive: true });
        await writeFile(file, `${JSON.stringify({ kind: 'npugen-param-case', generator: name, params: small, original: params, status: r.status, seed: o.seed, vectors: o.vectors, detail: r.detail }, null, 1)}\n`);
        findings.push({ generator: name, status: r.status, params: small, detail: r.detail.split('\n')[0]!, file });
        failures.push(`${r.status}: ${r.detail}`);
      }
      junit.push({ suite: 'generator-params', name: `${name} ${JSON.stringify(params)}`, timeSec: (performance.now() - started) / 1000, failures, ...(r.status === 'pass' ? {} : r.status === 'fail' || r.status === 'crash' ? {} : { skipped: `${r.status}: ${r.detail ?? ''}` }) });
      o.onSample?.(`${name} #${i}: ${r.status}`);
    }
  }
  return { tally, findings, junit };
}

function hashName(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}
