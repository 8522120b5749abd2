// The built-in simulator against hand-computed sequences (not against itself).
import { describe, expect, test } from 'vitest';
import { defineModule, SInt, UInt } from '../../../dsl/index.ts';
import { buildMacI8 } from '../../../dsl/npu/mac.ts';
import { buildCounter } from '../../../examples/counter.ts';
import { Simulator } from '../../../sim/eval/simulator.ts';
import { lowerDesign } from '../../../dsl/passes/lower.ts';

describe('built-in simulator', () => {
  test('counter: counts when enabled, wraps at 2^width, holds otherwise, resets synchronously', () => {
    const sim = new Simulator(buildCounter(3));
    sim.reset(1);
    const seen: bigint[] = [];
    for (const en of [1, 1, 0, 1, 1, 1, 1, 1, 1, 0]) seen.push(sim.step({ en: BigInt(en) })['value']!);
    expect(seen).toEqual([0n, 1n, 2n, 2n, 3n, 4n, 5n, 6n, 7n, 0n]);
    sim.step({ en: 1n }, true);
    expect(sim.step({ en: 0n })['value']).toBe(0n);
  });

  test('mac_i8: signed products accumulate, clear restarts, int32 wraps', () => {
    const sim = new Simulator(buildMacI8());
    sim.reset(2);
    const step = (a: number, b: number, en: number, clear: number) => sim.step({ a: BigInt(a), b: BigInt(b), en: BigInt(en), clear: BigInt(clear) })['acc_out'];
    expect(step(-128, -128, 1, 0)).toBe(0n);
    expect(step(127, -128, 1, 0)).toBe(16384n);
    expect(step(5, 5, 0, 0)).toBe(16384n - 16256n);
    expect(step(3, 4, 1, 1)).toBe(128n);
    expect(step(0, 0, 0, 0)).toBe(12n);
    // 2^31 - 1 + 1 wraps to -2^31: drive acc near the top with repeated 127*127 products.
    const big = defineModule('acc_wrap', (m) => {
      const x = m.input('x', SInt(32));
      const r = m.reg('r', SInt(32), { reset: 0n });
      r.next(r.add(x).wrap(32));
      m.output('y', SInt(32)).drive(r);
    });
    const s2 = new Simulator(big);
    s2.reset();
    s2.step({ x: 2147483647n });
    expect(s2.step({ x: 1n })['y']).toBe(2147483647n);
    expect(s2.step({ x: 0n })['y']).toBe(-2147483648n);
  });

  test('hierarchy and lowered IR simulate identically to the unlowered design', () => {
    const mac = buildMacI8();
    const top = defineModule('two', (m) => {
      const a = m.input('a', SInt(8));
      const en = m.input('en', UInt(1));
      const u0 = m.instance('u0', mac, { a, b: a, en, clear: 0n });
      const u1 = m.instance('u1', mac, { a, b: -3n, en, clear: 0n });
      m.output('y', SInt(33)).drive(u0['acc_out']!.add(u1['acc_out']!));
    });
    const s1 = new Simulator(top);
    const s2 = new Simulator(lowerDesign(top));
    s1.reset(); s2.reset();
    let expected = 0n;
    for (const a of [5n, -7n, 127n, -128n, 0n, 1n]) {
      expect(s1.step({ a, en: 1n })['y']).toBe(expected);
      expect(s2.step({ a, en: 1n })['y']).toBe(expected);
      expected += a * a + a * -3n;
    }
  });

  test('rejects an input value outside its type', () => {
    const sim = new Simulator(buildCounter(3));
    expect(() => sim.step({ en: 2n })).toThrow("value 2 for input 'en' does not fit UInt(1)");
  });
});
