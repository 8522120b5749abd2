/** JUnit XML for fuzz campaigns: one test case per random design or parameter sample. */
export interface JunitCase {
  readonly suite: string;
  readonly name: string;
  readonly timeSec: number;
  /** Empty = passed. */
  readonly failures: readonly string[];
  /** A sample that did not run to a verdict (a rejected parameter combination). */
  readonly skipped?: string;
}

function esc(s: string): string {
  // XML 1.0 forbids most control characters even escaped.
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '?').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function formatFuzzJunit(name: string, cases: readonly JunitCase[]): string {
  const suites = new Map<string, JunitCase[]>();
  for (const c of cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c]);
  const body = [...suites].map(([suite, cs]) => {
    const failures = cs.filter((c) => c.failures.length > 0).length;
    const skipped = cs.filter((c) => c.skipped !== undefined).length;
    const lines = cs.map((c) => {
      const head = `    <testcase classname="npugen.fuzz.${esc(suite)}" name="${esc(c.name)}" time="${c.timeSec.toFixed(3)}"`;
      if (c.failures.length > 0) return `${head}>\n      <failure message="${esc(c.failures[0]!.split('\n')[0]!)}">${esc(c.failures.join('\n'))}</failure>\n    </testcase>`;
      if (c.skipped !== undefined) return `${head}>\n      <skipped message="${esc(c.skipped)}"/>\n    </testcase>`;
      return `${head}/>`;
    });
    return `  <testsuite name="${esc(suite)}" tests="${cs.length}" failures="${failures}" skipped="${skipped}">\n${lines.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${esc(name)}">\n${body.join('\n')}\n</testsuites>\n`;
}
