// The array budget of gen and synth (cli/array-budget.ts): the documented maximum array is
// refused before anything is built (exit 2, naming the shape and --allow-large), and a run
// prints its estimate and each phase (always for a long run; with --progress for any).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'npugen-array-budget-'));

function yaml(name: string, generator: string, rows: number, cols: number): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, `generator: ${generator}\nname: ${name}\nparams:\n  rows: ${rows}\n  cols: ${cols}\n`);
  return file;
}

function collector(): CliIo & { text: () => string; errLines: string[] } {
  const lines: string[] = [];
  const errLines: string[] = [];
  return { out: (t) => void lines.push(t), err: (t) => { lines.push(t); errLines.push(t); }, isTty: false, text: () => lines.join('\n'), errLines };
}

describe('array budget', () => {
  test('gen of a 1024x1024 systolic_array is refused before it is built (exit 2, names --allow-large)', async () => {
    const out = path.join(dir, 'out-1k');
    const io = collector();
    const t0 = performance.now();
    expect(await runCli(['gen', yaml('sa1k', 'systolic_array', 1024, 1024), '-o', out], io)).toBe(2);
    expect(io.text()).toMatch(/params rows, cols: systolic_array 1024x1024 \(1,048,576 PEs\): npugen gen needs about .* GB of memory.*over the budget \(memory .* > 2\.0 GB.*\); use a smaller array, or add --allow-large/);
    expect(existsSync(out)).toBe(false);
    // Refused up front: building the array alone would take minutes.
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  test('synth of a 32x32 gemm_tile is refused before yosys runs (exit 2)', async () => {
    const io = collector();
    expect(await runCli(['synth', yaml('gt32', 'gemm_tile', 32, 32), '--target', 'generic'], io)).toBe(2);
    expect(io.text()).toMatch(/gemm_tile 32x32 \(1,024 PEs\): npugen synth needs .*over the budget.*add --allow-large to run it anyway/);
  });

  test('gen --progress prints the estimate, then each phase as it starts', async () => {
    const io = collector();
    const out = path.join(dir, 'out-4');
    expect(await runCli(['gen', yaml('sa4', 'systolic_array', 4, 4), '-o', out, '--vectors', '10', '--progress'], io), io.text()).toBe(0);
    const err = io.errLines;
    expect(err[0]).toMatch(/^npugen: gen sa4: systolic_array 4x4 \(16 PEs\): npugen gen needs about \d+ s, .* of memory, .* of disk in /);
    const phases = err.slice(1).map((l) => l.replace(/ \(at \d+\.\d s\)$/, ''));
    expect(phases).toEqual([
      'gen sa4: build systolic_array 4x4 (16 PEs)',
      'gen sa4: emit Verilog',
      'gen sa4: 10 vectors and their expected outputs',
      'gen sa4: testbench, file list, FuseSoC core, bindings',
      `gen sa4: write ${io.text().split('\n').filter((l) => l.startsWith('wrote ')).length} files into ${out}`,
    ]);
    expect(existsSync(path.join(out, 'sa4.v'))).toBe(true);
  });

  test('without --progress a short gen prints nothing but the files it wrote', async () => {
    const io = collector();
    expect(await runCli(['gen', yaml('sa2', 'systolic_array', 2, 2), '-o', path.join(dir, 'out-2'), '--vectors', '10'], io)).toBe(0);
    expect(io.errLines).toEqual([]);
  });
});
