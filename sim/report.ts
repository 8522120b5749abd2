/**
 * Human-readable verification reports: per simulator a verdict, then the first mismatches with
 * the vector's operands decoded in their formats, expected versus got (value, hex, differing
 * bits, distance in LSBs) and the DSL location of the output's driver.
 */
import { formatLoc } from '../dsl/diagnostics/loc.ts';
import type { Mismatch } from './results.ts';
import { portFormat, type Port } from '../formats/port.ts';
import type { VerifyResult, SimulatorOutcome } from './cosim/verify.ts';
import { decodeCode, hexOf } from './format-decode.ts';

/** User vector files a run read (`--stimulus`, `--expected`): names and each row's line, for locating vectors. */
export interface ReportFiles {
  readonly stimulus?: { readonly file: string; readonly lines: readonly number[] };
  readonly expected?: { readonly file: string; readonly lines: readonly number[] };
}

const REFERENCE_NAMES = { golden: 'golden model', builtin: 'built-in simulator of the IR', given: 'expected values' } as const;

export function formatVerifyReport(r: VerifyResult, seed: number, cwd?: string, files: ReportFiles = {}): string {
  const lines: string[] = [];
  const sc = r.stimulusCounts;
  const reference = r.reference === 'given' && files.expected ? `expected values of ${files.expected.file}` : REFERENCE_NAMES[r.reference];
  const source = sc.given !== undefined ? `from ${files.stimulus?.file ?? 'the given stimulus'}` : `(${sc.exhaustive} exhaustive, ${sc.corners} corner, ${sc.random} random, seed ${seed})`;
  lines.push(`reference: ${reference}; ${r.testbench.vectorCount} vectors ${source}; latency ${r.testbench.latency}`);
  for (const o of r.outcomes) {
    lines.push(verdict(o, r.keptRunDirs));
    for (const m of o.mismatches) lines.push(...mismatchLines(r, m, cwd, files));
    if (o.counts.records < o.counts.mismatches) lines.push(`  ... ${o.counts.mismatches - o.counts.records} more mismatches not shown`);
  }
  const check = r.referenceCheck;
  if (check) {
    const name = REFERENCE_NAMES[check.reference];
    const against = files.expected?.file ?? 'the expected values';
    const c = check.counts;
    lines.push(c.mismatches === 0
      ? `${name}: agrees with ${against} on all ${c.vectors} vectors`
      : `${name}: DISAGREES with ${against} on ${c.failingVectors}/${c.vectors} vectors, ${c.mismatches} values (expected = the file, got = the ${name})`);
    for (const m of check.mismatches) lines.push(...mismatchLines(r, m, cwd, files));
    if (c.records < c.mismatches) lines.push(`  ... ${c.mismatches - c.records} more disagreements not shown`);
  }
  for (const d of r.divergences) lines.push(`simulators disagree: ${d.a} vs ${d.b}: ${d.detail}`);
  lines.push(r.passed && r.divergences.length === 0 ? 'result: PASS' : 'result: FAIL');
  return lines.join('\n');
}

/** One simulator's line; its run directory only when it is still on disk (`kept`). */
function verdict(o: SimulatorOutcome, kept: readonly string[] | undefined): string {
  const c = o.counts;
  const cached = o.compileCached ? ' (compile cached)' : '';
  const where = o.runDir && (kept === undefined || kept.includes(o.runDir)) ? `; run dir ${o.runDir}${cached}` : cached ? `;${cached}` : '';
  if (o.passed) return `${o.simulator}: PASS ${c.checked}/${c.vectors} vectors${where}`;
  return `${o.simulator}: FAIL ${c.failingVectors}/${c.vectors} vectors failed, ${c.mismatches} mismatches (${c.xz} with X/Z)${where}`;
}

function mismatchLines(r: VerifyResult, m: Mismatch, cwd: string | undefined, files: ReportFiles): string[] {
  const port = r.ports.outputs.find((p) => p.name === m.port);
  const loc = r.driverLocs.get(m.port);
  const row = m.vectorIndex < r.stimulus.length ? r.stimulus.row(m.vectorIndex) : undefined;
  const operands = row ? r.ports.inputs.map((p, i) => `${p.name} = ${show(p, row[i]!)}`).join('  ') : '(not available)';
  const head = `  vector ${m.vectorIndex} (${origin(r, m.vectorIndex, files)}), cycle ${m.cycle}, port ${m.port}${loc ? ` (driven at ${formatLoc(loc, cwd)})` : ''}`;
  if (!port) return [head, `    expected ${m.expected}, got ${m.got ?? 'X/Z'}`];
  return [head, `    operands: ${operands}`, `    ${formatExpectedGot(port, m.expected, m.got)}`];
}

/** `expected <value>  got <value>  differing bits <hex>  distance <n> LSB`, values decoded in the port's format. */
export function formatExpectedGot(port: Port, expected: bigint, got: bigint | null): string {
  const g = got === null ? 'X/Z' : show(port, got);
  const diff = got === null ? '' : `  differing bits ${hexOf(got ^ expected, port.width)}  distance ${abs(got - expected)} LSB`;
  return `expected ${show(port, expected)}  got ${g}${diff}`;
}

function origin(r: VerifyResult, i: number, files: ReportFiles): string {
  const c = r.stimulusCounts;
  if (c.given !== undefined) {
    const at = (f: ReportFiles['stimulus']) => (f ? `${f.file}:${f.lines[i] ?? '?'}` : undefined);
    return [at(files.stimulus) ?? `row ${i}`, at(files.expected)].filter((x) => x !== undefined).join(', expected ');
  }
  if (i < c.exhaustive) return `exhaustive #${i}`;
  if (i < c.exhaustive + c.corners) return `corner #${i - c.exhaustive}`;
  return `random #${i - c.exhaustive - c.corners}`;
}

/** A code as its decoded value and hex, e.g. `-3 (0xfd)` or `1.5 (fp32 0x3fc00000)`. */
export function show(p: { readonly format?: string; readonly width: number; readonly signed?: boolean }, code: bigint): string {
  const format = portFormat(p);
  const value = decodeCode(format, code, p.width);
  const hex = hexOf(code, p.width);
  return value === code.toString() ? `${value} (${hex})` : `${value} (${format} ${hex})`;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}
