/**
 * nextpnr-ice40 as data (pure): place and route a yosys JSON netlist on an iCE40 device and
 * write the timing/utilization report (`--report`, JSON with `fmax` per clock).
 * Without a PCF, IOs are placed freely; `--timing-allow-fail` keeps a missed target frequency
 * a result (the achieved Fmax is what we want), not an error.
 */
import type { Invocation } from './invocation.ts';

export type Ice40Device = 'up5k' | 'hx8k';

/** Default package per device: the largest common one (most IOs). */
export const DEVICE_PACKAGE: Readonly<Record<Ice40Device, string>> = { up5k: 'sg48', hx8k: 'ct256' };

export interface NextpnrInput {
  /** yosys JSON netlist, relative to `cwd`. */
  readonly json: string;
  readonly top?: string;
  readonly device: Ice40Device;
  readonly package?: string;
  /** JSON report to write, relative to `cwd`. */
  readonly report: string;
  readonly log?: string;
  /** Target frequency in MHz (drives timing-driven placement; default 100). */
  readonly freqMHz?: number;
  readonly seed?: number;
  readonly cwd: string;
  readonly command?: string;
}

export const NEXTPNR_APT = 'nextpnr-ice40';

export function nextpnrVersion(cwd: string, command = 'nextpnr-ice40'): Invocation {
  return { tool: 'nextpnr-ice40', command, args: ['--version'], env: {}, cwd, aptPackage: NEXTPNR_APT };
}

export function nextpnrIce40(input: NextpnrInput): Invocation {
  return {
    tool: 'nextpnr-ice40',
    command: input.command ?? 'nextpnr-ice40',
    args: [
      `--${input.device}`,
      '--package', input.package ?? DEVICE_PACKAGE[input.device],
      '--json', input.json,
      ...(input.top !== undefined ? ['--top', input.top] : []),
      '--freq', String(input.freqMHz ?? 100),
      '--timing-allow-fail',
      '--seed', String(input.seed ?? 1),
      '--report', input.report,
      ...(input.log !== undefined ? ['--log', input.log] : []),
      '-q',
    ],
    env: {},
    cwd: input.cwd,
    aptPackage: NEXTPNR_APT,
  };
}
