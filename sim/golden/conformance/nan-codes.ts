/*
 * Which bit patterns are NaN in each SCHEMA format, so the runner can apply the schema's NaN rule
 * (any NaN code passes where `expected` is "NaN"). Pure table lookups on the code; no decoding.
 */
interface NanRule {
  readonly exponentBits: number;
  readonly mantissaBits: number;
  /** 'ieee': E all ones and M != 0; 'e4m3': only S.1111.111; 'none': no NaN codes; 'e8m0': 0xff. */
  readonly kind: 'ieee' | 'e4m3' | 'none' | 'e8m0';
}

const RULES: Record<string, NanRule> = {
  fp32: { exponentBits: 8, mantissaBits: 23, kind: 'ieee' },
  fp16: { exponentBits: 5, mantissaBits: 10, kind: 'ieee' },
  bf16: { exponentBits: 8, mantissaBits: 7, kind: 'ieee' },
  fp8_e5m2: { exponentBits: 5, mantissaBits: 2, kind: 'ieee' },
  fp8_e4m3: { exponentBits: 4, mantissaBits: 3, kind: 'e4m3' },
  fp6_e3m2: { exponentBits: 3, mantissaBits: 2, kind: 'none' },
  fp6_e2m3: { exponentBits: 2, mantissaBits: 3, kind: 'none' },
  fp4_e2m1: { exponentBits: 2, mantissaBits: 1, kind: 'none' },
  e8m0: { exponentBits: 8, mantissaBits: 0, kind: 'e8m0' },
  mxint8: { exponentBits: 0, mantissaBits: 7, kind: 'none' },
};

/** True when `bits` (SCHEMA hex) is a NaN code of `format`; false for unknown formats or malformed hex. */
export function isNanCode(format: string, bits: string): boolean {
  const rule = RULES[format];
  if (rule === undefined || !/^0x[0-9a-f]+$/.test(bits)) return false;
  const code = BigInt(bits);
  const mBits = BigInt(rule.mantissaBits);
  const eMask = (1n << BigInt(rule.exponentBits)) - 1n;
  const exponent = (code >> mBits) & eMask;
  const mantissa = code & ((1n << mBits) - 1n);
  switch (rule.kind) {
    case 'ieee': return exponent === eMask && mantissa !== 0n;
    case 'e4m3': return exponent === eMask && mantissa === (1n << mBits) - 1n;
    case 'e8m0': return code === 0xffn;
    case 'none': return false;
  }
}
