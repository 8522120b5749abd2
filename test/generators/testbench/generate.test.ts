import { describe, expect, it } from 'vitest';
import { generateTestbench, layoutFor } from '../../../generators/testbench/generate.ts';
import { binaryLayout, dpiRowLayout, hexLayout } from '../../../generators/testbench/layout.ts';
import type { TestbenchModel } from '../../../generators/testbench/model.ts';

const mac: TestbenchModel = {
  top: 'mac_i8',
  clock: 'clk',
  reset: { name: 'rst_n', activeHigh: false, cycles: 3 },
  inputs: [
    { name: 'en', width: 1, signed: false },
    { name: 'a', width: 8, signed: true },
    { name: 'b', width: 40, signed: true },
  ],
  outputs: [{ name: 'acc', width: 32, signed: true }],
  latency: 1,
  vectorCount: 10,
};

describe('testbench layouts', () => {
  it('packs hex rows densely, binary rows byte-aligned and DPI rows word-aligned', () => {
    expect(hexLayout(mac.inputs).slots.map((s) => s.lsb)).toEqual([0, 1, 9]);
    expect(hexLayout(mac.inputs).bits).toBe(49);
    expect(binaryLayout(mac.inputs).slots.map((s) => s.lsb)).toEqual([0, 8, 16]);
    expect(binaryLayout(mac.inputs).bits).toBe(56);
    expect(dpiRowLayout(mac.inputs).slots.map((s) => s.lsb)).toEqual([0, 32, 64]);
    expect(dpiRowLayout(mac.inputs).bits).toBe(128);
    expect(layoutFor('dpi', mac.inputs)).toEqual(dpiRowLayout(mac.inputs));
    expect(layoutFor('fread', mac.inputs)).toEqual(binaryLayout(mac.inputs));
  });
});

describe('generateTestbench', () => {
  it('slices each input from the row and checks each output with !==', () => {
    const { testbench, vectorFormat } = generateTestbench(mac, { loader: 'readmemh' });
    expect(vectorFormat).toBe('hex');
    expect(testbench).toContain('p_b <= stim_row[48:9];');
    expect(testbench).toContain("record_port(fd_result, vec, cycle, max_records, 0, 1'b1, p_acc, exp_row[31:0],");
    expect(testbench).toContain('got_row = { p_acc };');
    expect(testbench).toContain('.clk(clk)');
    expect(testbench).toContain('.rst_n(p_rst_n)');
    expect(testbench).toContain("reg p_rst_n = 1'b0;");
    expect(testbench).toContain('localparam integer LEAD = 3;');
    expect(testbench).toContain('localparam integer DEPTH = 10;');
    expect(testbench).toContain('$readmemh(stim_path, stim_mem);');
  });

  it('leaves the vector count out of the DPI testbench so one build serves any count', () => {
    const a = generateTestbench(mac, { loader: 'dpi' });
    const b = generateTestbench({ ...mac, vectorCount: 1_000_000 }, { loader: 'dpi' });
    expect(a.testbench).toBe(b.testbench);
    expect(a.vectorFormat).toBe('binary');
    expect(a.testbench).toContain('import "DPI-C" function void npugen_stim_row');
    expect(a.verilatorMain).toContain('g_stim = mapRows(plusarg(*ctx, "stim="), 7);');
    expect(a.verilatorMain).toContain('std::memcpy(dst + 8, src + 2, 5);');
    expect(a.testbench).toContain('p_b <= stim_row[103:64];');
    const two = generateTestbench({ ...mac, outputs: [{ name: 'x', width: 3, signed: false }, { name: 'y', width: 40, signed: false }] }, { loader: 'dpi' });
    expect(two.testbench).toContain("got_row = { 24'd0, p_y, 29'd0, p_x };");
    const gated = generateTestbench({ ...mac, outputs: [{ name: 'v', width: 1, signed: false }, { name: 'y', width: 8, signed: false, validBy: 'v' }] }, { loader: 'readmemh' });
    expect(gated.testbench).toContain('got_row = { (exp_row[0] ? p_y : exp_row[8:1]), p_v };');
    expect(gated.testbench).toContain('record_port(fd_result, vec, cycle, max_records, 1, exp_row[0], p_y, exp_row[8:1],');
  });

  it('gives a combinational DUT one idle lead cycle and no clock connection', () => {
    const comb: TestbenchModel = { top: 'add', inputs: [{ name: 'x', width: 4, signed: false }], outputs: [{ name: 'y', width: 5, signed: false }], latency: 0, vectorCount: 1 };
    const { testbench, clockWrapper } = generateTestbench(comb, { loader: 'fread' });
    expect(testbench).toContain('localparam integer LEAD = 1;');
    expect(testbench).not.toMatch(/\.\w+\(clk\)/);
    expect(clockWrapper).toContain('always #5 clk = ~clk;');
  });

  it('rejects invalid models', () => {
    expect(() => generateTestbench({ ...mac, outputs: [] }, { loader: 'dpi' })).toThrow(/no outputs/);
    expect(() => generateTestbench({ ...mac, inputs: [{ name: 'a b', width: 1, signed: false }] }, { loader: 'dpi' })).toThrow(/identifier/);
    expect(() => generateTestbench({ ...mac, inputs: [{ name: 'acc', width: 1, signed: false }] }, { loader: 'dpi' })).toThrow(/duplicate/);
    expect(() => generateTestbench({ ...mac, latency: -1 }, { loader: 'dpi' })).toThrow(/latency/);
    expect(() => generateTestbench({ ...mac, inputs: [{ name: 'z', width: 0, signed: false }] }, { loader: 'dpi' })).toThrow(/width 0/);
  });
});
