/**
 * Proof times of the formal equivalence cases (test/helpers/formal-cases.ts): each proof that
 * must hold and its planted fault that must be refuted, with yosys's SAT solver.
 *
 *   npx tsx bench/formal.ts [--json bench/results/formal.json]
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { proveEquivalent } from '../sim/formal/prove.ts';
import { formalCases } from '../test/helpers/formal-cases.ts';

const { values } = parseArgs({ options: { json: { type: 'string', default: 'bench/results/formal.json' } } });
const rows = [];
for (const c of await formalCases()) {
  const proof = await proveEquivalent({ gold: c.gold, gate: c.gate, method: c.method });
  const fault = await proveEquivalent({ gold: c.faulty, gate: c.gate, method: c.method });
  const row = { case: c.name, method: c.method.kind, proven: proof.proven, proofMs: Math.round(proof.durationMs), faultRefuted: !fault.proven, refuteMs: Math.round(fault.durationMs) };
  console.log(`${row.case}: ${row.proven ? 'proven' : 'NOT PROVEN'} in ${row.proofMs} ms; planted fault ${row.faultRefuted ? 'refuted' : 'NOT REFUTED'} in ${row.refuteMs} ms`);
  rows.push(row);
}
await writeFile(values.json!, `${JSON.stringify({ loadAverage: loadavg()[0], cases: rows }, null, 2)}\n`);
if (rows.some((r) => !r.proven || !r.faultRefuted)) process.exitCode = 1;
