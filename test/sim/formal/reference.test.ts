// The hand-written references of the formal proofs are themselves checked against the golden
// model by simulation, so a proof against them means agreement with the golden model.
import path from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../../../cli/main.ts';
import type { CliIo } from '../../../cli/io.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describeWithTools } from '../../helpers/simulators.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describeWithTools('icarus', 'formal references vs the golden model', () => {
  test('ref_fp8_e4m3_mul equals the golden fp_mul model on every operand pair (Icarus)', async () => {
    // A design named like the reference module, so `--rtl` substitutes the reference for the generated RTL.
    const dir = mkdtempSync(path.join(tmpdir(), 'npugen-ref-'));
    const design = path.join(dir, 'ref.yaml');
    writeFileSync(design, 'generator: fp_mul\nname: ref_fp8_e4m3_mul\nparams: { a: fp8_e4m3, b: fp8_e4m3, out: fp8_e4m3, subnormals: ieee }\n');
    const lines: string[] = [];
    const io: CliIo = { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTty: false };
    const code = await runCli(['verify', design, '--sim', 'icarus', '--exhaustive', '--vectors', '1', '--rtl', path.join(ROOT, 'test/fixtures/formal/ref_fp8_e4m3_mul.v')], io);
    expect(code, lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toMatch(/65,?53[67]/);
  });
});
