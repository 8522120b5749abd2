// Float generator params found by the param fuzzer (bench/fuzz.ts, bench/results/fuzz-cases/
// param-*.json): a result format without NaN (fp6_e3m2, fp6_e2m3, fp4_e2m1) behind operands that
// can be NaN or Inf is refused up front naming the param (exit 2 from the CLI); behind always-finite
// operands it is supported and matches the golden model; fp_mac with a: fp32 no longer crashes
// its model (a sign flip through JavaScript's int32 `^`).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { instantiate } from '../../../catalog/index.ts';
import { ParamError } from '../../../dsl/npu/params.ts';
import { runCli } from '../../../cli/main.ts';
import { verifyDesign } from '../../../sim/cosim/verify.ts';

const refused: [string, Record<string, unknown>, string, RegExp][] = [
  ['fp_mul', { out: 'fp6_e3m2' }, 'out', /out: fp6_e3m2 has no NaN encoding, but a: fp8_e4m3 and b: fp8_e4m3 have NaN\/Inf codes/],
  ['fp_dot', { accumulator: 'fp4_e2m1', a: 'fp4_e2m1' }, 'accumulator', /accumulator: fp4_e2m1 has no NaN encoding, but b: fp8_e4m3 has NaN\/Inf codes/],
  ['fp_mac', { accumulator: 'fp6_e2m3', a: 'fp16', b: 'fp6_e3m2' }, 'accumulator', /accumulator: fp6_e2m3 has no NaN encoding, but a: fp16 has NaN\/Inf codes/],
];

describe('result formats without NaN', () => {
  for (const [gen, params, key, message] of refused) {
    test(`${gen} ${JSON.stringify(params)} is refused naming params.${key} and what is allowed`, () => {
      let err: unknown;
      try {
        instantiate(gen, params);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParamError);
      expect((err as ParamError).key).toBe(key);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toMatch(/a format with NaN \(fp32, fp16, bf16, fp8_e4m3, .*\) or operand formats without NaN and Inf \(fp6_e3m2, fp6_e2m3, fp4_e2m1\)/);
    });
  }

  test('the CLI exits 2 with the message located at the key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'npugen-fp-params-'));
    const file = path.join(dir, 'm.yaml');
    writeFileSync(file, 'generator: fp_mul\nname: m\nparams:\n  a: fp8_e5m2\n  out: fp6_e3m2\n');
    const lines: string[] = [];
    const code = await runCli(['verify', file, '--sim', 'builtin', '--vectors', '10'], { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTty: false });
    const text = lines.join('\n');
    expect(code, text).toBe(2);
    expect(text).toMatch(/m\.yaml:5:\d+: params\.out: fp6_e3m2 has no NaN encoding, but a: fp8_e5m2 and b: fp8_e4m3 have NaN\/Inf codes/);
    expect(text).not.toMatch(/\n\s+at /);
  });

  // Always-finite operands: products and sums are finite and overflow saturates, so no NaN arises.
  const supported: [string, Record<string, unknown>][] = [
    ['fp_mac', { a: 'fp6_e3m2', b: 'fp6_e2m3', accumulator: 'fp6_e3m2' }],
    ['fp_mac', { a: 'fp4_e2m1', b: 'fp6_e2m3', accumulator: 'fp4_e2m1', fused: false }],
    ['fp_dot', { a: 'fp4_e2m1', b: 'fp4_e2m1', accumulator: 'fp6_e3m2', lanes: 3 }],
  ];
  for (const [gen, params] of supported) {
    test(`${gen} ${JSON.stringify(params)} is supported: built-in simulator equals the golden model (corners + random)`, async () => {
      const { design, model } = instantiate(gen, params);
      const r = await verifyDesign(design, { model, simulators: ['builtin'], vectors: 300, seed: 3, corners: true });
      expect(r.passed).toBe(true);
      expect(r.outcomes[0]!.counts.vectors).toBeGreaterThan(300);
    });
  }
});

describe('fp_mac with a 32-bit operand format', () => {
  test('a: fp32 (fuzz case param-fp_mac-1-6) matches its golden model, corners included', async () => {
    const { design, model } = instantiate('fp_mac', { a: 'fp32', accumulator: 'bf16', fused: false, subnormals: 'flush', pipeline_stages: 1 });
    const r = await verifyDesign(design, { model, simulators: ['builtin'], vectors: 200, seed: 1, corners: true });
    expect(r.passed).toBe(true);
  });
});
