// FPGA-side artefacts: file list, FuseSoC core, ts-morph bindings (type-checked under strict), PnR harness.
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { fileList } from '../../../generators/fpga/filelist.ts';
import { fusesocCore } from '../../../generators/fpga/fusesoc.ts';
import { generateBindings, pascalCase } from '../../../generators/fpga/bindings.ts';
import { pnrHarness } from '../../../generators/fpga/pnr-harness.ts';
import type { PortInfo } from '../../../generators/fpga/ports.ts';
import { typecheck } from './typecheck.ts';

const PORTS: PortInfo[] = [
  { name: 'a', dir: 'input', width: 8, signed: true, format: 'int8' },
  { name: 'x', dir: 'input', width: 16, signed: true, format: 'fixed<16,4>' },
  { name: 'clk', dir: 'input', width: 1, signed: false, format: 'uint1', role: 'clock' },
  { name: 'rst', dir: 'input', width: 1, signed: false, format: 'uint1', role: 'reset' },
  { name: 'y', dir: 'output', width: 20, signed: true, format: 'int20' },
];

describe('file list', () => {
  test('one file per line in the given (dependency) order; white space rejected', () => {
    expect(fileList(['pe.v', 'top.v'])).toBe('pe.v\ntop.v\n');
    expect(() => fileList(['a b.v'])).toThrow(/white space/);
  });
});

describe('FuseSoC core', () => {
  test('CAPI=2 header, filesets rtl/tb, targets default/sim with toplevels and plusarg parameters', () => {
    const text = fusesocCore({
      name: 'dot4', version: '0.1.0', description: 'd', top: 'dot4', rtlFiles: ['lane.v', 'dot4.v'],
      testbench: { file: 'dot4_tb.v', top: 'npugen_tb_clock', stimFile: 'dot4_stim.hex', expFile: 'dot4_exp.hex', vectors: 42 },
    });
    expect(text.split('\n')[0]).toBe('CAPI=2:');
    const core = parse(text) as Record<string, any>;
    expect(core['name']).toBe('npugen:generated:dot4:0.1.0');
    expect(core['filesets'].rtl.files).toEqual(['lane.v', 'dot4.v']);
    expect(core['filesets'].tb.files[0]).toBe('dot4_tb.v');
    expect(core['filesets'].tb.files[1]).toEqual({ 'dot4_stim.hex': { file_type: 'user', copyto: 'dot4_stim.hex' } });
    expect(core['targets'].default.toplevel).toBe('dot4');
    expect(core['targets'].sim.toplevel).toBe('npugen_tb_clock');
    expect(core['targets'].sim.filesets).toEqual(['rtl', 'tb']);
    expect(Object.keys(core['targets'].sim.tools)).toEqual(['icarus', 'verilator']);
    expect(core['parameters'].vectors).toMatchObject({ default: 42, paramtype: 'plusarg', datatype: 'int' });
    expect(core['parameters'].stim.default).toBe('dot4_stim.hex');
  });

  test('without a testbench: rtl fileset and default target only', () => {
    const core = parse(fusesocCore({ name: 'c', version: '1', description: 'c', top: 'c', rtlFiles: ['c.v'] })) as Record<string, any>;
    expect(Object.keys(core['filesets'])).toEqual(['rtl']);
    expect(Object.keys(core['targets'])).toEqual(['default']);
    expect(core['parameters']).toBeUndefined();
  });
});

describe('typed bindings', () => {
  const text = generateBindings({
    name: 'mac_i8', top: 'mac_i8', ports: PORTS, generator: 'mac', latency: 2, banner: 'test banner',
    parameters: { a: { kind: 'fixed', width: 8, intBits: 8, signed: true }, k: 4, wrap: true, list: [1, 2], big: 5n },
    formatOf: (v) => ((v as { kind?: string }).kind === 'fixed' ? 'int8' : undefined),
  });

  test('interface with literal types, ports as const, parameters, latency', () => {
    expect(pascalCase('mac_i8')).toBe('MacI8');
    expect(pascalCase('dot__u8i8x3')).toBe('DotU8i8x3');
    expect(text).toContain('export interface MacI8Ports {');
    expect(text).toMatch(/readonly a: \{ readonly dir: 'input'; readonly width: 8; readonly signed: true; readonly format: "int8" \}/);
    expect(text).toContain("role: 'clock'");
    expect(text).toContain('} as const satisfies MacI8Ports');
    expect(text).toMatch(/export const parameters = \{\n {2}a: "int8",\n {2}k: 4,\n {2}wrap: true,\n {2}list: \[1, 2\],\n {2}big: "5",\n\} as const;/);
    expect(text).toContain('export const latency = 2;');
    expect(text.startsWith('// test banner')).toBe(true);
  });

  test('type-checks under strict, and its literal types are usable (and wrong uses are rejected)', () => {
    const consumer = [
      "import { ports, parameters, top, latency, type MacI8Ports, type PortName } from './mac_i8.ts';",
      'const w: 8 = ports.a.width;',
      "const f: 'fixed<16,4>' = ports.x.format;",
      "const d: MacI8Ports['y']['dir'] = 'output';",
      "const n: PortName = 'rst';",
      "const t: 'mac_i8' = top;",
      "const k: 4 = parameters.k;",
      'const l: number = latency;',
      'export const used = [w, f, d, n, t, k, l];',
    ].join('\n');
    expect(typecheck({ 'mac_i8.ts': text, 'use.ts': consumer })).toEqual([]);
    const wrong = "import { ports } from './mac_i8.ts';\nexport const w: 16 = ports.a.width;\n";
    expect(typecheck({ 'mac_i8.ts': text, 'wrong.ts': wrong }).join('\n')).toMatch(/Type '8' is not assignable to type '16'/);
  });
});

describe('place-and-route harness', () => {
  test('serial shift-in of data inputs, parallel-load shift-out of outputs, clock and reset passed through', () => {
    const h = pnrHarness('mac_i8', PORTS);
    expect(h.module).toBe('mac_i8_pnr_harness');
    expect(h.text).toContain('reg [23:0] in_sr;');
    expect(h.text).toContain('in_sr <= {in_sr[22:0], sin};');
    expect(h.text).toContain("out_sr <= load ? { o_y } : {out_sr[18:0], 1'b0};");
    expect(h.text).toContain('.a(in_sr[7:0])');
    expect(h.text).toContain('.x(in_sr[23:8])');
    expect(h.text).toContain('.clk(clk)');
    expect(h.text).toContain('.rst(rst)');
    expect(h.text).toContain('input rst,');
  });

  test('one input bit and one output bit', () => {
    const h = pnrHarness('t', [
      { name: 'i', dir: 'input', width: 1, signed: false, format: 'uint1' },
      { name: 'o', dir: 'output', width: 1, signed: false, format: 'uint1' },
    ]);
    expect(h.text).toContain('in_sr <= sin;');
    expect(h.text).toContain("out_sr <= load ? { o_o } : 1'b0;");
  });
});
