/**
 * Regression for the fuzz campaign's Verilator divergence (bench/results/fuzz-cases/
 * fz1-d39-verilator.json): Verilator's DFG optimizer folded a signed `<=` of two equal
 * constants to 0 (verilator/verilator#6000), which shows after inlining a submodule whose input
 * port is tied to a constant. sim/backends/verilator.ts passes `-fno-dfg-peephole-fold-binary`.
 * The expected values are worked out by hand (0 <= 0, 0 >= 0, 5 <= 5 are true), not taken from
 * the code under test; the Verilator case fails with the flag removed (Verilator 5.006).
 * Second case (batch 12 of the campaign): `^(~i0)` over a 68-bit port tied to `{67'h0, x}` made
 * Verilator 5.006 stop with an internal error unless `-fno-subst`.
 * Third case (batch 17, design 24, fz2vvk-d24-verilator.json): a signed `<=` of a sum whose
 * operand is the constant 0 only after inlining through two levels came out 0 on Verilator 5.006
 * unless `-fno-dfg-peephole-remove-sel-from-lhs-of-concat` (it gives `y = 0` instead of `512`).
 * Fourth case (batch 15, design 136, fz2jnm-d136-verilator.json): `^{n, w, n}` (so `w[0]`) with
 * `n` a comparison of a submodule output came out as `~w[0]` on Verilator 5.006 unless
 * `-fno-const-bit-op-tree` (verilator/verilator#4059); every one of 16 cycles differs without it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineModule, SInt, UInt } from '../../../dsl/index.ts';
import { builtinResponses, randomStimulus, testbenchModelOf } from '../../../sim/cosim/ir-testbench.ts';
import { runCase } from '../../../bench/lib/fuzz/case-file.ts';
import { verilatorBuild, VERILATOR_WORKAROUNDS } from '../../../sim/backends/verilator.ts';
import { describeWithTools, testCacheDir } from '../../helpers/simulators.ts';

/** A submodule comparing its (signed) port with constants, instantiated with the port tied to 0 and to 5. */
function tiedPortCompare() {
  const cmp = defineModule('vw_cmp', (m) => {
    const i = m.input('i', UInt(20)).asSigned();
    const zero = m.constant(0n, SInt(20));
    const five = m.constant(5n, SInt(20));
    // o = {i <= 0, i >= 0, i <= 5, i >= 5, i < 0}, most significant first
    m.output('o', UInt(5)).drive(m.cat(i.le(zero), i.ge(zero), i.le(five), i.ge(five), i.lt(zero)));
  });
  return defineModule('vw_top', (m) => {
    const x = m.input('x', UInt(4));
    const a = m.instance('u0', cmp, { i: m.constant(0n, UInt(20)) });
    const b = m.instance('u5', cmp, { i: m.constant(5n, UInt(20)) });
    m.output('y', UInt(14)).drive(m.cat(a['o']!, b['o']!, x));
  });
}

/** A submodule reducing the complement of a 68-bit port, instantiated with the port zero-extended from one bit. */
function tiedWideReduction() {
  const red = defineModule('vw_red', (m) => {
    const n1 = m.input('i', UInt(68)).not();
    m.output('o', UInt(2)).drive(m.cat(n1.xorR(), n1.orR()));
  });
  return defineModule('vw_red_top', (m) => {
    const x = m.input('x', UInt(1));
    m.output('y', UInt(2)).drive(m.instance('u', red, { i: x.ext(68) })['o']!);
  });
}

/**
 * The minimized fuzz case: `vw_sle` computes `(i0 + -1) <= 1` (55-bit signed sum; -1 <= 1 is true)
 * for `i0 = sext({0, {0, x}[1]})`, the constant 0, two instance levels below the top. The unused
 * ports and constant outputs are part of the trigger (without them Verilator 5.006 is right).
 */
function tiedSignedSumCompare() {
  const sub = defineModule('vw_sle', (m) => {
    const i0 = m.input('i0', SInt(54));
    m.input('i1', UInt(1));
    m.output('o0', UInt(2)).drive(m.constant(0n, UInt(2)));
    m.output('o6', UInt(2)).drive(i0.add(m.constant(-1n, SInt(54))).le(m.constant(1n, SInt(55))).ext(2));
  });
  const mid = defineModule('vw_sle_mid', (m) => {
    const i0 = m.input('i0', UInt(1));
    m.input('i1', UInt(7));
    const zero = i0.ext(2).bit(1);
    const s = m.instance('u_s0', sub, { i0: zero.ext(2).asSigned().ext(54), i1: zero });
    m.output('o0', UInt(2)).drive(m.constant(0n, UInt(2)));
    m.output('o1', UInt(12)).drive(m.constant(0n, UInt(12)));
    m.output('o3', UInt(2)).drive(s['o6']!);
    m.output('o6', UInt(9)).drive(m.constant(0n, UInt(9)));
  });
  return defineModule('vw_sle_top', (m) => {
    const sw = m.input('sw', UInt(128));
    const ud = m.input('ud', UInt(1));
    const u = m.instance('u24', mid, { i0: sw.bit(62), i1: ud.ext(7) });
    m.output('y', UInt(25)).drive(m.cat(u['o0']!, u['o1']!, u['o3']!, u['o6']!));
  });
}

/**
 * The minimized fuzz case: `o = ^{n, w, n}` is `w[0]` (the two `n` cancel), with `w = {3'h0, a[0] & a[1]}`
 * and `n = (o4 == 0)` from a submodule, `a` and `o4`'s operands from a register loading `x`. So
 * `y` is `x[0] & x[1]` of the previous cycle (0 in the reset cycle).
 */
function xorTreeWithNots() {
  const sub = defineModule('vw_xor_s', (m) => {
    const a = m.input('a', UInt(2));
    const b = m.input('b', UInt(2));
    m.output('w', UInt(4)).drive(a.bit(0).and(a.bit(1)).ext(4));
    m.output('o4', UInt(1)).drive(b.bit(1).and(b.bit(0).not()));
  });
  const mid = defineModule('vw_xor', (m) => {
    const x = m.input('x', UInt(4));
    const r = m.reg('r', UInt(4), { reset: 0 });
    r.next(x);
    const s = m.instance('u', sub, { a: r.slice(1, 0), b: r.slice(3, 2) });
    const n = s['o4']!.ext(2).eq(m.constant(0n, UInt(2)));
    m.output('o', UInt(1)).drive(m.cat(n, s['w']!, n).xorR());
  });
  return defineModule('vw_xor_top', (m) => {
    const x = m.input('x', UInt(4));
    // The zero-extension is part of the trigger (with `y = o` alone Verilator 5.006 is right).
    m.output('y', UInt(4)).drive(m.cat(m.constant(0n, UInt(3)), m.instance('u', mid, { x })['o']!));
  });
}

const base = await mkdtemp(join(tmpdir(), 'npugen-vw-test-'));
afterAll(() => rm(base, { recursive: true, force: true }));

describe('Verilator workaround flags', () => {
  it('are part of every Verilator simulation build', () => {
    expect(VERILATOR_WORKAROUNDS).toContain('-fno-dfg-peephole-fold-binary');
    expect(VERILATOR_WORKAROUNDS).toContain('-fno-dfg-peephole-remove-sel-from-lhs-of-concat');
    expect(VERILATOR_WORKAROUNDS).toContain('-fno-const-bit-op-tree');
    for (const style of ['cpp-main', 'binary'] as const) {
      expect(verilatorBuild({ sources: ['t.v'], top: 't', style, cwd: '.' }).args).toEqual(expect.arrayContaining([...VERILATOR_WORKAROUNDS]));
    }
  });

  it('the built-in simulator answers the tied-port comparisons as worked out by hand', () => {
    const design = tiedPortCompare();
    const tb = testbenchModelOf(design, 4);
    const stimulus = randomStimulus(tb, 4, 3);
    const y = builtinResponses(design, tb, stimulus);
    // i = 0: 0<=0, 0>=0, 0<=5 true, 0>=5 false, 0<0 false -> 0b11100; i = 5: 0, 1, 1, 1, 0 -> 0b01110
    for (const [v, row] of y.entries()) expect(row[0]).toBe((0b11100n << 9n) | (0b01110n << 4n) | stimulus[v]![0]!);
  });

  it('the built-in simulator answers the tied signed-sum comparison as worked out by hand', () => {
    const design = tiedSignedSumCompare();
    const tb = testbenchModelOf(design, 4);
    // 0 + -1 = -1 <= 1 is true: bit 0 of o3, which sits above the 9 bits of o6 -> y = 1 << 9
    for (const row of builtinResponses(design, tb, randomStimulus(tb, 4, 3))) expect(row[0]).toBe(512n);
  });

  it('the built-in simulator answers the XOR tree with cancelling terms as worked out by hand', () => {
    const design = xorTreeWithNots();
    const tb = testbenchModelOf(design, 16);
    const stimulus = randomStimulus(tb, 16, 3);
    const y = builtinResponses(design, tb, stimulus).map((row) => row[0]);
    const want = stimulus.map((_, v) => (v === 0 ? 0n : stimulus[v - 1]![0]! & (stimulus[v - 1]![0]! >> 1n) & 1n));
    expect(y).toEqual(want);
    expect(want).toContain(1n); // the stimulus exercises both values
    expect(want).toContain(0n);
  });
});

describeWithTools('verilator', 'Verilator workaround flags on Verilator', () => {
  it('Verilator agrees with the built-in simulator on the tied-port comparisons', async () => {
    const r = await runCase(tiedPortCompare(), 'verilator', 3, 4, join(base, 'v'), testCacheDir());
    expect(r).toEqual({ differingCycles: 0 });
  }, 180_000);

  it('Verilator builds and simulates a wide reduction of a port tied to a zero-extended bit', async () => {
    // ~{67'h0, x} has 67 ones and ~x: its XOR is x (67 ones XOR to 1, then ^ ~x), its OR is 1.
    const design = tiedWideReduction();
    const tb = testbenchModelOf(design, 8);
    const stimulus = randomStimulus(tb, 8, 5);
    builtinResponses(design, tb, stimulus).forEach((row, v) => expect(row[0]).toBe((stimulus[v]![0]! << 1n) | 1n));
    const r = await runCase(design, 'verilator', 5, 8, join(base, 'red'), testCacheDir());
    expect(r).toEqual({ differingCycles: 0 });
  }, 180_000);

  it('Verilator agrees with the built-in simulator on the tied signed-sum comparison', async () => {
    const r = await runCase(tiedSignedSumCompare(), 'verilator', 3, 4, join(base, 'sle'), testCacheDir());
    expect(r).toEqual({ differingCycles: 0 });
  }, 180_000);

  it('Verilator agrees with the built-in simulator on the XOR tree with cancelling terms', async () => {
    const r = await runCase(xorTreeWithNots(), 'verilator', 3, 16, join(base, 'xor'), testCacheDir());
    expect(r).toEqual({ differingCycles: 0 });
  }, 180_000);
});
