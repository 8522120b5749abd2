// bench/lib/reorder-verilog.ts (float-qor --reorder): the reordered RTL is the same logic in
// another order: the same assignments, permuted, and it still passes verify against the golden
// model on Icarus; a reordering that drops an assignment is caught by the same check.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { instantiate } from '../../../catalog/index.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import { reorderVerilog } from '../../../bench/lib/reorder-verilog.ts';
import { describeWithTools } from '../../helpers/simulators.ts';

const { design, model } = instantiate('fp_mul', { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3' }, 'fpm');
const text = emitVerilog(design)[0]!.text;
const assigns = (t: string): string[] => t.split('\n').filter((l) => /^\s*assign /.test(l));
const wiresWithValue = (t: string): number => t.split('\n').filter((l) => /^\s*wire .* = /.test(l)).length;

describe('reorderVerilog', () => {
  test('every wire with a value becomes a declaration and an assign; rev is the reverse order, shuf<N> a seeded permutation', () => {
    const n = wiresWithValue(text);
    expect(n).toBeGreaterThan(20);
    const rev = reorderVerilog(text, 'rev');
    const shuf = reorderVerilog(text, 'shuf1');
    expect(wiresWithValue(rev)).toBe(0);
    const original = text.split('\n').flatMap((l) => { const m = /^\s*wire (?:\[[^\]]+\] )?(\w+) = (.*?);/.exec(l); return m ? [`  assign ${m[1]} = ${m[2]};`] : []; });
    const newAssigns = (t: string) => assigns(t).filter((a) => !assigns(text).includes(a));
    expect(newAssigns(rev)).toEqual([...original].reverse());
    expect([...newAssigns(shuf)].sort()).toEqual([...original].sort());
    expect(newAssigns(shuf)).not.toEqual(original);
    expect(reorderVerilog(text, 'shuf1')).toBe(shuf);
    expect(reorderVerilog(text, 'shuf2')).not.toBe(shuf);
  });
});

describeWithTools('icarus', 'reordered RTL on Icarus', () => {
  const dirs: string[] = [];
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });
  const verifyText = async (t: string) => {
    const dir = await mkdtemp(join(tmpdir(), 'npugen-reorder-'));
    dirs.push(dir);
    await writeFile(join(dir, 'fpm.v'), t);
    return verifyDesign(design, { model, simulators: ['icarus'], vectors: 300, seed: 2, corners: true, rtlFiles: [join(dir, 'fpm.v')], runDirFor: () => join(dir, 'run') });
  };

  test('shuf3 passes verify against the golden model; the same reordering without one assign fails', async () => {
    const shuf = reorderVerilog(text, 'shuf3');
    expect((await verifyText(shuf)).passed).toBe(true);
    const dropped = assigns(shuf).find((a) => /assign \w+ = .*[+*]/.test(a))!;
    const broken = await verifyText(shuf.replace(`${dropped}\n`, ''));
    expect(broken.passed).toBe(false);
  }, 120_000);
});
