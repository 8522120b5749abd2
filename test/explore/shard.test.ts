// Sharding is a partition: `--shard 1/2` and `--shard 2/2` merged with `explore merge` give the
// same points (values, order, Pareto marks) as one run of the whole sweep. Quick flow (built-in
// simulator, no synthesis) keeps it to seconds; the sharding and merging code is the same.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { PointResult } from '../../explore/point.ts';

const SWEEP = `model: digits-mlp
precisions: [int8, w4a8, int4]
tiles: [2x2]
target: { device: generic }
rtl_sample: 1
`;

const io = { out: () => {}, err: () => {}, isTty: false };
// Timings and the output directory named in the reproduce commands differ between runs by nature.
const comparable = (dir: string) => (JSON.parse(readFileSync(join(dir, 'points.json'), 'utf8')) as PointResult[])
  .map(({ phaseMs: _p, reproduce: _r, ...rest }) => rest);

describe('explore --shard and merge', () => {
  test('two shards merged equal one run of the sweep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npugen-shard-'));
    const file = join(dir, 'sweep.yaml');
    writeFileSync(file, SWEEP);
    const run = (...extra: string[]) => runCli(['explore', file, '--quick', '--jobs', '1', ...extra], io);
    expect(await run('-o', join(dir, 'all'))).toBe(0);
    expect(await run('-o', join(dir, 's1'), '--shard', '1/2')).toBe(0);
    expect(await run('-o', join(dir, 's2'), '--shard', '2/2')).toBe(0);
    // Shard 2 first: the merge must restore the sweep's order, not the order of its arguments.
    expect(await runCli(['explore', 'merge', join(dir, 's2'), join(dir, 's1'), '-o', join(dir, 'merged')], io)).toBe(0);
    const all = comparable(join(dir, 'all'));
    expect(all.map((p) => p.id)).toEqual(['int8_2x2', 'w4a8_2x2', 'int4_2x2']);
    expect(comparable(join(dir, 's1')).map((p) => p.id)).toEqual(['int8_2x2', 'int4_2x2']);
    expect(all.every((p) => p.simVerified && !p.rtlVerified && p.luts === null)).toBe(true);
    expect(comparable(join(dir, 'merged'))).toEqual(all);
  }, 120_000);
});

describe('explore output directory (the safe output path of cli/output-dir.ts)', () => {
  const one = `model: digits-mlp\nprecisions: [int8]\ntiles: [2x2]\ntarget: { device: generic }\nrtl_sample: 1\n`;
  const collect = () => {
    const lines: string[] = [];
    return { out: (t: string) => void lines.push(t), err: (t: string) => void lines.push(t), isTty: false, text: () => lines.join('\n') };
  };

  test('a foreign report file is refused before the sweep runs (exit 2); its own output is rewritten; --force overwrites', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npugen-explore-out-'));
    const file = join(dir, 'sweep.yaml');
    writeFileSync(file, one);
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'points.json'), 'my notes\n');
    const refused = collect();
    expect(await runCli(['explore', file, '--quick', '--jobs', '1', '-o', out], refused)).toBe(2);
    expect(refused.text()).toMatch(/-o .*out: would overwrite a file npugen did not write .*\(points\.json\); .*--force/);
    expect(refused.text()).not.toContain('points:'); // refused up front: no point ran
    expect(readFileSync(join(out, 'points.json'), 'utf8')).toBe('my notes\n');
    expect(await runCli(['explore', file, '--quick', '--jobs', '1', '-o', out, '--force'], io)).toBe(0);
    expect(await runCli(['explore', file, '--quick', '--jobs', '1', '-o', out], io)).toBe(0); // npugen's own files: rewritten
    writeFileSync(join(out, 'report.html'), 'edited by hand\n');
    const edited = collect();
    expect(await runCli(['explore', file, '--quick', '--jobs', '1', '-o', out], edited)).toBe(2);
    expect(edited.text()).toContain('(report.html)');
    // merge never writes over one of its inputs
    const merged = collect();
    expect(await runCli(['explore', 'merge', out, '-o', out, '--force'], merged)).toBe(2);
    expect(merged.text()).toContain(`would overwrite the input ${join(out, 'points.json')}`);
  }, 120_000);
});
