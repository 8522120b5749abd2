import type { ConformanceResult } from './run.ts';

/** Plain-text report: one row per op, then every failure and malformed line (id, file:line, expected, got). */
export function formatConformanceReport(r: ConformanceResult): string {
  const width = Math.max(2, ...r.byOp.map((o) => o.op.length));
  const out: string[] = [];
  out.push(`${'op'.padEnd(width)}  pass  fail  malformed  unsupported`);
  for (const o of r.byOp) {
    out.push(`${o.op.padEnd(width)}  ${String(o.passed).padStart(4)}  ${String(o.failed).padStart(4)}  ${String(o.malformed).padStart(9)}  ${String(o.unsupported).padStart(11)}`);
  }
  out.push(`total ${r.total}: ${r.passed} passed, ${r.failed} failed, ${r.malformed} malformed, ${r.unsupported} unsupported`);
  for (const f of r.failures) {
    const got = f.got !== undefined ? JSON.stringify(f.got) : `(${f.error ?? 'no result'})`;
    out.push(`FAIL ${f.id} [${f.op}] ${f.file}:${f.line}: expected ${JSON.stringify(f.expected)}, got ${got}`);
  }
  for (const m of r.malformedLines) out.push(`MALFORMED ${m.id} [${m.op}] ${m.file}:${m.line}: ${m.message}`);
  return out.join('\n');
}
