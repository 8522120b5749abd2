/**
 * The explorer's outputs: points.json (one object per point), points.csv, and report.html, a
 * self-contained page (Observable Plot and d3 inlined from node_modules; no network) with the
 * Pareto fronts of accuracy against LUTs, table energy and latency, a sortable table and each
 * point's reproduce commands.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { writeOutputDir, type WriteOutputOptions } from '../cli/output-dir.ts';
import type { PointResult } from './point.ts';

type Axis = 'luts' | 'energy' | 'latency';

/** How the report files are written (`force`: over files npugen did not write; `inputs`: never over these). */
export type OutputOptions = Pick<WriteOutputOptions, 'flag' | 'force' | 'inputs'>;

const cost = (p: PointResult, axis: Axis): number | null =>
  axis === 'luts' ? p.luts : axis === 'energy' ? p.energyPj.table : p.cycles;

/**
 * Marks each point on the front of (max accuracy, min cost) per axis: no other point has
 * accuracy >= and cost <= with one of them strict. Points without the cost, or whose area is
 * untrusted (gate level failed), are never on a front.
 */
export function withPareto(points: readonly PointResult[]): PointResult[] {
  const on = (p: PointResult, axis: Axis): boolean => {
    const c = cost(p, axis);
    if (c === null || !p.simVerified || (axis === 'luts' && !p.gateLevelVerified)) return false;
    return !points.some((o) => {
      const oc = cost(o, axis);
      if (o === p || oc === null || !o.simVerified || (axis === 'luts' && !o.gateLevelVerified)) return false;
      return o.accuracy >= p.accuracy && oc <= c && (o.accuracy > p.accuracy || oc < c);
    });
  };
  return points.map((p) => ({ ...p, pareto: { luts: on(p, 'luts'), energy: on(p, 'energy'), latency: on(p, 'latency') } }));
}

export const CSV_COLUMNS = ['id', 'precision', 'tile', 'scales', 'qat', 'device', 'accuracy', 'luts', 'ffs', 'dsps', 'brams', 'fmaxMHz', 'cycles', 'cyclesEstimated', 'cyclesError',
  'bytesPerInference', 'energyPjTable', 'energyPjToggle', 'rtlVerified', 'gateLevelVerified', 'paretoLuts', 'paretoEnergy', 'paretoLatency'] as const;

export function toCsv(points: readonly PointResult[]): string {
  const row = (p: PointResult): unknown[] => [p.id, p.precision, p.tile, p.scales, p.qat, p.device, p.accuracy, p.luts, p.ffs, p.dsps, p.brams, p.fmaxMHz, p.cycles, p.cyclesEstimated, p.cyclesError,
    p.bytesPerInference, p.energyPj.table, p.energyPj.toggle, p.rtlVerified, p.gateLevelVerified, p.pareto.luts, p.pareto.energy, p.pareto.latency];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return `${[CSV_COLUMNS.join(','), ...points.map((p) => row(p).map(cell).join(','))].join('\n')}\n`;
}

/** The report files explore writes into its output directory. */
export const OUTPUT_FILES = ['points.json', 'points.csv', 'report.html'] as const;

/**
 * Writes points.json, points.csv and report.html into `dir` through the safe output path
 * (cli/output-dir.ts: manifest, files npugen did not write kept unless `force`, inputs never
 * overwritten, all three swapped in together, nothing left behind on an error or Ctrl-C).
 */
export async function writeOutputs(dir: string, points: readonly PointResult[], meta: Readonly<Record<string, unknown>>, options: OutputOptions = {}): Promise<void> {
  await writeOutputDir(dir, [
    ['points.json', `${JSON.stringify(points, null, 2)}\n`],
    ['points.csv', toCsv(points)],
    ['report.html', reportHtml(points, meta)],
  ], options);
}

const require = createRequire(import.meta.url);
/** A file of an installed package (resolved through its main entry: d3 does not export dist/). */
function bundle(pkg: string, file: string): string {
  let dir = require.resolve(pkg);
  while (!dir.endsWith(`${sep}${pkg.split('/').join(sep)}`)) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the package directory of ${pkg}`);
    dir = up;
  }
  return readFileSync(join(dir, file), 'utf8');
}

/** `</script` inside inlined code or data would end the script element. */
const scriptSafe = (s: string) => s.replace(/<\/script/gi, '<\\/script');

export function reportHtml(points: readonly PointResult[], meta: Readonly<Record<string, unknown>>): string {
  const d3 = bundle('d3', 'dist/d3.min.js');
  const plot = bundle('@observablehq/plot', 'dist/plot.umd.min.js');
  const data = JSON.stringify({ points, meta });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>npugen explore</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5em; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: .3em; }
table { border-collapse: collapse; margin-top: 1em; font-size: 12px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
th { cursor: pointer; background: #f3f3f3; } td.l { text-align: left; }
.bad { color: #b00; font-weight: 600; } pre { font-size: 11px; margin: 0; white-space: pre-wrap; }
</style>
<script>${scriptSafe(d3)}</script>
<script>${scriptSafe(plot)}</script>
</head><body>
<h1>npugen explore: accuracy vs area, energy and latency</h1>
<p id="meta"></p>
<div class="charts">
<figure id="fig-luts"><figcaption>Accuracy vs LUTs (layer-1 gemm_tile; trusted only where the gate-level netlist passed)</figcaption></figure>
<figure id="fig-energy"><figcaption>Accuracy vs table energy per inference (pJ, Horowitz 45 nm)</figcaption></figure>
<figure id="fig-latency"><figcaption>Accuracy vs cycles per inference (measured on RTL)</figcaption></figure>
</div>
<p>Filled marks are on the Pareto front of that chart (higher accuracy, lower cost); the line joins them.</p>
<table id="points"><thead></thead><tbody></tbody></table>
<h2>Reproduce</h2><div id="repro"></div>
<script type="application/json" id="data">${scriptSafe(data)}</script>
<script>
const { points, meta } = JSON.parse(document.getElementById('data').textContent);
document.getElementById('meta').textContent = Object.entries(meta).map(([k, v]) => k + ': ' + (typeof v === 'object' ? JSON.stringify(v) : v)).join(' · ');
const charts = [['luts', 'luts', 'LUTs'], ['energy', (p) => p.energyPj.table, 'energy (pJ)'], ['latency', 'cycles', 'cycles per inference']];
for (const [axis, x, label] of charts) {
  const rows = points.map((p) => ({ ...p, x: typeof x === 'string' ? p[x] : x(p), front: p.pareto[axis] })).filter((p) => p.x !== null);
  const front = rows.filter((p) => p.front).sort((a, b) => a.x - b.x);
  const chart = Plot.plot({
    width: 380, height: 280, grid: true, marginLeft: 50,
    x: { label }, y: { label: 'accuracy (%)', tickFormat: (d) => (d * 100).toFixed(0) },
    color: { legend: axis === 'luts', domain: [...new Set(points.map((p) => p.precision))] },
    marks: [
      Plot.line(front, { x: 'x', y: 'accuracy', stroke: '#999' }),
      Plot.dot(rows, { x: 'x', y: 'accuracy', stroke: 'precision', fill: 'precision', fillOpacity: (d) => (d.front ? 1 : 0.1), r: 5, title: (d) => d.id, className: 'point' }),
    ],
  });
  chart.setAttribute('data-axis', axis);
  document.getElementById('fig-' + axis).append(chart);
}
const cols = [['id', (p) => p.id], ['precision', (p) => p.precision], ['tile', (p) => p.tile], ['scales', (p) => p.scales], ['QAT', (p) => p.qat],
  ['accuracy %', (p) => +(p.accuracy * 100).toFixed(2)], ['LUT', (p) => p.luts], ['FF', (p) => p.ffs], ['DSP', (p) => p.dsps], ['Fmax MHz', (p) => (p.fmaxMHz === null ? null : +p.fmaxMHz.toFixed(1))],
  ['cycles', (p) => +p.cycles.toFixed(1)], ['cycles est.', (p) => +p.cyclesEstimated.toFixed(1)], ['est. error %', (p) => +(p.cyclesError * 100).toFixed(1)],
  ['bytes', (p) => p.bytesPerInference], ['energy pJ', (p) => +p.energyPj.table.toFixed(0)], ['RTL', (p) => (p.rtlVerified ? 'yes' : 'NO')], ['gate level', (p) => (p.gateLevelVerified ? 'yes' : 'NO')]];
let sortCol = 0, sortDir = 1;
function renderTable() {
  const thead = document.querySelector('#points thead'), tbody = document.querySelector('#points tbody');
  thead.innerHTML = '<tr>' + cols.map(([h], i) => '<th data-col="' + i + '">' + h + (i === sortCol ? (sortDir > 0 ? ' ▲' : ' ▼') : '') + '</th>').join('') + '</tr>';
  const sorted = [...points].sort((a, b) => { const x = cols[sortCol][1](a), y = cols[sortCol][1](b); return (x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1) * sortDir; });
  tbody.innerHTML = '';
  for (const p of sorted) {
    const tr = document.createElement('tr');
    for (const [h, f] of cols) {
      const td = document.createElement('td'); const v = f(p);
      td.textContent = v === null ? '-' : String(v);
      if (typeof v === 'string') td.className = 'l';
      if (v === 'NO') td.className = 'bad';
      tr.append(td);
    }
    tbody.append(tr);
  }
  thead.querySelectorAll('th').forEach((th) => th.addEventListener('click', () => { const c = +th.dataset.col; sortDir = c === sortCol ? -sortDir : 1; sortCol = c; renderTable(); }));
}
renderTable();
const repro = document.getElementById('repro');
for (const p of points) {
  const d = document.createElement('details'); const s = document.createElement('summary'); s.textContent = p.id;
  const pre = document.createElement('pre'); pre.textContent = p.reproduce.join('\\n') + '\\n# energy assumptions:\\n' + p.energyAssumptions.map((a) => '#  ' + a).join('\\n');
  d.append(s, pre); repro.append(d);
}
</script>
</body></html>
`;
}
