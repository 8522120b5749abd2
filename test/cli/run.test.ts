// `npugen run` end to end through the CLI: bad input exits 2 with a message naming what is wrong.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import { writeNpy } from '../../onnx/npy.ts';
import { tensor } from '../../onnx/tensor.ts';
import * as M from '../helpers/onnx-models.ts';

function collector(): CliIo & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out: (t) => void out_.push(t), err: (t) => void err_.push(t), isTty: false, out_, err_ };
}

const dir = mkdtempSync(path.join(tmpdir(), 'npugen-run-'));
const file = (name: string, bytes: Uint8Array) => {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

describe('npugen run: bad input exits 2', () => {
  const mmi = file('mmi.onnx', M.matMulIntegerModel({ m: 3, k: 5, n: 4 }));

  test('an unsupported op names the op and the node', async () => {
    const io = collector();
    expect(await runCli(['run', file('bad.onnx', M.unsupportedOpModel()), '--random', '1', '--sim', 'builtin'], io)).toBe(2);
    expect(io.err_.join('\n')).toMatch(/node 'my_softmax' \(Softmax\): op not supported; npugen runs: .*QLinearMatMul/);
  });

  test.each([
    [['--random', '1', '--sim', 'builtin', '--tile', '0x4'], /--tile must be RxC with 1\.\.64/],
    [['--random', '0'], /--random must be an integer in 1\.\.10000/],
    [['--sim', 'questa', '--random', '1'], /--sim must be builtin, icarus or verilator/],
    [[], /give the inputs with --input NAME=FILE\.npy, or --random N/],
    [['--input', 'a'], /--input must be NAME=FILE\.npy/],
    [['--input', 'a=/nonexistent.npy'], /--input a: cannot read '\/nonexistent\.npy': ENOENT/],
  ])('%j', async (args, message) => {
    const io = collector();
    expect(await runCli(['run', mmi, ...args], io)).toBe(2);
    expect(io.err_.join('\n')).toMatch(message);
  });

  test('an input of the wrong dtype, shape or name, and a file that is not ONNX', async () => {
    const cases: [string[], RegExp][] = [
      [['--input', `a=${file('f.npy', writeNpy(tensor('float32', [3, 5], new Array<number>(15).fill(0))))}`], /input 'a' must be uint8, got float32/],
      [['--input', `a=${file('s.npy', writeNpy(tensor('uint8', [5, 3], new Array<number>(15).fill(0))))}`], /input 'a' must have shape \[3, 5\], got \[5, 3\]/],
      [['--input', `b=${file('b.npy', writeNpy(tensor('uint8', [3, 5], new Array<number>(15).fill(0))))}`], /the model has no input 'b'; its inputs: a/],
    ];
    for (const [args, message] of cases) {
      const io = collector();
      expect(await runCli(['run', mmi, ...args], io)).toBe(2);
      expect(io.err_.join('\n')).toMatch(message);
    }
    const io = collector();
    expect(await runCli(['run', file('junk.onnx', new Uint8Array([1, 2, 3, 4, 5])), '--random', '1'], io)).toBe(2);
    expect(io.err_.join('\n')).toMatch(/junk\.onnx: not an ONNX model/);
  });
});
