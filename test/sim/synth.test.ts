// Synthesis back ends as data and the report parsers (no tools needed).
import { describe, expect, test } from 'vitest';
import { cellModelPaths, synthCommand, yosysSynth } from '../../sim/backends/yosys.ts';
import { nextpnrIce40 } from '../../sim/backends/nextpnr.ts';
import { classifyCells, parseNextpnrReport, parseStatJson } from '../../sim/synth.ts';

describe('yosys synthesis invocations', () => {
  test('generic: flat LUT4 synthesis, stat -json, netlist without attributes', () => {
    const inv = yosysSynth({ sources: ['pe.v', 'top.v'], top: 'top', target: 'generic', cwd: '/run', statJson: 's.json', netlist: 'n.v' });
    expect(inv.command).toBe('yosys');
    expect(inv.aptPackage).toBe('yosys');
    expect(inv.args).toEqual(['-q', '-l', 'synth.log', '-s', 'synth.ys']);
    expect(inv.files?.[0]?.content).toBe('read_verilog pe.v\nread_verilog top.v\nsynth -flatten -top top -lut 4\ntee -q -o s.json stat -json\nwrite_verilog -noattr n.v\n');
  });

  test('ice40 with and without -dsp, JSON for nextpnr; -dsp and JSON need ice40', () => {
    expect(synthCommand('ice40', 't', false)).toBe('synth_ice40 -top t');
    expect(synthCommand('ice40', 't', true, 'p.json')).toBe('synth_ice40 -top t -dsp -json p.json');
    expect(() => synthCommand('generic', 't', true)).toThrow(/ice40 target only/);
    expect(() => yosysSynth({ sources: [], top: 't', target: 'generic', cwd: '.', statJson: 's', json: 'j' })).toThrow(/ice40/);
    expect(cellModelPaths('ice40')).toEqual(['ice40/cells_sim.v']);
    expect(cellModelPaths('generic')).toEqual(['simcells.v', 'simlib.v']);
  });

  test('nextpnr-ice40: device, default package, report, timing allowed to fail', () => {
    const inv = nextpnrIce40({ json: 'p.json', device: 'hx8k', report: 'r.json', cwd: '/run' });
    expect(inv.args).toEqual(['--hx8k', '--package', 'ct256', '--json', 'p.json', '--freq', '100', '--timing-allow-fail', '--seed', '1', '--report', 'r.json', '-q']);
    expect(inv.aptPackage).toBe('nextpnr-ice40');
    expect(nextpnrIce40({ json: 'p.json', device: 'up5k', report: 'r.json', cwd: '.' }).args.slice(0, 3)).toEqual(['--up5k', '--package', 'sg48']);
  });
});

describe('report parsing', () => {
  const STAT = JSON.stringify({
    creator: 'Yosys 0.23',
    modules: { '\\mac_i8': { num_cells: 159, num_cells_by_type: { SB_CARRY: 31, SB_DFFSR: 30, SB_DFFE: 2, SB_LUT4: 95, SB_MAC16: 1, SB_RAM40_4K: 2 } } },
    design: { num_cells_by_type: {} },
  });

  test('stat -json: the top module, ice40 classes', () => {
    const cells = parseStatJson(STAT, 'mac_i8');
    expect(classifyCells('ice40', cells)).toEqual({ lut: 95, ff: 32, dsp: 1, bram: 2, carry: 31, other: 0 });
    expect(() => parseStatJson(JSON.stringify({ modules: {} }), 'x')).toThrow(/no module 'x'/);
  });

  test('generic classes: $lut, $_*DFF*_ flip-flops, other gates', () => {
    expect(classifyCells('generic', { '$lut': 400, '$_DFF_P_': 8, '$_SDFF_PP0_': 24, '$_DFFE_PP_': 1, '$_NOT_': 3, '$mem_v2': 1 })).toEqual({ lut: 400, ff: 33, dsp: 0, bram: 1, carry: 0, other: 3 });
  });

  test('nextpnr --report: the slowest clock is the Fmax', () => {
    const r = parseNextpnrReport(JSON.stringify({
      fmax: { 'clk$SB_IO_IN_$glb_clk': { achieved: 47.07, constraint: 100 }, other: { achieved: 120, constraint: 100 } },
      utilization: { ICESTORM_LC: { used: 300, available: 5280 } },
    }));
    expect(r.fmaxMHz).toBe(47.07);
    expect(r.utilization['ICESTORM_LC']).toEqual({ used: 300, available: 5280 });
    expect(parseNextpnrReport('{}').fmaxMHz).toBeUndefined();
  });
});
