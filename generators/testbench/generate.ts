/**
 * TestbenchModel → the Verilog-2005 self-checking testbench `npugen_tb` (checking lives here
 * once), plus the two clock sources that drive its `clk` input: an `always #` wrapper for
 * event-driven simulators and a C++ main for Verilator.
 */
import { binaryLayout, dpiRowLayout, hexLayout, type RowLayout } from './layout.ts';
import { leadCycles, type TestbenchModel } from './model.ts';
import { compileTemplate } from './templates.ts';
import { isIdentifier } from '../../formats/identifier.ts';
import type { Port } from '../../formats/port.ts';

/**
 * How the testbench gets its vectors:
 * - `readmemh`: `$readmemh` of the hex files into memories sized `model.vectorCount`
 *   (the Icarus default: Icarus runs the same TB 40-110x slower, so loading hardly matters);
 * - `fread`: streams rows from the binary files with `$fread` (no memories; both simulators);
 * - `dpi`: rows come from DPI imports served by the generated Verilator C++ main, which
 *   maps the binary files (Verilator only; the Verilator default).
 *
 * Measured with bench/cosim-loaders.ts: 10^6 vectors of a registered 16-lane int8 dot
 * product, Verilator 5.006 -O2, best of 3, simulation only (s wall / s CPU, the machine
 * shared and loaded): `--binary --timing` + $readmemh 3.28 / 2.93; C++ main + $readmemh
 * 4.07 / 2.85; C++ main + $fread 0.80 / 0.70; C++ main + DPI 0.13-0.18 / 0.12-0.16;
 * a hand-written C++ harness without the Verilog checker 0.11 / 0.10. Writing the vector
 * files from bigint rows took about 1 s binary, 1.3-1.9 s hex per 10^6 rows of 32 int8 values;
 * models with fast paths now stream the binary files directly (sim/cosim/vector-stream.ts).
 */
export type VectorLoader = 'readmemh' | 'fread' | 'dpi';

export const TB_MODULE = 'npugen_tb';
export const CLOCK_WRAPPER_MODULE = 'npugen_tb_clock';
const HALF_PERIOD = 5;

export interface TestbenchOptions {
  readonly loader: VectorLoader;
  /** Default cap on detailed mismatch records (overridable at run time with +max_records). */
  readonly maxRecords?: number;
}

/** Generated sources; file names are fixed so run directories stay predictable. */
export interface GeneratedTestbench {
  /** `npugen_tb.v`: the self-checking testbench, top `npugen_tb` with input `clk`. */
  readonly testbench: string;
  /** `npugen_tb_clock.v`: `always #5` clock wrapper, top `npugen_tb_clock`. */
  readonly clockWrapper: string;
  /** `npugen_main.cpp`: Verilator harness driving `clk` (and serving DPI rows). */
  readonly verilatorMain: string;
  readonly vectorFormat: 'hex' | 'binary';
}

/** The row layout the testbench slices for a loader (hex dense, binary byte-aligned, DPI word-aligned). */
export function layoutFor(loader: VectorLoader, ports: readonly Port[]): RowLayout {
  switch (loader) {
    case 'readmemh':
      return hexLayout(ports);
    case 'fread':
      return binaryLayout(ports);
    case 'dpi':
      return dpiRowLayout(ports);
  }
}

/** Generates all testbench sources for `model`. Throws on an invalid model. */
export function generateTestbench(model: TestbenchModel, options: TestbenchOptions): GeneratedTestbench {
  validateModel(model);
  const stim = layoutFor(options.loader, model.inputs);
  const exp = layoutFor(options.loader, model.outputs);
  const flags = { readmemh: options.loader === 'readmemh', fread: options.loader === 'fread', dpi: options.loader === 'dpi' };
  const testbench = compileTemplate('testbench.v.hbs')({
    ...flags,
    top: model.top,
    loader: options.loader,
    lead: leadCycles(model),
    latency: model.latency,
    resetCycles: model.reset?.cycles ?? 0,
    stimBits: stim.bits,
    expBits: exp.bits,
    depth: Math.max(model.vectorCount, 1),
    maxRecords: options.maxRecords ?? 100,
    reset: resetData(model),
    inputs: slotData(stim),
    outputs: gateData(exp),
    gotParts: rowConcat(exp),
    maxOutputWidth: Math.max(...model.outputs.map((p) => p.width)),
    connections: connections(model),
  });
  const clockWrapper = compileTemplate('icarus_clock.v.hbs')({ halfPeriod: HALF_PERIOD });
  const verilatorMain = compileTemplate('verilator_main.cpp.hbs')({
    dpi: flags.dpi,
    stim: dpiCopies(model.inputs),
    exp: dpiCopies(model.outputs),
    halfPeriod: HALF_PERIOD,
  });
  return { testbench, clockWrapper, verilatorMain, vectorFormat: flags.readmemh ? 'hex' : 'binary' };
}

/** TB-side signal for a DUT port; prefixed so it cannot collide with the TB's own names. */
function signalOf(name: string): string {
  return `p_${name}`;
}

/**
 * Concatenation items (MSB first) that rebuild an output row of `layout` from the DUT's
 * outputs, for the TB's one-compare-per-vector fast path. A gated output (`validBy`) whose
 * valid bit is expected low contributes its expected bits, so it cannot cause a mismatch.
 */
function rowConcat(layout: RowLayout): string[] {
  const parts: string[] = [];
  let next = 0; // lowest bit not yet covered
  for (const { port, lsb } of layout.slots) {
    if (lsb > next) parts.push(`${lsb - next}'d0`);
    const gate = gateBit(layout, port);
    const expected = `exp_row[${lsb + port.width - 1}:${lsb}]`;
    parts.push(gate === undefined ? signalOf(port.name) : `(${gate} ? ${signalOf(port.name)} : ${expected})`);
    next = lsb + port.width;
  }
  if (layout.bits > next) parts.push(`${layout.bits - next}'d0`);
  return parts.reverse();
}

function slotData(layout: RowLayout): object[] {
  return layout.slots.map(({ port, lsb }, index) => ({
    index,
    name: port.name,
    signal: signalOf(port.name),
    width: port.width,
    msb: port.width - 1,
    hi: lsb + port.width - 1,
    lo: lsb,
  }));
}

/** Output slots plus the compare enable: the expected valid bit for `validBy` outputs, else 1. */
function gateData(layout: RowLayout): object[] {
  const slots = slotData(layout);
  return layout.slots.map(({ port }, i) => ({ ...slots[i], gate: gateBit(layout, port) ?? "1'b1" }));
}

/** The expected-row bit that enables comparing `port`, when it is qualified by `validBy`. */
function gateBit(layout: RowLayout, port: Port): string | undefined {
  if (port.validBy === undefined) return undefined;
  const v = layout.slots.find((s) => s.port.name === port.validBy);
  if (!v || v.port.width !== 1) throw new Error(`testbench model: output '${port.name}' is qualified by '${port.validBy}', which must be a 1-bit output`);
  return `exp_row[${v.lsb}]`;
}

/**
 * For the C++ main: how to expand one binary-file row into a DPI row, one `memcpy` per port
 * (file bytes → word-aligned bytes; the rest of the DPI row is zeroed once per row).
 */
function dpiCopies(ports: readonly Port[]): object {
  const file = binaryLayout(ports);
  const dpi = dpiRowLayout(ports);
  const copies = file.slots.map((slot, i) => ({
    src: slot.lsb / 8,
    dst: (dpi.slots[i]?.lsb ?? 0) / 8,
    bytes: Math.ceil(slot.port.width / 8),
  }));
  return { rowBytes: file.bits / 8, dpiWords: dpi.bits / 32, copies };
}

function resetData(model: TestbenchModel): object | false {
  const reset = model.reset;
  if (reset === undefined) return false;
  return {
    signal: signalOf(reset.name),
    active: reset.activeHigh ? "1'b1" : "1'b0",
    inactive: reset.activeHigh ? "1'b0" : "1'b1",
  };
}

function connections(model: TestbenchModel): { port: string; signal: string }[] {
  const names = [
    ...(model.clock === undefined ? [] : [model.clock]),
    ...(model.reset === undefined ? [] : [model.reset.name]),
    ...model.inputs.map((p) => p.name),
    ...model.outputs.map((p) => p.name),
  ];
  return names.map((port) => ({ port, signal: port === model.clock ? 'clk' : signalOf(port) }));
}

function validateModel(model: TestbenchModel): void {
  const names = [model.top, model.clock, model.reset?.name, ...model.inputs.map((p) => p.name), ...model.outputs.map((p) => p.name)];
  const seen = new Set<string>();
  for (const name of names) {
    if (name === undefined) continue;
    if (!isIdentifier(name)) throw new Error(`testbench model: '${name}' is not a plain Verilog identifier`);
    if (seen.has(name) && name !== model.top) throw new Error(`testbench model: duplicate port '${name}'`);
    seen.add(name);
  }
  for (const port of [...model.inputs, ...model.outputs]) {
    if (!Number.isInteger(port.width) || port.width < 1) throw new Error(`testbench model: port ${port.name} has width ${port.width}`);
  }
  if (!Number.isInteger(model.latency) || model.latency < 0) throw new Error(`testbench model: latency ${model.latency}`);
  if (model.outputs.length === 0) throw new Error('testbench model: no outputs to compare');
}
