/**
 * A port as models, testbenches, vector files and bindings see it: a name, a width, whether its
 * code reads as two's complement, and what the bits carry.
 */
export interface Port {
  /** A legal identifier (`formats/identifier.ts`). */
  readonly name: string;
  /** Bits, >= 1. */
  readonly width: number;
  readonly signed: boolean;
  /** The format string of the bits (`int8`, `fixed<16,4>`, `bf16`, ...); absent: plain `int<N>`/`uint<N>`. */
  readonly format?: string;
  /**
   * Outputs only: a 1-bit output qualifying this one. The port is compared only in rows whose
   * expected value of `validBy` is 1 (don't-care otherwise); the valid output itself always is.
   */
  readonly validBy?: string;
}

/** A port's format string: its `format`, else `int<N>`/`uint<N>` of its width and signedness. */
export function portFormat(p: { readonly format?: string; readonly width: number; readonly signed?: boolean }): string {
  return p.format ?? `${p.signed ? 'int' : 'uint'}${p.width}`;
}
