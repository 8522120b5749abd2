/**
 * `npugen explore SWEEP.yaml -o DIR [--jobs N] [--shard i/n] [--only ID] [--no-cache] [--quick] [--timeout-min M] [--force]` and
 * `npugen explore merge DIR... -o OUT [--force]`: see explore/ and docs/explore.md. The report
 * files go through the safe output path (cli/output-dir.ts; --force over files npugen did not write). Exit 0 when every point
 * ran on RTL bit-exactly and its gate-level netlist passed, 1 otherwise, 2 for bad input.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { loadSweep } from '../../explore/sweep.ts';
import { mergeExplore, runExplore, type Shard } from '../../explore/run.ts';
import { EXIT, UsageError, type CliIo } from '../io.ts';

export async function runExploreCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args[0] === 'merge') return runMerge(args.slice(1), io);
  const { values, positionals } = parseArgs({
    args: [...args], allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      jobs: { type: 'string' },
      shard: { type: 'string' },
      only: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      'timeout-min': { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('explore takes one sweep file: npugen explore SWEEP.yaml -o DIR [--jobs N] [--shard i/n]');
  if (values.out === undefined) throw new UsageError('explore needs -o DIR (where points.json, points.csv and report.html go)');
  const jobs = values.jobs === undefined ? cpus().length : Number(values.jobs);
  if (!Number.isSafeInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be an integer >= 1, got '${values.jobs}'`);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const timeoutMin = values['timeout-min'] === undefined ? undefined : Number(values['timeout-min']);
  if (timeoutMin !== undefined && !(timeoutMin > 0)) throw new UsageError(`--timeout-min must be a number of minutes > 0, got '${values['timeout-min']}'`);
  const sweep = await loadSweep(positionals[0]!);
  const r = await runExplore(sweep, {
    outDir: values.out, jobs, ...(shard ? { shard } : {}), ...(values.only !== undefined ? { only: values.only } : {}),
    cache: !values['no-cache'], quick: values.quick, force: values.force!, ...(timeoutMin !== undefined ? { toolTimeoutMin: timeoutMin } : {}), onProgress: (line) => io.err(`explore: ${line}`),
  });
  if (values.only !== undefined && r.points.length === 0) throw new UsageError(`--only: no point '${values.only}' in ${sweep.file}${shard ? ` (shard ${values.shard})` : ''}`);
  io.out(summary(r.points, r.wallMs, r.phaseMs, values.out));
  return r.points.every((p) => p.onnxruntimeAgrees !== false && (values.quick ? p.simVerified : p.rtlVerified && p.gateLevelVerified)) ? EXIT.ok : EXIT.mismatch;
}

function parseShard(text: string): Shard {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(text);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || i < 1 || i > n) throw new UsageError(`--shard must be i/n with 1 <= i <= n (e.g. 1/2), got '${text}'`);
  return { index: i, count: n };
}

async function runMerge(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { out: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false } } });
  if (positionals.length < 1 || values.out === undefined) throw new UsageError('explore merge takes result directories and -o OUT: npugen explore merge DIR... -o OUT');
  let points;
  try {
    points = await mergeExplore(positionals, values.out, values.force!);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || e instanceof SyntaxError) throw new UsageError(`explore merge: cannot read points.json: ${(e as Error).message}`);
    throw e;
  }
  io.out(`merged ${points.length} points from ${positionals.length} directories into ${values.out}`);
  return points.every((p) => p.onnxruntimeAgrees !== false && (p.flow === 'quick' ? p.simVerified : p.rtlVerified && p.gateLevelVerified)) ? EXIT.ok : EXIT.mismatch;
}

function summary(points: readonly { id: string; flow: string; accuracy: number; luts: number | null; fmaxMHz: number | null; cycles: number; energyPj: { table: number }; rtlVerified: boolean; simVerified: boolean; gateLevelVerified: boolean }[], wallMs: number, phaseMs: Readonly<Record<string, number>>, out: string): string {
  const lines = [`${'point'.padEnd(24)}${'accuracy'.padStart(9)}${'LUT'.padStart(7)}${'Fmax'.padStart(8)}${'cycles'.padStart(9)}${'pJ'.padStart(9)}  RTL  gate`];
  for (const p of points) {
    lines.push(`${p.id.padEnd(24)}${`${(p.accuracy * 100).toFixed(1)}%`.padStart(9)}${String(p.luts ?? '-').padStart(7)}${(p.fmaxMHz === null ? '-' : p.fmaxMHz.toFixed(1)).padStart(8)}${p.cycles.toFixed(1).padStart(9)}${p.energyPj.table.toFixed(0).padStart(9)}  ${p.flow === 'quick' ? `${p.simVerified ? 'ok (built-in)' : 'BAD (built-in)'}  -` : `${p.rtlVerified ? 'ok ' : 'BAD'}  ${p.gateLevelVerified ? 'ok' : 'FAIL'}`}`);
  }
  const phases = Object.entries(phaseMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ');
  lines.push('', `wall ${(wallMs / 1000).toFixed(1)} s; phases (summed over points): ${phases}`, `wrote ${out}/points.json, points.csv, report.html`);
  return lines.join('\n');
}
