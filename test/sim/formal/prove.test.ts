// Formal equivalence proofs (yosys SAT) of generated blocks: against independent hand-written
// references, and pipelined variants against their unpipelined form. Each proof is paired with a
// planted fault that the solver must refute with a counterexample, so a proof that checks
// nothing (ports left unconnected, a vacuous miter) fails the test.
import { expect, test } from 'vitest';
import { proveEquivalent } from '../../../sim/formal/prove.ts';
import { fp8MulCase, macCase, pipelinedMulCase, type FormalCase } from '../../helpers/formal-cases.ts';
import { describeWithTools } from '../../helpers/simulators.ts';

async function checkCase(c: FormalCase, outputPort: string): Promise<void> {
  expect(await proveEquivalent({ gold: c.gold, gate: c.gate, method: c.method }), c.name).toMatchObject({ proven: true });
  const r = await proveEquivalent({ gold: c.faulty, gate: c.gate, method: c.method });
  expect(r.proven, `${c.name}: planted fault`).toBe(false);
  if (!r.proven) expect(r.counterexample).toContain(`gold_${outputPort}`);
}

describeWithTools('yosys', 'formal equivalence with yosys', () => {
  test('mac_i8 equals the hand-written MAC (k-induction); a zero-extended product is refuted', async () => checkCase(await macCase(), 'acc_out'));
  // The reference is checked against the golden model on all 65,536 operand pairs in reference.test.ts.
  test('fp_mul e4m3 equals the hand-written E4M3 multiplier; rounding toward zero is refuted', () => checkCase(fp8MulCase(), 'y'));
  test('fp_mul e4m3 with 2 pipeline stages equals the combinational one delayed by 2; delayed by 1 is refuted', () => checkCase(pipelinedMulCase('fp8_e4m3'), 'y'));
  test('fp_mul bf16 with 2 pipeline stages equals the combinational one delayed by 2; delayed by 1 is refuted', () => checkCase(pipelinedMulCase('bf16'), 'y'));
});
