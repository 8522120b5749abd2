/** JUnit XML for CI systems: one test case per simulator, one more per simulator divergence. */
import type { VerifyResult } from './cosim/verify.ts';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function formatJunit(r: VerifyResult, suiteName: string): string {
  const cases: string[] = [];
  for (const o of r.outcomes) {
    const secs = (Object.values(o.timingsMs).reduce((a, b) => a + b, 0) / 1000).toFixed(3);
    const name = `${suiteName} on ${o.simulator}`;
    if (o.passed) cases.push(`  <testcase classname="npugen.verify" name="${esc(name)}" time="${secs}"/>`);
    else {
      const first = o.mismatches.slice(0, 20).map((m) => `vector ${m.vectorIndex} cycle ${m.cycle} port ${m.port}: expected ${m.expected}, got ${m.got ?? 'X/Z'}`).join('\n');
      cases.push(`  <testcase classname="npugen.verify" name="${esc(name)}" time="${secs}">\n    <failure message="${esc(`${o.counts.mismatches} mismatches in ${o.counts.failingVectors} of ${o.counts.vectors} vectors`)}">${esc(first)}</failure>\n  </testcase>`);
    }
  }
  for (const d of r.divergences) {
    cases.push(`  <testcase classname="npugen.verify" name="${esc(`${suiteName}: ${d.a} agrees with ${d.b}`)}">\n    <failure message="${esc(d.detail)}"/>\n  </testcase>`);
  }
  const failures = r.outcomes.filter((o) => !o.passed).length + r.divergences.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${esc(suiteName)}" tests="${cases.length}" failures="${failures}">\n${cases.join('\n')}\n</testsuite>\n`;
}
