// runQuantGemmOnTiles: quantized GEMMs of shapes that are not tile multiples (edge tiles, K < R)
// on generated gemm_tile RTL, cycle by cycle, compared with evalQuantGemm on the built-in
// simulator, Icarus and Verilator; per-tensor and per-column multipliers, int32 output, bias;
// planted faults are caught and reported with the operands; the tile's RTL is lint-clean.
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { topModule, type Design, type ModuleIR, type Node } from '../../../dsl/ir/nodes.ts';
import { evalQuantGemm, type QType, type QuantGemmSpec } from '../../../sim/layers/quant-gemm.ts';
import { quantGemmTileName, quantGemmTileParams, runQuantGemmOnTiles, type TileRunOptions } from '../../../sim/layers/quant-gemm-tiles.ts';
import { instantiate } from '../../../catalog/index.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { Rng } from '../../../sim/random.ts';
import { describeWithTools, testCacheDir } from '../../helpers/simulators.ts';

function codes(rng: Rng, type: QType, len: number): Int8Array | Uint8Array {
  const d = type === 'int8' ? new Int8Array(len) : new Uint8Array(len);
  for (let i = 0; i < len; i++) d[i] = rng.below(256) - (type === 'int8' ? 128 : 0);
  return d;
}

interface Shape { m: number; k: number; n: number; a: QType; b: QType; out: QType | 'int32'; perColumn: boolean; bias: boolean }

function specOf(s: Shape, seed: number): QuantGemmSpec {
  const rng = new Rng(seed);
  const off = (t: QType) => (t === 'int8' ? -128 : 0);
  const zp = (t: QType) => off(t) + 64 + rng.below(128);
  const output: QuantGemmSpec['output'] = s.out === 'int32' ? { kind: 'int32' }
    : { kind: 'requant', type: s.out, multiplier: Float32Array.from({ length: s.perColumn ? s.n : 1 }, () => (200 + rng.below(800)) * 2 ** -(17 + rng.below(3))), zeroPoint: zp(s.out), min: off(s.out) + 3, max: off(s.out) + 250 };
  return {
    m: s.m, k: s.k, n: s.n,
    a: { type: s.a, data: codes(rng, s.a, s.m * s.k), zeroPoint: zp(s.a) },
    b: { type: s.b, data: codes(rng, s.b, s.k * s.n), zeroPoint: s.perColumn ? Int32Array.from({ length: s.n }, () => zp(s.b)) : zp(s.b) },
    ...(s.bias ? { bias: Int32Array.from({ length: s.n }, () => rng.below(40001) - 20000) } : {}),
    output,
  };
}

const TILE = { rows: 3, cols: 4 };

const tileFor = (spec: QuantGemmSpec, tile: TileRunOptions['tile']) => instantiate('gemm_tile', quantGemmTileParams(spec, tile), quantGemmTileName(spec, tile));
/** runQuantGemmOnTiles on the registry's tile for the spec (as `npugen run` builds it). */
const runOnTiles = (spec: QuantGemmSpec, opts: Omit<TileRunOptions, 'instance'>) => runQuantGemmOnTiles(spec, { ...opts, instance: tileFor(spec, opts.tile) });
const SHAPES: Shape[] = [
  // 5 = 3 + 2 rows, 6 = 4 + 2 columns; uint8 x int8 -> uint8 per tensor (QLinearMatMul), bias (QGemm).
  { m: 5, k: 7, n: 6, a: 'uint8', b: 'int8', out: 'uint8', perColumn: false, bias: true },
  // K = 2 < R = 3 (idle beats between GEMMs), per-column multipliers and weight zero points, int8.
  { m: 4, k: 2, n: 9, a: 'int8', b: 'int8', out: 'int8', perColumn: true, bias: false },
  // MatMulInteger: int32 accumulators with zero points.
  { m: 7, k: 5, n: 3, a: 'uint8', b: 'uint8', out: 'int32', perColumn: true, bias: false },
];

describe('runQuantGemmOnTiles on the built-in simulator', () => {
  SHAPES.forEach((s, i) => {
    test(`${s.m}x${s.k}x${s.n} ${s.a} x ${s.b} -> ${s.out}${s.perColumn ? ' per column' : ''}${s.bias ? ' + bias' : ''} on a 3x4 tile`, async () => {
      const spec = specOf(s, 100 + i);
      const r = await runOnTiles(spec, { tile: TILE, simulator: 'builtin' });
      expect(r.firstMismatch).toBeUndefined();
      expect(r.bitExact).toBe(true);
      expect(Array.from(r.output)).toEqual(Array.from(evalQuantGemm(spec)));
      expect(r.cycles).toBe(r.cyclesEstimated);
      // The clamp is exercised (outputs at both bounds) where there is one.
      if (spec.output.kind === 'requant') expect(new Set(r.output).size).toBeGreaterThan(5);
    });
  });

  test('one element: 1x1x1 on a 1x1 tile', async () => {
    const spec = specOf({ m: 1, k: 1, n: 1, a: 'int8', b: 'int8', out: 'int8', perColumn: false, bias: true }, 5);
    const r = await runOnTiles(spec, { tile: { rows: 1, cols: 1 }, simulator: 'builtin' });
    expect(r.bitExact).toBe(true);
    expect(r.output).toEqual(evalQuantGemm(spec));
  });

  test('a tile built for another spec or shape is refused, naming the param', async () => {
    const spec = specOf(SHAPES[0]!, 100);
    const other = specOf(SHAPES[2]!, 100);
    await expect(runQuantGemmOnTiles(spec, { tile: TILE, simulator: 'builtin', instance: tileFor(other, TILE) })).rejects.toThrow(/built with a = uint8, the layer needs int8|built with b = uint8, the layer needs int8|built with output = int32, the layer needs uint8/);
    await expect(runQuantGemmOnTiles(spec, { tile: TILE, simulator: 'builtin', instance: tileFor(spec, { rows: 2, cols: 4 }) })).rejects.toThrow(/built with rows = 2, the layer needs 3/);
  });

  test('a planted fault (the weight zero point of column 1 not subtracted) is caught and reported with its operands', async () => {
    const spec = specOf(SHAPES[0]!, 100);
    const r = await runOnTiles(spec, { tile: TILE, simulator: 'builtin', plant: (d) => stubRead(d, 'b_zero_point_1') });
    expect(r.bitExact).toBe(false);
    expect(r.mismatches).toBeGreaterThan(0);
    const f = r.firstMismatch!;
    // Column 1 of the first column tile is the one without its zero point.
    expect(f.col).toBe(1);
    expect(f.actual).not.toBe(f.expected);
    expect(f.detail).toMatch(/^y\[\d\]\[1\] at cycle \d+: expected -?\d+ \(8'h[0-9a-f]{2}\)\s+got -?\d+ \(8'h[0-9a-f]{2}\)\s+differing bits/);
    expect(f.detail).toMatch(/accumulator -?\d+ \(int32\) = sum over t < 7 of .* \+ bias/);
    expect(f.detail).toMatch(/multiplier [\d.e-]+ \(fp32 32'h[0-9a-f]{8}\)/);
    expect(f.detail).toContain(`a[${f.row}][0..7) (uint8) = [`);
    expect(r.output[f.row * spec.n + f.col]).toBe(f.actual);
  });
});

/** A copy of the design whose top module reads the input `name` as a constant 0. */
function stubRead(design: Design, name: string): Design {
  const top = topModule(design);
  const pick = (n: Node, t: ModuleIR): boolean => n.kind === 'read' && t.signals[n.signal]!.name === name;
  const hits = top.nodes.filter((n) => pick(n, top));
  if (hits.length !== 1) throw new Error(`stubRead: ${hits.length} reads of ${name}`);
  const nodes = top.nodes.map((n) => (n.id === hits[0]!.id ? ({ kind: 'const', id: n.id, type: n.type, loc: n.loc, value: 0n } as const) : n));
  return { ...design, modules: design.modules.map((m) => (m === top ? { ...top, nodes } : m)) };
}

const SIM_TIMEOUT_MS = 300_000;

describeWithTools('icarus', 'runQuantGemmOnTiles on Icarus', () => {
  test('4x2x9 int8 per column (edge tiles, K < R) matches the golden model; a planted fault fails', async () => {
    const spec = specOf(SHAPES[1]!, 101);
    const runDir = join(testCacheDir(), 'qgemm-icarus');
    const r = await runOnTiles(spec, { tile: TILE, simulator: 'icarus', runDir });
    expect(r.firstMismatch).toBeUndefined();
    expect(r.bitExact).toBe(true);
    expect(r.output).toEqual(evalQuantGemm(spec));
    expect(r.cycles).toBe(r.cyclesEstimated);
    const bad = await runOnTiles(spec, { tile: TILE, simulator: 'icarus', runDir, plant: (d) => stubRead(d, 'a_zero_point') });
    expect(bad.bitExact).toBe(false);
    expect(bad.firstMismatch!.row).toBeGreaterThanOrEqual(0);
    expect(bad.output[bad.firstMismatch!.row * spec.n + bad.firstMismatch!.col]).toBe(bad.firstMismatch!.actual);
  }, SIM_TIMEOUT_MS);

  test('7x5x3 uint8 x uint8 -> int32 (MatMulInteger) matches the golden model', async () => {
    const spec = specOf(SHAPES[2]!, 102);
    const r = await runOnTiles(spec, { tile: TILE, simulator: 'icarus', runDir: join(testCacheDir(), 'qgemm-icarus-i32') });
    expect(r.bitExact).toBe(true);
    expect(r.output).toEqual(evalQuantGemm(spec));
  }, SIM_TIMEOUT_MS);
});

describeWithTools('verilator', 'runQuantGemmOnTiles on Verilator', () => {
  test('5x7x6 uint8 x int8 -> uint8 per tensor with bias (edge tiles) matches the golden model', async () => {
    const spec = specOf(SHAPES[0]!, 100);
    const r = await runOnTiles(spec, { tile: TILE, simulator: 'verilator', runDir: join(testCacheDir(), 'qgemm-verilator') });
    expect(r.firstMismatch).toBeUndefined();
    expect(r.bitExact).toBe(true);
    expect(r.output).toEqual(evalQuantGemm(spec));
    expect(r.cycles).toBe(r.cyclesEstimated);
  }, SIM_TIMEOUT_MS);

});

describeWithTools('yosys', 'quantized gemm_tile RTL is lint-clean', () => {
  test('2x2 uint8 x int8 with zero points and bias, int32 output: verilator -Wall and yosys check pass', async () => {
    const spec = specOf({ m: 1, k: 5, n: 2, a: 'uint8', b: 'int8', out: 'int32', perColumn: true, bias: true }, 9);
    const tile = tileFor(spec, { rows: 2, cols: 2 }).design;
    for (const o of await lintRtl(emitVerilog(tile), tile.top)) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
  }, SIM_TIMEOUT_MS);
});
