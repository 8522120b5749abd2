// Each pass of the pipeline alone: what it removes or merges, that it keeps source locations and
// name hints, and (for every pass) that the design still simulates exactly like the input on the
// reference interpreter. Expected values are worked out by hand, not taken from the passes.
import { describe, expect, test } from 'vitest';
import { defineModule, SInt, UInt, type Design } from '../../../dsl/index.ts';
import type { ModuleIR, Node } from '../../../dsl/ir/nodes.ts';
import { lowerDesign } from '../../../dsl/passes/lower.ts';
import { foldDesign } from '../../../dsl/passes/fold.ts';
import { cseDesign } from '../../../dsl/passes/cse.ts';
import { dceDesign } from '../../../dsl/passes/dce.ts';
import { Interpreter } from '../../../sim/eval/interpreter.ts';
import { isPrimOp } from '../../../dsl/ops/names.ts';

const top = (d: Design): ModuleIR => d.modules[d.modules.length - 1]!;
const ops = (m: ModuleIR, op?: string): Node[] => m.nodes.filter((n) => n.kind === 'op' && (op === undefined || n.op === op));
const driver = (m: ModuleIR, name: string): Node => {
  const s = m.signals.find((x) => x.name === name)!;
  return m.nodes[m.connects.find((c) => c.target === s.id)!.value]!;
};
const here = import.meta.filename;

/** Same outputs for every input row on the reference interpreter. */
function expectSameBehaviour(a: Design, b: Design, rows: readonly Record<string, bigint>[]): void {
  const sa = new Interpreter(a);
  const sb = new Interpreter(b);
  sa.reset(); sb.reset();
  for (const r of rows) expect(sb.step(r)).toEqual(sa.step(r));
}

describe('lower', () => {
  test('leaves primitive ops only, keeps locations and moves a name hint to the result node', () => {
    const d = defineModule('low', (m) => {
      const a = m.input('a', UInt(4));
      const b = m.input('b', SInt(3));
      m.output('y', SInt(6)).drive(a.add(b).named('sum'));
    });
    const low = top(lowerDesign(d));
    expect(ops(low).every((n) => n.kind === 'op' && isPrimOp(n.op))).toBe(true);
    expect(low.nodes.every((n) => n.loc.file === here)).toBe(true);
    const y = driver(low, 'y');
    // y is SInt(6) and the sum SInt(6): the named addw drives it directly.
    expect(y).toMatchObject({ kind: 'op', op: 'addw', name: 'sum' });
    const rows = [];
    for (let a = 0n; a < 16n; a++) for (let b = -4n; b < 4n; b++) rows.push({ a, b });
    expectSameBehaviour(d, lowerDesign(d), rows);
  });
});

describe('fold', () => {
  const d = defineModule('fold', (m) => {
    const a = m.input('a', UInt(4));
    const c = m.constant(3, UInt(4)).add(4);
    m.output('k', UInt(5)).drive(c);
    m.output('id', UInt(4)).drive(a.or(0));
    m.output('never', UInt(1)).drive(a.ext(6).gt(m.constant(20, UInt(5)).ext(6)));
    m.output('same', UInt(4)).drive(a.xor(a));
  });
  const low = top(lowerDesign(d));
  const folded = top(foldDesign(lowerDesign(d)));

  test('an op of constants becomes a constant with the op\'s location', () => {
    expect(driver(low, 'k').kind).toBe('op');
    expect(driver(folded, 'k')).toMatchObject({ kind: 'const', value: 7n, loc: driver(low, 'k').loc });
  });

  test('identities give the operand or a constant; a range-decided compare becomes a constant', () => {
    expect(driver(folded, 'id')).toMatchObject({ kind: 'read' });
    // a <= 15 < 20 whatever a is: the comparison is decided by the operand ranges.
    expect(driver(low, 'never').kind).toBe('op');
    expect(driver(folded, 'never')).toMatchObject({ kind: 'const', value: 0n });
    expect(driver(folded, 'same')).toMatchObject({ kind: 'const', value: 0n });
  });

  test('behaviour is unchanged on every input', () => {
    expectSameBehaviour(d, foldDesign(lowerDesign(d)), Array.from({ length: 16 }, (_, a) => ({ a: BigInt(a) })));
  });
});

describe('cse', () => {
  const d = defineModule('cse', (m) => {
    const a = m.input('a', UInt(8));
    const b = m.input('b', UInt(8));
    const first = a.add(b);
    const second = a.add(b).named('total');
    m.output('p', UInt(9)).drive(first);
    m.output('q', UInt(9)).drive(second);
    m.output('r', UInt(9)).drive(b.add(a));
  });
  const out = top(cseDesign(lowerDesign(d)));

  test('identical expressions become one node that keeps the first location and the name hint', () => {
    const low = top(lowerDesign(d));
    expect(ops(low, 'addw')).toHaveLength(3);
    const adds = ops(out, 'addw');
    // a+b twice merge; b+a stays (operand order is kept as written).
    expect(adds).toHaveLength(2);
    expect(driver(out, 'p')).toBe(driver(out, 'q'));
    expect(driver(out, 'p')).toMatchObject({ name: 'total', loc: driver(low, 'p').loc });
    expect(driver(out, 'r')).not.toBe(driver(out, 'p'));
  });

  test('behaviour is unchanged', () => {
    expectSameBehaviour(d, cseDesign(lowerDesign(d)), [{ a: 255n, b: 255n }, { a: 3n, b: 200n }, { a: 0n, b: 1n }]);
  });
});

describe('dce', () => {
  const child = defineModule('dce_child', (m) => {
    const x = m.input('x', UInt(4));
    m.output('u', UInt(4)).drive(x);
    m.output('v', UInt(5)).drive(x.add(1));
  });
  const d = defineModule('dce', (m) => {
    const a = m.input('a', UInt(4));
    const en = m.input('en', UInt(1));
    const r = m.reg('r', UInt(4), { enable: en.and(1) });
    r.next(a);
    const c = m.instance('c', child, { x: a.add(1).wrap(4) });
    a.mul(a); // built and never used
    m.output('y', UInt(4)).drive(r.or(c['u']!));
  });
  const low = lowerDesign(d);
  const out = top(dceDesign(low));

  test('removes what no sink reads, keeps enables, instance inputs and every instance output', () => {
    expect(ops(top(low), 'mulw')).toHaveLength(1);
    expect(ops(out, 'mulw')).toHaveLength(0);
    // The enable (en & 1), the instance input (a + 1, sliced) and the unused output v stay.
    expect(ops(out, 'and')).toHaveLength(1);
    expect(ops(out, 'addw')).toHaveLength(1);
    expect(out.nodes.filter((n) => n.kind === 'instOut').map((n) => n.kind === 'instOut' && n.port).sort()).toEqual(['u', 'v']);
    // Operands precede their users after renumbering.
    for (const n of out.nodes) if (n.kind === 'op') for (const x of n.args) expect(x).toBeLessThan(n.id);
    expect(out.signals).toEqual(top(low).signals.map((s) => (s.reg?.enable !== undefined ? { ...s, reg: { ...s.reg, enable: expect.any(Number) } } : s)));
  });

  test('behaviour is unchanged', () => {
    expectSameBehaviour(d, dceDesign(low), [1n, 0n, 1n, 1n, 0n].map((en, i) => ({ a: BigInt(i * 5 % 16), en })));
  });
});
