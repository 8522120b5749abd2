/** Small helpers shared by the benchmarks (argument parsing, machine load, formatting). */
import { cpus, loadavg } from 'node:os';

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
