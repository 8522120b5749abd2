// Sweep files: the axes parse into points, every mistake is reported with file:line and exits 2
// through the CLI, and shards are deterministic, disjoint slices that cover every point.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseSweep } from '../../explore/sweep.ts';
import { enumeratePoints } from '../../explore/point.ts';
import { shardOf } from '../../explore/run.ts';
import { runCli } from '../../cli/main.ts';
import { DesignFileError } from '../../cli/design-file.ts';

const GOOD = `model: digits-mlp
precisions: [int8, w4a8, int4]
tiles: [2x2, 4x4]
target: { device: hx8k }
scales: [per_channel, per_tensor]
qat: [off, on]
`;

function errorOf(text: string): DesignFileError {
  try {
    parseSweep('s.yaml', text);
  } catch (e) {
    if (e instanceof DesignFileError) return e;
    throw e;
  }
  throw new Error('expected a DesignFileError');
}

describe('sweep file', () => {
  test('the cross product of the axes, with unique ids', () => {
    const pts = enumeratePoints(parseSweep('s.yaml', GOOD));
    expect(pts).toHaveLength(3 * 2 * 2 * 2);
    expect(new Set(pts.map((p) => p.id)).size).toBe(24);
    expect(pts[0]).toMatchObject({ id: 'int8_2x2', precision: 'int8', tile: '2x2', device: 'hx8k', rtlSample: 16 });
  });

  test('a float precision is one point per tile (scales and qat are integer axes)', () => {
    const pts = enumeratePoints(parseSweep('s.yaml', GOOD.replace('int4]', 'bf16]')));
    expect(pts.filter((p) => p.precision === 'bf16').map((p) => [p.id, p.scales, p.qat])).toEqual([['bf16_2x2', 'none', 'off'], ['bf16_4x4', 'none', 'off']]);
    expect(pts.map((p) => p.index)).toEqual(pts.map((_, i) => i));
  });

  test.each([
    ['unknown key', GOOD.replace('scales:', 'scale:'), 5, /scale: unknown key.*did you mean 'scales'/],
    ['unknown precision', GOOD.replace('int4]', 'int3]'), 2, /unknown precision 'int3'/],
    ['planned precision', GOOD.replace('int4]', 'mxfp4]'), 2, /'mxfp4' is named but not yet run on RTL/],
    ['bad tile', GOOD.replace('4x4]', '4by4]'), 3, /tiles: expected RxC/],
    ['bad device', GOOD.replace('hx8k', 'ecp5'), 4, /target.device: unknown device 'ecp5'/],
    ['bad qat', GOOD.replace('on]', 'yes]'), 6, /qat: unknown value 'yes'.*expected one of off, on/],
    ['onnx model without eval', GOOD.replace('digits-mlp', 'net.onnx'), 1, /eval: required with an ONNX model/],
    ['not a model', GOOD.replace('digits-mlp', 'net.pb'), 1, /model: expected digits-mlp .* or a path to a quantized .onnx model/],
    ['missing tiles', GOOD.replace('tiles: [2x2, 4x4]\n', ''), 1, /tiles: required/],
    ['bad rtl_sample', `${GOOD}rtl_sample: 0\n`, 7, /rtl_sample: expected an integer 1..360/],
  ])('%s: file:line and what to do', (_, text, line, message) => {
    const e = errorOf(text);
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(`s.yaml:${line}:`)).toBe(true);
  });

  test('the CLI exits 2 with the line for a bad sweep file, and for bad flags', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npugen-sweep-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, GOOD.replace('hx8k', 'hx1k'));
    const err: string[] = [];
    const io = { out: () => {}, err: (s: string) => { err.push(s); }, isTty: false };
    expect(await runCli(['explore', file, '-o', join(dir, 'out')], io)).toBe(2);
    expect(err.join('\n')).toContain(`${file}:4:`);
    expect(await runCli(['explore', file, '-o', join(dir, 'out'), '--shard', '3/2'], io)).toBe(2);
    expect(await runCli(['explore', file], io)).toBe(2);
    expect(await runCli(['explore', 'merge', join(dir, 'nothing'), '-o', join(dir, 'm')], io)).toBe(2);
  });

  test('shards are disjoint, deterministic and together cover every point', () => {
    const pts = enumeratePoints(parseSweep('s.yaml', GOOD));
    const shards = [1, 2, 3].map((index) => shardOf(pts, { index, count: 3 }).map((p) => p.id));
    expect(shards.flat().sort()).toEqual(pts.map((p) => p.id).sort());
    expect(shards.map((s) => s.length)).toEqual([8, 8, 8]);
    expect(shardOf(pts, { index: 2, count: 3 }).map((p) => p.id)).toEqual(shards[1]);
  });
});
