/**
 * Runs a sweep: enumerate the points, keep this shard's slice, answer what the cache knows, run
 * the rest `jobs` at a time, mark the Pareto fronts and write points.json, points.csv and
 * report.html. Also merges the outputs of several runs (shards) into one.
 */
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { digitsWorkload } from './digits.ts';
import { loadOnnxWorkload } from './onnx-workload.ts';
import { pointKey, readCached, sourceHash, toolVersions, writeCached } from './cache.ts';
import { enumeratePoints, runPoint, type PointResult, type PointSpec } from './point.ts';
import { OUTPUT_FILES, withPareto, writeOutputs } from './report.ts';
import { checkOutputDir } from '../cli/output-dir.ts';
import type { Sweep } from './sweep.ts';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export interface ExploreOptions {
  readonly outDir: string;
  readonly jobs?: number;
  readonly shard?: Shard;
  readonly only?: string;
  readonly cache?: boolean;
  /** The quick flow (built-in simulator, no synthesis): see `Flow`. */
  readonly quick?: boolean;
  /** Limit per tool run (yosys, nextpnr, Verilator build), minutes. */
  readonly toolTimeoutMin?: number;
  readonly onProgress?: (line: string) => void;
  /** Overwrite report files npugen did not write (or that were edited) in `outDir`. */
  readonly force?: boolean;
}

export interface ExploreResult {
  readonly points: readonly PointResult[];
  readonly computed: number;
  readonly cached: number;
  /** Summed over points (a point's phases run in sequence; points run `jobs` at a time). */
  readonly phaseMs: Readonly<Record<string, number>>;
  readonly wallMs: number;
}

/** Point i (0-based, in enumeration order) belongs to shard (i mod count) + 1. */
export function shardOf(points: readonly PointSpec[], shard: Shard | undefined): PointSpec[] {
  return shard ? points.filter((_, i) => i % shard.count === shard.index - 1) : [...points];
}

export async function runExplore(sweep: Sweep, opts: ExploreOptions): Promise<ExploreResult> {
  const t0 = performance.now();
  const outDir = resolve(opts.outDir);
  const output = { flag: `-o ${opts.outDir}`, force: opts.force === true, inputs: [sweep.file, ...(sweep.onnx ? [sweep.onnx.model, sweep.onnx.eval, sweep.onnx.labels] : [])] };
  // Refused now, not after the sweep: a directory holding report files npugen did not write.
  await checkOutputDir(outDir, OUTPUT_FILES, output);
  const cacheDir = join(outDir, 'cache');
  const onnx = sweep.onnx ? await loadOnnxWorkload(sweep.onnx) : undefined;
  if (onnx) opts.onProgress?.(`${onnx.name}: golden accuracy ${(onnx.accuracy * 100).toFixed(1)}% on ${onnx.labels.length} eval rows; onnxruntime ${onnx.onnxruntimeAgrees ? 'agrees bit for bit' : `DISAGREES (${onnx.onnxruntimeNote ?? ''})`}`);
  let specs = shardOf(enumeratePoints(sweep, opts.quick === true ? 'quick' : 'full', onnx), opts.shard);
  if (opts.only !== undefined) specs = specs.filter((p) => p.id === opts.only);
  const jobs = Math.max(1, opts.jobs ?? cpus().length);
  const results = new Map<string, PointResult>();
  const todo: PointSpec[] = [];
  for (const s of specs) {
    const hit = opts.cache === false ? undefined : await readCached(cacheDir, pointKey(s));
    if (hit) results.set(s.id, hit);
    else todo.push(s);
  }
  // QAT points run after the PTQ ones: a QAT point's tile is its PTQ twin's, whose synthesis and
  // place and route it then finds done (explore/hardware.ts) instead of waiting beside it.
  todo.sort((a, b) => Number(a.qat === 'on') - Number(b.qat === 'on'));
  const cached = results.size;
  opts.onProgress?.(`${specs.length} points: ${cached} cached, ${todo.length} to run, ${jobs} at a time`);
  const phaseMs: Record<string, number> = {};
  if (todo.length > 0 && !onnx) {
    const tw = performance.now();
    digitsWorkload();
    phaseMs['train (once)'] = Math.round(performance.now() - tw);
  }
  let done = 0;
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const s = todo[next++]!;
      const r = await runPoint(s, {
        runDir: join(outDir, 'runs', s.id), sweepFile: sweep.file, outDir: opts.outDir,
        ...(opts.toolTimeoutMin !== undefined ? { toolTimeoutMs: opts.toolTimeoutMin * 60_000 } : {}),
      });
      await writeCached(cacheDir, pointKey(s), r);
      results.set(s.id, r);
      done++;
      const per = (performance.now() - started) / done;
      const eta = Math.round((per * (todo.length - done)) / 1000);
      opts.onProgress?.(`[${done}/${todo.length}] ${s.id}: accuracy ${(r.accuracy * 100).toFixed(1)}%, ${r.flow === 'quick' ? `built-in simulator ${r.simVerified ? 'ok' : 'MISMATCH'}` : `RTL ${r.rtlVerified ? 'ok' : 'MISMATCH'}, gate level ${r.gateLevelVerified ? 'ok' : 'FAIL'}`}; ETA ${Math.floor(eta / 60)}m${String(eta % 60).padStart(2, '0')}s`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, todo.length) }, worker));
  const points = withPareto(specs.map((s) => results.get(s.id)!));
  for (const p of points) for (const [k, v] of Object.entries(p.phaseMs)) if (k !== 'train') phaseMs[k] = (phaseMs[k] ?? 0) + v;
  const wallMs = Math.round(performance.now() - t0);
  await writeOutputs(outDir, points, metaOf(sweep.file, opts.shard, points, { wallMs, phaseMs, computed: todo.length, cached }), output);
  return { points, computed: todo.length, cached, phaseMs, wallMs };
}

function metaOf(sweepFile: string, shard: Shard | undefined, points: readonly PointResult[], extra: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    sweep: sweepFile, ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
    floatAccuracy: points[0]?.floatAccuracy ?? null, source: sourceHash().slice(0, 12), tools: toolVersions(), ...extra,
  };
}

/** Reads each DIR/points.json, keeps the first result per point id, puts them in sweep order, re-marks the fronts. */
export async function mergeExplore(dirs: readonly string[], outDir: string, force = false): Promise<PointResult[]> {
  // The shards' points.json are this run's inputs: never overwritten (merge into a new directory).
  const output = { flag: `-o ${outDir}`, force, inputs: dirs.map((d) => join(d, 'points.json')) };
  await checkOutputDir(outDir, OUTPUT_FILES, output);
  const byId = new Map<string, PointResult>();
  for (const d of dirs) {
    const pts = JSON.parse(await readFile(join(d, 'points.json'), 'utf8')) as PointResult[];
    for (const p of pts) if (!byId.has(p.id)) byId.set(p.id, p);
  }
  const points = withPareto([...byId.values()].sort((a, b) => a.index - b.index || a.id.localeCompare(b.id)));
  await writeOutputs(outDir, points, { mergedFrom: dirs.join(', '), source: sourceHash().slice(0, 12), tools: toolVersions() }, output);
  return points;
}
