/**
 * Content-hash cache of point results: the key hashes the point's spec, every source file that
 * can change a result (dsl/, generators/, sim/, templates/, examples/mlp/, explore/, onnx/, the digits
 * data) and the versions of Verilator, Icarus, yosys and nextpnr-ice40. A hit returns the stored
 * result, so a re-run only computes new or changed points.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PointResult, PointSpec } from './point.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['dsl', 'generators', 'sim', 'templates', 'examples/mlp', 'examples/data', 'explore', 'onnx'];

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

let sourceHashMemo: string | undefined;

/** sha256 over the paths and contents of the source files that determine a point's result. */
export function sourceHash(): string {
  if (sourceHashMemo) return sourceHashMemo;
  const h = createHash('sha256');
  for (const d of SOURCE_DIRS) {
    const files: string[] = [];
    if (existsSync(join(ROOT, d))) walk(join(ROOT, d), files);
    for (const f of files) h.update(f.slice(ROOT.length)).update('\0').update(readFileSync(f)).update('\0');
  }
  return (sourceHashMemo = h.digest('hex'));
}

function firstLine(cmd: string, args: readonly string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!.trim();
  } catch {
    return `${cmd}: not installed`;
  }
}

let toolsMemo: Record<string, string> | undefined;

export function toolVersions(): Record<string, string> {
  return (toolsMemo ??= {
    verilator: firstLine('verilator', ['--version']),
    icarus: firstLine('iverilog', ['-V']),
    yosys: firstLine('yosys', ['-V']),
    nextpnr: firstLine('nextpnr-ice40', ['--version']),
    node: process.version,
  });
}

export function pointKey(spec: PointSpec): string {
  const { id: _id, index: _index, ...axes } = spec;
  return createHash('sha256').update(JSON.stringify({ axes, source: sourceHash(), tools: toolVersions() })).digest('hex').slice(0, 32);
}

export async function readCached(dir: string, key: string): Promise<PointResult | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')) as PointResult;
  } catch {
    return undefined;
  }
}

export async function writeCached(dir: string, key: string, r: PointResult): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${key}.json`), JSON.stringify(r));
}
