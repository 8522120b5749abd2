/**
 * Co-simulation of hand-written DUTs on real simulators, parameterized over Icarus and
 * Verilator: correct designs pass, planted faults are reported at the right vector and port.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runTestbench, type RunTestbenchInput, type SimulatorName } from '../../../sim/cosim-run.ts';
import { describeWithTools, SIMULATORS, testCacheDir } from '../../helpers/simulators.ts';
import { adderModel, adderVectors, faultyMac, fixture, macModel, macVectors, rng, wideModel, wideVectors } from './fixtures.ts';

const N = 300;
const base = await mkdtemp(join(tmpdir(), 'npugen-cosim-test-'));
afterAll(() => rm(base, { recursive: true, force: true }));

let runs = 0;
function run(simulator: SimulatorName, input: Omit<RunTestbenchInput, 'simulator'>): ReturnType<typeof runTestbench> {
  runs += 1;
  // -O0: these runs are tiny, so the g++ build dominates.
  return runTestbench({ simulator, runDir: join(base, `run${runs}`), cacheDir: testCacheDir(), verilatorCppOpt: '-O0', ...input });
}

const mac = macVectors(N);
const adder = adderVectors(N);

for (const sim of SIMULATORS) {
  describeWithTools(sim, `co-simulation on ${sim}`, () => {
    it('passes the correct int8 MAC', async () => {
      const r = await run(sim, { model: macModel(N), sources: [{ path: fixture('mac_i8.v') }], ...mac });
      expect(r.counts).toMatchObject({ vectors: N, checked: N, mismatches: 0 });
      expect(r.passed).toBe(true);
    });

    it('passes the correct combinational adder', async () => {
      const r = await run(sim, { model: adderModel(N), sources: [{ path: fixture('add_u16.v') }], ...adder });
      expect(r.passed).toBe(true);
    });

    it('reports a stuck accumulator bit at the first vector that needs it', async () => {
      const first = mac.expected.findIndex(([acc]) => ((acc ?? 0n) >> 20n) & 1n);
      const r = await run(sim, { model: macModel(N), sources: [faultyMac('stuck_bit20')], ...mac, maxMismatchRecords: 5 });
      expect(r.passed).toBe(false);
      expect(r.mismatches[0]).toMatchObject({ vectorIndex: first, port: 'acc', hasXZ: false });
      expect(r.mismatches[0]?.got).toBe((mac.expected[first]?.[0] ?? 0n) & ~(1n << 20n));
      expect(r.mismatches).toHaveLength(5);
      expect(r.counts.mismatches).toBe(mac.expected.filter(([acc]) => ((acc ?? 0n) >> 20n) & 1n).length);
    });

    it('reports an output one cycle late', async () => {
      const r = await run(sim, { model: macModel(N), sources: [faultyMac('late')], ...mac });
      const first = mac.expected.findIndex(([acc], i) => acc !== (i === 0 ? 0n : mac.expected[i - 1]?.[0]));
      expect(r.mismatches[0]).toMatchObject({ vectorIndex: first, port: 'acc', got: first === 0 ? 0n : mac.expected[first - 1]?.[0] });
    });

    it('reports a flipped sum bit at the right vector', async () => {
      const bad = adder.stimulus.map(([a], i) => (((a ?? 0n) >> 15n) & 1n ? i : -1)).filter((i) => i >= 0);
      const r = await run(sim, { model: adderModel(N), sources: [{ path: fixture('add_u16_flip.v') }], ...adder, maxMismatchRecords: 1000 });
      expect(r.mismatches.map((m) => m.vectorIndex)).toEqual(bad);
      expect(r.mismatches[0]?.cycle).toBe((bad[0] ?? 0) + 1);
      expect(r.counts.failingVectors).toBe(bad.length);
    });

    it('round-trips widths 1, 33, 64, 65 and 130 through the vector files and the TB', async () => {
      const rows = wideVectors(40);
      const r = await run(sim, { model: wideModel(40), sources: [{ path: fixture('passthrough_wide.v') }], stimulus: rows, expected: rows });
      expect(r.counts).toMatchObject({ checked: 40, mismatches: 0 });
    });

    it('drives and checks a 4096-bit port', async () => {
      const next = rng(5);
      const word = (): bigint => Array.from({ length: 128 }, () => BigInt(next())).reduce((acc, w) => (acc << 32n) | w, 0n);
      const stimulus = Array.from({ length: 8 }, () => [BigInt.asIntN(4096, word())]);
      const expected = stimulus.map(([v], k) => [BigInt.asIntN(4096, ~(v ?? 0n)) ^ (k === 5 ? 1n << 4000n : 0n)]);
      const model = { top: 'inv4096', inputs: [{ name: 'i', width: 4096, signed: true }], outputs: [{ name: 'o', width: 4096, signed: true }], latency: 0, vectorCount: 8 };
      const r = await run(sim, { model, sources: [{ path: fixture('inv4096.v') }], stimulus, expected });
      expect(r.mismatches).toHaveLength(1);
      expect(r.mismatches[0]).toMatchObject({ vectorIndex: 5, port: 'o' });
      expect((r.mismatches[0]?.got ?? 0n) ^ (r.mismatches[0]?.expected ?? 0n)).toBe(BigInt.asIntN(4096, 1n << 4000n));
    });
  });
}

describeWithTools('icarus', 'four-state checks on icarus', () => {
  it('reports an undriven (Z) output bit as an error, not a pass', async () => {
    const r = await run('icarus', { model: adderModel(N), sources: [{ path: fixture('add_u16_undriven.v') }], ...adder, maxMismatchRecords: 3 });
    expect(r.passed).toBe(false);
    expect(r.counts.xz).toBe(N);
    expect(r.mismatches[0]).toMatchObject({ vectorIndex: 0, port: 'sum', got: null, hasXZ: true });
  });

  it('runs the streaming $fread loader too', async () => {
    const r = await run('icarus', { model: macModel(N), sources: [{ path: fixture('mac_i8.v') }], ...mac, loader: 'fread' });
    expect(r.passed).toBe(true);
  });
});

describeWithTools('verilator', 'verilator loaders', () => {
  it('runs the $readmemh testbench under --binary --timing with the clock wrapper', async () => {
    const r = await run('verilator', { model: adderModel(N), sources: [{ path: fixture('add_u16_flip.v') }], ...adder, loader: 'readmemh', verilatorStyle: 'binary' });
    expect(r.counts.failingVectors).toBe(adder.stimulus.filter(([a]) => ((a ?? 0n) >> 15n) & 1n).length);
  });
});
