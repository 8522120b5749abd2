/**
 * Table energy per inference: operation counts x per-operation energies from Horowitz,
 * "Computing's energy problem", ISSCC 2014 (45 nm, 0.9 V), as tabulated in QKeras qtools and
 * stillwater-sc/esim (see /work/shared/docs/field-facts.md, copied here with attribution).
 * What it is: a first-order figure for comparing precisions. What it is not: a measurement of
 * the generated RTL (no wires, clock tree, registers or leakage; 45 nm ASIC, not iCE40).
 */
export interface EnergyTable {
  readonly source: string;
  /** pJ per operation. */
  readonly mul: Readonly<Record<'int4' | 'int8' | 'int32', number>>;
  readonly add: Readonly<Record<'int8' | 'int32', number>>;
  /** pJ per 32-bit word read from a small (8 KB) SRAM. */
  readonly sramWord: number;
}

export const HOROWITZ_45NM: EnergyTable = {
  source: 'Horowitz, ISSCC 2014, 45 nm 0.9 V (via QKeras qtools / esim); int4 multiply from QKeras\'s polynomial fit (0.052 pJ)',
  mul: { int4: 0.052, int8: 0.2, int32: 3.1 },
  add: { int8: 0.03, int32: 0.1 },
  sramWord: 5,
};

export interface OpCounts {
  /** Multiply-accumulates, and the wider operand's bits (a 4x8 multiply is costed as 8x8). */
  readonly macs: number;
  readonly mulBits: number;
  /** Output elements (each: int32 bias add, int32 x int32 requant multiply, int32 rounding add). */
  readonly outputs: number;
  readonly bytes: number;
}

export interface TableEnergy {
  readonly totalPj: number;
  readonly computePj: number;
  readonly memoryPj: number;
  readonly assumptions: readonly string[];
}

/** Horowitz's float entries (pJ): fp16 multiply 1.1, fp32 add 0.9. */
const FP16_MUL = 1.1;
const FP32_ADD = 0.9;

/**
 * Float points: per MAC one multiply costed as Horowitz's fp16 multiply (he gives no fp8 or bf16
 * figure; both have narrower significands than fp16, so this is an upper bound) plus one fp32 add;
 * per output one fp32 bias add; memory as for integers.
 */
export function floatTableEnergy(ops: { macs: number; operand: string; outputs: number; bytes: number }, t: EnergyTable = HOROWITZ_45NM): TableEnergy {
  const computePj = ops.macs * (FP16_MUL + FP32_ADD) + ops.outputs * FP32_ADD;
  const memoryPj = (ops.bytes / 4) * t.sramWord;
  return {
    totalPj: computePj + memoryPj, computePj, memoryPj,
    assumptions: [
      `source: ${t.source}`,
      `per MAC: one ${ops.operand} multiply costed as an fp16 multiply (${FP16_MUL} pJ; no fp8/bf16 entry in the table: an upper bound) + one fp32 accumulator add (${FP32_ADD} pJ)`,
      `per output: one fp32 bias add (${FP32_ADD} pJ); ReLU and the rounding to ${ops.operand} not counted`,
      `memory: every byte moved read once from an 8 KB SRAM at ${t.sramWord} pJ per 32-bit word; no DRAM (about 20 pJ/bit there)`,
      '45 nm ASIC figures: not iCE40 energy; registers, wires, clock and leakage not included',
    ],
  };
}

export function tableEnergy(ops: OpCounts, t: EnergyTable = HOROWITZ_45NM): TableEnergy {
  const mul = ops.mulBits <= 4 ? t.mul.int4 : t.mul.int8;
  const computePj = ops.macs * (mul + t.add.int32) + ops.outputs * (2 * t.add.int32 + t.mul.int32);
  const memoryPj = (ops.bytes / 4) * t.sramWord;
  return {
    totalPj: computePj + memoryPj, computePj, memoryPj,
    assumptions: [
      `source: ${t.source}`,
      `per MAC: one ${ops.mulBits <= 4 ? 'int4' : 'int8'} multiply (${mul} pJ; mixed widths costed at the wider operand) + one int32 accumulator add (${t.add.int32} pJ)`,
      `per output: int32 bias add + int32 rounding add (${t.add.int32} pJ each) + one 32x32 requant multiply (${t.mul.int32} pJ)`,
      `memory: every byte moved read once from an 8 KB SRAM at ${t.sramWord} pJ per 32-bit word; no DRAM (about 20 pJ/bit there)`,
      '45 nm ASIC figures: not iCE40 energy; registers, wires, clock and leakage not included',
    ],
  };
}
