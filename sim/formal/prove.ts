/**
 * Formal equivalence of two RTL designs with yosys's SAT solver (`yosysProveEquiv`): a generated
 * block against an independent hand-written reference, or a pipelined variant against its
 * unpipelined form delayed to the same latency. A proof covers every input (and, for sequential
 * methods, every input sequence), unlike simulation.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { yosysProveEquiv, type EquivMethod } from '../backends/yosys.ts';
import { prepareRunDir, removeRunDir, runInvocation, ToolFailedError, writeReplayScript } from '../runner.ts';

export interface RtlSide {
  readonly files: readonly { readonly fileName: string; readonly text: string }[];
  readonly top: string;
}

export interface ProofRequest {
  /** The reference. */
  readonly gold: RtlSide;
  /** The design under proof; same port names and widths as gold. */
  readonly gate: RtlSide;
  readonly method: EquivMethod;
  /** Default: a fresh directory under the OS temp dir, removed when the proof succeeds. */
  readonly runDir?: string;
  readonly timeoutMs?: number;
}

export type ProofResult =
  | { readonly proven: true; readonly durationMs: number }
  | {
      readonly proven: false;
      readonly durationMs: number;
      /** yosys's counterexample: the ports of gold and gate per time frame. */
      readonly counterexample: string;
      /** Kept for inspection; `replay.sh` in it reruns the proof. */
      readonly runDir: string;
    };

/** Proves gold ≡ gate. A disagreement is a result (`proven: false`), not an exception. */
export async function proveEquivalent(req: ProofRequest): Promise<ProofResult> {
  const dir = await prepareRunDir(req.runDir);
  const sources = async (side: 'gold' | 'gate', s: RtlSide) => {
    await mkdir(join(dir, side), { recursive: true });
    for (const f of s.files) await writeFile(join(dir, side, f.fileName), f.text);
    return { sources: s.files.map((f) => `${side}/${f.fileName}`), top: s.top };
  };
  const inv = yosysProveEquiv({ gold: await sources('gold', req.gold), gate: await sources('gate', req.gate), method: req.method, cwd: dir });
  await writeReplayScript(dir, [{ comment: `yosys equivalence proof (${req.method.kind})`, invocation: inv }]);
  const started = performance.now();
  try {
    await runInvocation(inv, req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {});
  } catch (e) {
    if (!(e instanceof ToolFailedError) || !/proof did fail/.test(e.outputTail)) throw e;
    const log = await readFile(join(dir, 'prove.log'), 'utf8');
    return { proven: false, durationMs: performance.now() - started, counterexample: counterexampleOf(log), runDir: dir };
  }
  const durationMs = performance.now() - started;
  if (req.runDir === undefined) await removeRunDir(dir);
  return { proven: true, durationMs };
}

/** The last signal table yosys printed (the failing frames), without the solver chatter. */
export function counterexampleOf(log: string): string {
  const lines = log.split('\n');
  const start = lines.map((l) => /^\s*(Time\s+)?Signal Name/.test(l)).lastIndexOf(true);
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start + 1 && l.trim() === '');
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}
