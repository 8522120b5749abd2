// The built-in simulator against hand-computed sequences (not against itself).
import { describe, expect, test } from 'vitest';
import { defineModule, SInt, UInt } from '../../../dsl/index.ts';
import { buildMacI8 } from '../../../dsl/npu/mac.ts';
import { buildCounter } from '../../../examples/counter.ts';
import { Interpreter, Simulator } from '../../../sim/eval/simulator.ts';
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

describe('built-in simulator: registers that read each other on the clock edge', () => {
  // Shift chains (written in place from their far end), swaps and rotations (read cycles, through
  // temporaries), an enable read from another register, wide (bigint) registers; expected values by hand.
  const edges = defineModule('edges', (m) => {
    const x = m.input('x', UInt(8));
    const en = m.input('en', UInt(1));
    const d = [1, 2, 3, 4].map((i) => m.reg(`d${i}`, UInt(8), { reset: 0n }));
    d.forEach((r, i) => r.next(i === 0 ? x : d[i - 1]!));
    const [a, b] = [m.reg('a', UInt(4), { reset: 1n }), m.reg('b', UInt(4), { reset: 2n })];
    a.next(b); b.next(a);
    const enR = m.reg('en_r', UInt(1), { reset: 0n });
    enR.next(en);
    const rot = [5n, 6n, 7n].map((v, i) => m.reg(`q${i}`, UInt(4), { reset: v, enable: enR }));
    rot.forEach((r, i) => r.next(rot[(i + 1) % 3]!));
    const [w0, w1] = [m.reg('w0', UInt(40), { reset: 2n ** 39n + 1n }), m.reg('w1', UInt(40), { reset: 3n })];
    w0.next(w1); w1.next(w0);
    const wd = m.reg('wd', UInt(40), { reset: 0n });
    wd.next(w0);
    m.output('y', UInt(8)).drive(d[3]!);
    m.output('a_out', UInt(4)).drive(a);
    m.output('b_out', UInt(4)).drive(b);
    rot.forEach((r, i) => m.output(`q${i}_out`, UInt(4)).drive(r));
    m.output('w', UInt(40)).drive(wd);
  });

  test('each register takes the old value of the one it reads', () => {
    const xs = [10n, 20n, 30n, 40n, 50n, 60n, 70n];
    const ens = [1n, 0n, 1n, 1n, 0n, 0n, 1n];
    for (const make of [() => new Simulator(edges), () => new Interpreter(edges)]) {
      const sim = make();
      sim.reset(1);
      const outs = xs.map((x, k) => sim.step({ x, en: ens[k]! }));
      // y: x delayed four cycles (zeros from reset first).
      expect(outs.map((o) => o['y'])).toEqual([0n, 0n, 0n, 0n, 10n, 20n, 30n]);
      // a, b swap every cycle from (1, 2).
      expect(outs.map((o) => [o['a_out'], o['b_out']])).toEqual([[1n, 2n], [2n, 1n], [1n, 2n], [2n, 1n], [1n, 2n], [2n, 1n], [1n, 2n]]);
      // q0 q1 q2 rotate left one place at the end of every cycle whose en_r (en one cycle late) is 1:
      // en_r = 0, 1, 0, 1, 1, 0, 0 in cycles 0..6, so they are seen rotated in cycles 2, 4 and 5.
      expect(outs.map((o) => [o['q0_out'], o['q1_out'], o['q2_out']])).toEqual([[5n, 6n, 7n], [5n, 6n, 7n], [6n, 7n, 5n], [6n, 7n, 5n], [7n, 5n, 6n], [5n, 6n, 7n], [5n, 6n, 7n]]);
      // wd: w0 delayed, w0 and w1 swapping from (2^39 + 1, 3).
      const W = 2n ** 39n + 1n;
      expect(outs.map((o) => o['w'])).toEqual([0n, W, 3n, W, 3n, W, 3n]);
    }
  });
});

describe('built-in simulator: port values of every representation', () => {
  // Inputs and outputs of 1..64 bits, both signednesses: narrow outputs come from a shared table
  // (<= 8 bits) or a 64-bit scratch word (9..32 bits), wide ones are bigints throughout.
  const widths = [1, 7, 8, 9, 16, 31, 32, 33, 53, 64];
  const types = widths.flatMap((w) => [[`u${w}`, UInt(w), false, w], [`s${w}`, SInt(w), true, w]] as const).filter(([, , signed, w]) => !(signed && w === 1));
  const design = defineModule('ports', (m) => {
    for (const [name, t] of types) {
      const x = m.input(`${name}_in`, t);
      const r = m.reg(`${name}_r`, t, { reset: 0n });
      r.next(x);
      m.output(`${name}_now`, t).drive(x);
      m.output(`${name}_late`, t).drive(r);
    }
  });
  const range = (signed: boolean, w: number): [bigint, bigint] => (signed ? [-(2n ** BigInt(w - 1)), 2n ** BigInt(w - 1) - 1n] : [0n, 2n ** BigInt(w) - 1n]);
  /** Extremes, their neighbours, 0, ±1 and the 2^31 / 2^32 / 2^53 boundaries that fit. */
  const values = (signed: boolean, w: number): bigint[] => {
    const [lo, hi] = range(signed, w);
    const cands = [lo, lo + 1n, -1n, 0n, 1n, hi - 1n, hi, 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n), 2n ** 32n - 1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n];
    return [...new Set(cands.filter((v) => v >= lo && v <= hi))];
  };

  test('each value comes out as the same bigint, at once and a cycle later', () => {
    const sim = new Simulator(design);
    sim.reset(1);
    const n = Math.max(...types.map(([, , signed, w]) => values(signed, w).length));
    const at = (k: number) => Object.fromEntries(types.map(([name, , signed, w]) => { const vs = values(signed, w); return [`${name}_in`, vs[k % vs.length]!]; }));
    let prev: Record<string, bigint> | undefined;
    for (let k = 0; k < n + 1; k++) {
      const ins = at(k);
      const out = sim.step(ins);
      for (const [name] of types) {
        expect(out[`${name}_now`]).toBe(ins[`${name}_in`]);
        expect(out[`${name}_late`]).toBe(prev === undefined ? 0n : prev[`${name}_in`]);
      }
      prev = ins;
    }
  });

  test('values one past either end of each input type are refused', () => {
    const sim = new Simulator(design);
    const zeros = Object.fromEntries(types.map(([name]) => [`${name}_in`, 0n]));
    for (const [name, t, signed, w] of types) {
      const [lo, hi] = range(signed, w);
      for (const bad of [lo - 1n, hi + 1n]) expect(() => sim.step({ ...zeros, [`${name}_in`]: bad })).toThrow(`value ${bad} for input '${name}_in' does not fit ${t.signed ? 'SInt' : 'UInt'}(${w})`);
    }
  });
});

