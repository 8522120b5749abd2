/** Small helpers shared by the benchmarks (argument parsing, machine load, formatting). */
import { cpus, loadavg } from 'node:os';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `--name value` or `--name=value` from argv, else the default. */
export function argValue(name: string, fallback: string): string {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}` && argv[i + 1] !== undefined) return argv[i + 1]!;
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return fallback;
}

export function hasFlag(name: string): boolean {
  return process.argv.slice(2).includes(`--${name}`);
}

/** The 1/5/15-minute load averages, rounded, and the core count: the context of every number. */
export function machineLoad(): { loadavg: number[]; cores: number } {
  return { loadavg: loadavg().map((x) => Math.round(x * 100) / 100), cores: cpus().length };
}

export function loadLine(): string {
  const { loadavg: l, cores } = machineLoad();
  return `load average ${l.join(' / ')} (1/5/15 min) on ${cores} cores`;
}

/** Right-aligned table with a header row. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');
export const si = (x: number): string => (x >= 1e6 ? `${fmt(x / 1e6, 2)}M` : x >= 1e3 ? `${fmt(x / 1e3, 1)}k` : fmt(x, 0));

/** `1,2,3` or `1-5` (inclusive) as a list of seeds. */
export function parseSeeds(text: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(text);
  const seeds = range ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i) : text.split(',').map(Number);
  if (seeds.length === 0 || !seeds.every((x) => Number.isInteger(x) && x >= 0)) throw new Error(`--seeds ${text}: expected a list 1,2,3 or a range 1-5 of integers >= 0`);
  return seeds;
}

/** The Verilog of case `name` under --rtl-dir: every .v file of DIR/<name>/ except the testbench. */
export async function rtlFrom(dir: string, name: string): Promise<{ fileName: string; text: string }[]> {
  const names = (await readdir(join(dir, name))).filter((f) => f.endsWith('.v') && !f.endsWith('_tb.v')).sort();
  if (names.length === 0) throw new Error(`--rtl-dir: no Verilog in ${join(dir, name)}`);
  return Promise.all(names.map(async (f) => ({ fileName: f, text: await readFile(join(dir, name, f), 'utf8') })));
}
