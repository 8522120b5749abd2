// npugen synth: resource figures, nextpnr Fmax (or the install hint), gate-level verification
// of the netlists against the golden model, and the yosys 0.23 ice40 -dsp miscompile.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import { configsFor, MISCOMPILE_MESSAGE, type SynthReportEntry } from '../../cli/commands/synth.ts';
import { placeAndRoute, placeAndRouteSeeds } from '../../sim/synth.ts';
import { describeWithTools, missingTools, onPath } from '../helpers/simulators.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const example = (f: string) => path.join(ROOT, 'examples', f);

function collector(): CliIo & { text: () => string; stdout: () => string } {
  const out: string[] = [];
  const all: string[] = [];
  return {
    out: (t) => { out.push(t); all.push(t); },
    err: (t) => void all.push(t),
    isTty: false,
    text: () => all.join('\n'),
    stdout: () => out.join('\n'),
  };
}

describe('synth options', () => {
  test('configurations: all three by default, one per --target, --dsp only with ice40', () => {
    expect(configsFor(undefined, false)).toEqual([{ target: 'generic', dsp: false }, { target: 'ice40', dsp: false }, { target: 'ice40', dsp: true }]);
    expect(configsFor('ice40', true)).toEqual([{ target: 'ice40', dsp: true }]);
    expect(() => configsFor('generic', true)).toThrow(/--dsp applies to --target ice40 only/);
    expect(() => configsFor('xilinx', false)).toThrow(/--target must be one of generic, ice40/);
  });

  test('bad options exit 2 before running anything', async () => {
    for (const args of [['--target', 'ecp5'], ['--device', 'lp1k'], ['--sim', 'builtin'], ['--vectors', 'x']]) {
      const io = collector();
      expect(await runCli(['synth', example('mac_i8.yaml'), ...args], io)).toBe(2);
    }
  });

  test('nextpnr-ice40 missing: reported, not an error', async () => {
    const saved = process.env['PATH'];
    process.env['PATH'] = mkdtempSync(path.join(tmpdir(), 'npugen-nopath-'));
    try {
      const r = await placeAndRoute({ files: [], top: 't', ports: [], device: 'up5k' });
      expect(r).toEqual({ status: 'not-installed', message: 'nextpnr-ice40 not installed (apt-get install nextpnr-ice40)' });
      // With several placement seeds: one result per seed.
      expect(await placeAndRouteSeeds({ files: [], top: 't', ports: [], device: 'up5k' }, [1, 2, 3])).toEqual(Array.from({ length: 3 }, () => r));
    } finally {
      process.env['PATH'] = saved;
    }
  });
});

describeWithTools('yosys', 'npugen synth on yosys', () => {
  test('mac_i8 --json: LUT/FF figures for generic and ice40 (no place and route)', async () => {
    const io = collector();
    expect(await runCli(['synth', example('mac_i8.yaml'), '--target', 'generic', '--json', '--no-pnr'], io), io.text()).toBe(0);
    const generic = JSON.parse(io.stdout()) as { design: string; entries: SynthReportEntry[] };
    expect(generic.design).toBe('mac_i8');
    expect(generic.entries).toHaveLength(1);
    expect(generic.entries[0]!.resources.lut).toBeGreaterThan(100);
    expect(generic.entries[0]!.resources.ff).toBe(32);
    const ice = collector();
    expect(await runCli(['synth', example('mac_i8.yaml'), '--target', 'ice40', '--json', '--no-pnr'], ice)).toBe(0);
    const r = (JSON.parse(ice.stdout()) as { entries: SynthReportEntry[] }).entries[0]!;
    expect(r.cells['SB_LUT4']).toBe(r.resources.lut);
    expect(r.resources.lut).toBeGreaterThan(100);
    expect(r.resources.ff).toBe(32);
    expect(r.resources.dsp).toBe(0);
  }, 120_000);

  test('run directories: none left after a clean run; --keep-run keeps and names them; kept and named when yosys fails', async () => {
    const saved = { TMPDIR: process.env['TMPDIR'], PATH: process.env['PATH'] };
    const runDirs = (d: string) => readdirSync(d).filter((f) => f.startsWith('npugen-run-'));
    try {
      const clean = process.env['TMPDIR'] = mkdtempSync(path.join(tmpdir(), 'npugen-synth-dirs-'));
      const io = collector();
      expect(await runCli(['synth', example('mac_i8.yaml'), '--target', 'generic', '--json'], io), io.text()).toBe(0);
      expect(runDirs(clean)).toEqual([]);
      expect((JSON.parse(io.stdout()) as { entries: SynthReportEntry[] }).entries[0]!.netlist).toBeUndefined();

      const kept = process.env['TMPDIR'] = mkdtempSync(path.join(tmpdir(), 'npugen-synth-dirs-'));
      const keep = collector();
      expect(await runCli(['synth', example('mac_i8.yaml'), '--target', 'generic', '--json', '--keep-run'], keep), keep.text()).toBe(0);
      const [dir] = runDirs(kept);
      const entry = (JSON.parse(keep.stdout()) as { entries: SynthReportEntry[] }).entries[0]!;
      expect(entry.runDir).toBe(path.join(kept, dir!));
      expect(existsSync(entry.netlist!)).toBe(true);
      expect(keep.text()).toContain(`run directories kept (--keep-run): ${entry.runDir}`);

      // A yosys that fails (a stand-in on PATH): the run directory with its log stays and is named.
      const failing = process.env['TMPDIR'] = mkdtempSync(path.join(tmpdir(), 'npugen-synth-dirs-'));
      const bin = mkdtempSync(path.join(tmpdir(), 'npugen-fake-yosys-'));
      writeFileSync(path.join(bin, 'yosys'), '#!/bin/sh\necho "ERROR: out of memory (stand-in)"\nexit 1\n', { mode: 0o755 });
      process.env['PATH'] = `${bin}${path.delimiter}${saved.PATH ?? ''}`;
      const bad = collector();
      expect(await runCli(['synth', example('mac_i8.yaml'), '--target', 'generic'], bad)).toBe(2);
      const left = runDirs(failing);
      expect(left).toHaveLength(1);
      expect(bad.text()).toContain(`synth run directories kept: ${path.join(failing, left[0]!)}`);
      expect(readdirSync(path.join(failing, left[0]!)).some((f) => f.endsWith('.run.log'))).toBe(true);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }, 120_000);

  test.runIf(onPath('nextpnr-ice40'))('mac_i8 on ice40: nextpnr Fmax in the table', async () => {
    const io = collector();
    expect(await runCli(['synth', example('mac_i8.yaml'), '--target', 'ice40', '--device', 'hx8k'], io), io.text()).toBe(0);
    expect(io.text()).toMatch(/ice40\s+\d+\s+32\s+0\s+0\s+\d+\s+\d+\.\d MHz/);
  }, 300_000);
});

const icarusAndYosys = missingTools('yosys').length === 0 ? 'icarus' : 'yosys';
describeWithTools(icarusAndYosys, 'npugen synth --verify on Icarus', () => {
  test('mac_i8: the generic, ice40 and ice40 -dsp netlists all match the golden model', async () => {
    const io = collector();
    const code = await runCli(['synth', example('mac_i8.yaml'), '--verify', '--sim', 'icarus', '--vectors', '100', '--no-pnr'], io);
    const text = io.text();
    expect(text).toMatch(/generic \(LUT4\).*PASS \(icarus; \d+ vectors\)/);
    expect(text).toMatch(/ice40 {2,}.*PASS \(icarus; \d+ vectors\)/);
    // Yosys 0.23's ice40_dsp mapped the emitter's former unsigned multiply of sign-extended
    // operands to an unsigned SB_MAC16 of zero-extended ones (285 of 391 vectors wrong); the
    // emitter now marks signed multiplies $signed, and this gate-level check is what proves it.
    expect(text).toMatch(/ice40 -dsp .*PASS \(icarus; \d+ vectors\)/);
    expect(text).not.toContain(MISCOMPILE_MESSAGE);
    expect(code).toBe(0);
  }, 300_000);
});

const verilatorAndYosys = missingTools('yosys').length === 0 ? 'verilator' : 'yosys';
describeWithTools(verilatorAndYosys, 'npugen synth --verify on Verilator', () => {
  test('mac_i8 ice40 netlist with the vendor cell models on Verilator (one small case: builds are slow)', async () => {
    const io = collector();
    expect(await runCli(['synth', example('mac_i8.yaml'), '--target', 'ice40', '--verify', '--sim', 'verilator', '--vectors', '10', '--no-pnr'], io), io.text()).toBe(0);
    expect(io.text()).toMatch(/ice40 .*PASS \(verilator; \d+ vectors\)/);
  }, 300_000);
});
