/** Icarus Verilog as data: `iverilog -g2005` to compile, `vvp` to run. Pure functions. */
import type { Invocation } from './invocation.ts';

export interface IcarusTools {
  /** Path or name of `iverilog` (default `iverilog`). */
  readonly iverilog?: string;
  /** Path or name of `vvp` (default `vvp`). */
  readonly vvp?: string;
}

export interface IcarusCompileInput extends IcarusTools {
  /** Verilog sources, relative to `cwd`. */
  readonly sources: readonly string[];
  /** Top-level modules (`-s`); several are allowed. */
  readonly tops: readonly string[];
  /** Output `.vvp` file, relative to `cwd`. */
  readonly output: string;
  readonly cwd: string;
  readonly defines?: Readonly<Record<string, string>>;
}

export interface IcarusRunInput extends IcarusTools {
  readonly vvpFile: string;
  /** Plusargs without the leading `+`, e.g. `vectors=100`. */
  readonly plusargs: readonly string[];
  readonly cwd: string;
}

const APT = 'iverilog';

/** `iverilog --version`-style probe; its first output line identifies the build (cache key). */
export function icarusVersion(tools: IcarusTools, cwd: string): Invocation {
  return { tool: 'iverilog', command: tools.iverilog ?? 'iverilog', args: ['-V'], env: {}, cwd, aptPackage: APT };
}

export function icarusCompile(input: IcarusCompileInput): Invocation {
  const defines = Object.entries(input.defines ?? {}).map(([k, v]) => `-D${k}=${v}`);
  return {
    tool: 'iverilog',
    command: input.iverilog ?? 'iverilog',
    args: ['-g2005', '-Wall', '-Wno-timescale', ...defines, ...input.tops.flatMap((t) => ['-s', t]), '-o', input.output, ...input.sources],
    env: {},
    cwd: input.cwd,
    aptPackage: APT,
  };
}

export function icarusRun(input: IcarusRunInput): Invocation {
  // -n: $stop behaves like $finish, so a stray $stop never leaves vvp waiting at a prompt.
  return {
    tool: 'vvp',
    command: input.vvp ?? 'vvp',
    args: ['-n', input.vvpFile, ...input.plusargs.map((p) => `+${p}`)],
    env: {},
    cwd: input.cwd,
    aptPackage: APT,
  };
}
