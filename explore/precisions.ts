/**
 * The named precisions of a sweep. Each maps to operand formats, rounding and accumulator:
 *
 * | name      | activations | weights | accumulator        | output stage                               | hardware  |
 * |-----------|-------------|---------|--------------------|--------------------------------------------|-----------|
 * | int8      | int8        | int8    | exact (auto) + int32 bias | TFLite double-round requant to int8 | gemm_tile |
 * | w4a8      | int8        | int4    | exact (auto) + int32 bias | TFLite double-round requant to int8 | gemm_tile |
 * | int4      | int4        | int4    | exact (auto) + int32 bias | TFLite double-round requant to int4 | gemm_tile |
 * | fp8_e4m3  | fp8_e4m3    | fp8_e4m3| fp32, fused RNE    | fp32 bias, ReLU, RNE to fp8 on the host | float systolic_array |
 * | bf16      | bf16        | bf16    | fp32, fused RNE    | fp32 bias, ReLU, RNE to bf16 on the host | float systolic_array |
 * | mxfp4     | mxfp4_e2m1  | mxfp4_e2m1 | fp32            | (planned) mx_dot, 32-element blocks, E8M0 scales | -   |
 *
 * Integer weights are symmetric (zero point 0) with scales per output channel or per tensor
 * (`scales` axis); inputs and activations are symmetric with calibrated max scales. The float and
 * The float rows round the float model's weights and activations to the format (RNE, saturating;
 * no scaling: the digits MLP's values fit both ranges). The MX row is named so sweep files can list it, but the explorer refuses it (exit 2) until
 * their inference runs on RTL: it never reports a point without RTL behind it.
 */
import type { QuantSpec } from '../examples/mlp/quantize.ts';
import { bf16, fp8_e4m3, type FloatFormat } from '../sim/golden/index.ts';

export interface IntPrecision {
  readonly kind: 'int';
  readonly name: string;
  readonly actBits: number;
  readonly weightBits: number;
  readonly doc: string;
}

export interface PlannedPrecision {
  readonly kind: 'planned';
  readonly name: string;
  readonly doc: string;
}

export interface FloatPrecision {
  readonly kind: 'float';
  readonly name: 'fp8_e4m3' | 'bf16';
  /** Operand format of weights and activations; the accumulator is fp32 (fused). */
  readonly format: FloatFormat;
  readonly doc: string;
}

export type Precision = IntPrecision | FloatPrecision | PlannedPrecision;

export const PRECISIONS: Readonly<Record<string, Precision>> = {
  int8: { kind: 'int', name: 'int8', actBits: 8, weightBits: 8, doc: 'int8 activations x int8 weights, exact accumulator + int32 bias, double-round requant to int8' },
  w4a8: { kind: 'int', name: 'w4a8', actBits: 8, weightBits: 4, doc: 'int8 activations x int4 weights (packed two per byte), exact accumulator + int32 bias, requant to int8' },
  int4: { kind: 'int', name: 'int4', actBits: 4, weightBits: 4, doc: 'int4 activations x int4 weights, exact accumulator + int32 bias, requant to int4' },
  fp8_e4m3: { kind: 'float', name: 'fp8_e4m3', format: fp8_e4m3, doc: 'fp8 E4M3 operands on a float systolic_array, fp32 fused accumulation; fp32 bias, ReLU and rounding to fp8 on the host' },
  bf16: { kind: 'float', name: 'bf16', format: bf16, doc: 'bf16 operands on a float systolic_array, fp32 fused accumulation; fp32 bias, ReLU and rounding to bf16 on the host' },
  mxfp4: { kind: 'planned', name: 'mxfp4', doc: 'MXFP4 (E2M1 elements, E8M0 scale per 32) on mx_dot with fp32 sums: not yet run by the explorer' },
};

export function quantSpecOf(p: IntPrecision, perChannel: boolean): QuantSpec {
  return { weightBits: p.weightBits, actBits: p.actBits, perChannel };
}
