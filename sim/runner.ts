/**
 * The only module that spawns processes. It runs `Invocation`s (sim/backends), turns
 * failures into typed errors, keeps a log per step, and writes `replay.sh` so every run can be
 * reproduced by hand. The compiled-simulator cache is sim/build-cache.ts.
 */
import { mkdir, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { delimiter } from 'node:path';
import { shellLine, shellQuote, type Invocation } from './backends/invocation.ts';

/** The command is not installed (or not at the given path). */
export class ToolNotFoundError extends Error {
  constructor(
    readonly tool: string,
    readonly command: string,
    /** Debian/Ubuntu package to install, when known. */
    readonly aptPackage: string | undefined,
  ) {
    const hint = aptPackage === undefined ? '' : ` (install it: apt-get install ${aptPackage})`;
    super(`${tool}: command '${command}' not found${hint}`);
    this.name = 'ToolNotFoundError';
  }
}

/** The tool ran and exited non-zero (or was killed by a signal). */
export class ToolFailedError extends Error {
  constructor(
    readonly tool: string,
    readonly commandLine: string,
    readonly exitCode: number | undefined,
    /** The last lines of the tool's combined stdout/stderr. */
    readonly outputTail: string,
  ) {
    super(`${tool} failed (exit ${exitCode ?? 'signal'}): ${commandLine}\n${outputTail}`);
    this.name = 'ToolFailedError';
  }
}

/** The tool did not finish within the timeout and was killed. */
export class ToolTimeoutError extends Error {
  constructor(
    readonly tool: string,
    readonly commandLine: string,
    readonly timeoutMs: number,
  ) {
    super(`${tool} timed out after ${timeoutMs / 1000} s and was stopped (raise the limit with --timeout SECONDS): ${commandLine}`);
    this.name = 'ToolTimeoutError';
  }
}

export interface StepOptions {
  /** Kill the tool after this long (default 10 minutes). */
  readonly timeoutMs?: number;
  /** Where to keep the command line and the tool's combined output. */
  readonly logFile?: string;
}

export interface StepResult {
  /** Combined stdout and stderr, interleaved as produced. */
  readonly output: string;
  readonly durationMs: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const TAIL_LINES = 40;

/** Runs one invocation to completion. Throws ToolNotFoundError / ToolFailedError / ToolTimeoutError. */
export async function runInvocation(inv: Invocation, options: StepOptions = {}): Promise<StepResult> {
  for (const file of inv.files ?? []) await writeFile(join(inv.cwd, file.path), file.content);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = performance.now();
  const result = await spawnCollect(inv, timeoutMs);
  const durationMs = performance.now() - started;
  const output = result.output;
  if (options.logFile !== undefined) {
    await mkdir(dirname(options.logFile), { recursive: true });
    await writeFile(options.logFile, `$ (cd ${inv.cwd} && ${shellLine(inv)})\n${output}\n`);
  }
  if (result.notFound) throw new ToolNotFoundError(inv.tool, inv.command, inv.aptPackage);
  if (result.timedOut) throw new ToolTimeoutError(inv.tool, shellLine(inv), timeoutMs);
  if (result.exitCode !== 0) throw new ToolFailedError(inv.tool, shellLine(inv), result.exitCode, tail(output));
  return { output, durationMs };
}

interface Spawned {
  /** stdout and stderr interleaved in arrival order, without the final newline. */
  readonly output: string;
  /** undefined when killed by a signal. */
  readonly exitCode: number | undefined;
  readonly notFound: boolean;
  readonly timedOut: boolean;
}

/**
 * Runs `inv` with stdin closed, its environment on top of ours, collecting both streams into one.
 * On timeout: SIGTERM, then SIGKILL 5 s later if it is still running. Plain child_process: this
 * module is on every simulation's start-up path, and a process library cost ~130 module loads.
 */
function spawnCollect(inv: Invocation, timeoutMs: number): Promise<Spawned> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let timedOut = false;
    let notFound = false;
    const child = spawn(inv.command, [...inv.args], { cwd: inv.cwd, env: { ...process.env, ...inv.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.stdout.on('data', (d: Buffer) => void chunks.push(d));
    child.stderr.on('data', (d: Buffer) => void chunks.push(d));
    let killer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    }, timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') notFound = true;
    });
    child.on('close', (code) => {
      running.delete(child);
      clearTimeout(timer);
      if (killer !== undefined) clearTimeout(killer);
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ output: text.endsWith('\n') ? text.slice(0, -1) : text, exitCode: code ?? undefined, notFound, timedOut });
    });
  });
}

function tail(text: string): string {
  return text.split('\n').slice(-TAIL_LINES).join('\n');
}

/** Tool processes still running, killed by `cleanUpOnSignals` on Ctrl-C. */
const running = new Set<ReturnType<typeof spawn>>();
/** Temporary run directories made by `prepareRunDir` and not yet removed or kept. */
const temporary = new Set<string>();

/**
 * Creates `runDir` (or a fresh `npugen-run-*` directory under the OS temp dir, which is tracked:
 * removed on SIGINT/SIGTERM under `cleanUpOnSignals`, until `removeRunDir` or `keepRunDir`).
 */
export async function prepareRunDir(runDir?: string): Promise<string> {
  if (runDir === undefined) {
    const dir = await mkdtemp(join(tmpdir(), 'npugen-run-'));
    temporary.add(dir);
    return dir;
  }
  await mkdir(runDir, { recursive: true });
  return runDir;
}

/** A temporary run directory the caller keeps (a failing run's, for inspection): no longer removed on signals. */
export function keepRunDir(runDir: string): void {
  temporary.delete(runDir);
}

/**
 * Until the returned release function is called, SIGINT and SIGTERM kill the running tools,
 * remove every tracked temporary run directory and exit 130 (SIGINT) or 143 (SIGTERM), after
 * `onSignal` (e.g. clearing a progress line) has run.
 */
export function cleanUpOnSignals(onSignal: () => void = () => undefined): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    onSignal();
    for (const child of running) child.kill('SIGKILL');
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
    temporary.clear();
    process.stderr.write(`npugen: interrupted (${signal}); removed the run directories\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  };
}

export interface ReplayStep {
  readonly comment: string;
  readonly invocation: Invocation;
}

/**
 * Writes `<runDir>/replay.sh`: every step's exact command, from its own directory, plus any
 * files the steps write. Running it reproduces the run (it always recompiles).
 */
export async function writeReplayScript(runDir: string, steps: readonly ReplayStep[]): Promise<string> {
  const lines = ['#!/bin/sh', '# Generated by npugen: reproduces this run by hand.', 'set -eu', 'cd "$(dirname "$0")"', 'RUN="$(pwd)"'];
  for (const { comment, invocation } of steps) {
    const cwd = relative(runDir, invocation.cwd) || '.';
    lines.push('', `# ${comment}`);
    for (const file of invocation.files ?? []) {
      lines.push(`cat > ${shellQuote(join(cwd, file.path))} <<'NPUGEN_EOF'`, file.content.replace(/\n$/, ''), 'NPUGEN_EOF');
    }
    lines.push(`mkdir -p ${shellQuote(cwd)}`, `(cd "$RUN"/${shellQuote(cwd)} && ${shellLine(invocation)})`);
  }
  const path = join(runDir, 'replay.sh');
  await writeFile(path, `${lines.join('\n')}\n`);
  await chmod(path, 0o755);
  return path;
}

/** Removes a run directory (for callers that do not want to keep it). */
export async function removeRunDir(runDir: string): Promise<void> {
  temporary.delete(runDir);
  await rm(runDir, { recursive: true, force: true });
}

/** Whether an executable is on PATH: a file check, nothing is run. */
export function onPath(command: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
