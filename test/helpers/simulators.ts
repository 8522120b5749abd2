/**
 * Gates simulator-dependent suites. With NPUGEN_REQUIRE_SIMULATORS=1 (CI) a missing tool is a
 * failing test; otherwise the suite is skipped and its title says which tool is missing.
 * Tools are looked up on PATH without spawning anything.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import type { SimulatorName } from '../../sim/cosim-run.ts';
import { onPath } from '../../sim/runner.ts';

/** Executables each simulator (or check) needs, and the apt package that provides them. */
export const TOOLS = {
  icarus: { commands: ['iverilog', 'vvp'], apt: 'iverilog' },
  verilator: { commands: ['verilator'], apt: 'verilator' },
  yosys: { commands: ['yosys'], apt: 'yosys' },
} as const;

export type ToolSet = keyof typeof TOOLS;

export const SIMULATORS: readonly SimulatorName[] = ['icarus', 'verilator'];

export { onPath };

/** Missing commands of a tool set. */
export function missingTools(set: ToolSet): string[] {
  return TOOLS[set].commands.filter((c) => !onPath(c));
}

/** `describe` that runs only when the tool set is installed (or fails, in CI, when it is not). */
export function describeWithTools(set: ToolSet, name: string, body: () => void): void {
  const missing = missingTools(set);
  if (missing.length === 0) {
    describe(name, body);
  } else if (process.env['NPUGEN_REQUIRE_SIMULATORS'] === '1') {
    describe(name, () => {
      it(`needs ${missing.join(', ')}`, () => {
        throw new Error(`${missing.join(', ')} not installed (apt-get install ${TOOLS[set].apt}); NPUGEN_REQUIRE_SIMULATORS=1`);
      });
    });
  } else {
    describe.skip(`${name} [skipped: ${missing.join(', ')} not installed; apt-get install ${TOOLS[set].apt}]`, body);
  }
}

/** A compile cache shared by test runs, so unchanged fixtures do not rebuild every time. */
export function testCacheDir(): string {
  return join(tmpdir(), 'npugen-test-cache');
}

/**
 * Whether the `index`-th configuration of a co-simulation suite runs on `sim` in this test run.
 * By default each configuration runs on one real simulator, alternating Icarus and Verilator in
 * list order, so every configuration is co-simulated and both simulators run in every suite, at
 * half the builds (the README's test command has a time budget). `NPUGEN_COSIM=full` runs every
 * configuration on both, as `npx tsx bench/cosim-full.ts` does.
 */
export function runsOn(sim: SimulatorName, index: number): boolean {
  if (process.env['NPUGEN_COSIM'] === 'full') return true;
  return index % SIMULATORS.length === SIMULATORS.indexOf(sim);
}
