/**
 * `npugen run MODEL.onnx`: run a quantized ONNX model on generated gemm_tile hardware and check
 * every layer against the golden model and onnxruntime-node. Exit 0 only when every layer matched
 * bit for bit, 1 on a mismatch, 2 on bad input (unreadable model, unsupported op, bad .npy).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkInputs, randomInputs } from '../../onnx/inputs.ts';
import { lowerModel } from '../../onnx/lower.ts';
import { OnnxModelError, readOnnxModel } from '../../onnx/model.ts';
import { NpyError, readNpy } from '../../onnx/npy.ts';
import { OrtError } from '../../onnx/ort.ts';
import { runLoweredModel, type RunReport, type SimulatorChoice } from '../../onnx/run.ts';
import type { Tensor } from '../../onnx/tensor.ts';
import { Rng } from '../../sim/random.ts';
import { EXIT, UsageError, type CliIo } from '../io.ts';
import { seedFlag } from '../args.ts';
import { startProgress } from '../progress.ts';

const SIMS: readonly SimulatorChoice[] = ['builtin', 'icarus', 'verilator'];

function parseTile(s: string): { rows: number; cols: number } {
  const m = /^([0-9]+)x([0-9]+)$/.exec(s);
  const rows = Number(m?.[1]);
  const cols = Number(m?.[2]);
  if (!m || rows < 1 || cols < 1 || rows > 64 || cols > 64) throw new UsageError(`--tile must be RxC with 1..64, e.g. 8x8, got '${s}'`);
  return { rows, cols };
}

function readFile(path: string, flag: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`${flag}: cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function inputSets(args: { input: readonly string[]; random?: string; seed: string }, model: ReturnType<typeof readOnnxModel>): { sets: Map<string, Tensor>[]; sourceOf: (n: string) => string } {
  const given = new Map<string, Tensor>();
  const files = new Map<string, string>();
  for (const spec of args.input) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--input must be NAME=FILE.npy, got '${spec}'`);
    const name = spec.slice(0, eq);
    const file = spec.slice(eq + 1);
    try {
      given.set(name, readNpy(readFile(file, `--input ${name}`), file));
    } catch (e) {
      if (e instanceof NpyError) throw new UsageError(`--input ${name}: ${e.message}`);
      throw e;
    }
    files.set(name, file);
  }
  const sourceOf = (n: string) => (files.has(n) ? `--input ${n}=${files.get(n)}` : 'random input');
  if (args.random !== undefined) {
    const n = Number(args.random);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new UsageError(`--random must be an integer in 1..10000, got '${args.random}'`);
    const seed = seedFlag(args.seed);
    const rng = new Rng(seed);
    // Given inputs stay fixed; the others are drawn per set.
    return { sets: Array.from({ length: n }, () => new Map([...randomInputs(model, rng), ...given])), sourceOf };
  }
  if (given.size === 0) throw new UsageError('give the inputs with --input NAME=FILE.npy, or --random N for random ones');
  return { sets: [given], sourceOf };
}

export function formatRunReport(file: string, r: RunReport): string {
  const head = ['layer', 'op', 'inputs', 'output', 'formats', 'cycles', 'vs golden', 'vs onnxruntime'];
  const rows = r.layers.map((l) => [l.name, l.op, l.inputShapes, l.outputShape, l.formats, l.cycles === null ? '-' : String(l.cycles),
    l.hardwareBitExact === null ? '- (host)' : l.hardwareBitExact ? 'bit-exact' : 'MISMATCH', l.onnxruntimeBitExact ? (l.exactByConstruction ? 'bit-exact' : 'within tolerance') : 'MISMATCH']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const mismatches = r.layers.filter((l) => l.firstMismatch !== undefined).map((l) => `first mismatch in layer ${l.name}: ${l.firstMismatch}`);
  const groups = r.layers.filter((l) => l.cycles !== null && l.op === 'MatMulNBits').length;
  const gemms = r.layers.filter((l) => l.cycles !== null).length - groups;
  const tolerant = r.layers.filter((l) => !l.exactByConstruction).map((l) => `layer ${l.name} is not bit-exact by construction (${l.tolerance}); compared with a tolerance, worst |golden - onnxruntime| = ${(l.worstFractionOfTolerance ?? 0).toPrecision(3)} of the bound`);
  const on = [`${gemms} on gemm_tile ${r.tile}`, ...(groups > 0 ? [`${groups} on group_gemm ${r.tile.split('x')[1]} columns x 1 lane`] : [])].join(', ');
  return [
    `${file}: ${r.layers.length} layers (${on}, ${r.simulator}), ${r.inputSets} input set${r.inputSets === 1 ? '' : 's'}`,
    '',
    line(head),
    ...rows.map(line),
    ...(tolerant.length > 0 ? ['', ...tolerant] : []),
    ...(mismatches.length > 0 ? ['', ...mismatches] : []),
    '',
    `bit-exact: ${r.bitExact ? 'yes' : 'no'} (every output of every layer, hardware vs golden model vs onnxruntime, ${r.inputSets} input set${r.inputSets === 1 ? '' : 's'})`,
  ].join('\n');
}

export async function runRunCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args], allowPositionals: true,
    options: {
      input: { type: 'string', multiple: true, default: [] }, random: { type: 'string' }, seed: { type: 'string', default: '1' },
      sim: { type: 'string', default: 'verilator' }, tile: { type: 'string', default: '8x8' }, json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`run takes one MODEL.onnx, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const file = positionals[0]!;
  const sim = values.sim as SimulatorChoice;
  if (!SIMS.includes(sim)) throw new UsageError(`--sim must be builtin, icarus or verilator, got '${values.sim}'`);
  const tile = parseTile(values.tile!);
  try {
    const bytes = readFile(file, 'MODEL.onnx');
    const model = readOnnxModel(bytes, file);
    const lowered = lowerModel(model);
    const { sets, sourceOf } = inputSets({ input: values.input!, ...(values.random !== undefined ? { random: values.random } : {}), seed: values.seed! }, model);
    for (const s of sets) checkInputs(model, s, sourceOf);
    const progress = startProgress(io, 'run');
    let report: RunReport;
    try {
      report = await runLoweredModel(bytes, lowered, { inputSets: sets, simulator: sim, tile, onPhase: (p) => progress.phase(p) });
    } finally {
      progress.done();
    }
    io.out(values.json ? JSON.stringify({ model: file, ...report }, null, 2) : formatRunReport(file, report));
    return report.bitExact ? EXIT.ok : EXIT.mismatch;
  } catch (e) {
    if (e instanceof OnnxModelError || e instanceof OrtError) {
      io.err(`npugen: ${e.message}`);
      return EXIT.badInput;
    }
    throw e;
  }
}
