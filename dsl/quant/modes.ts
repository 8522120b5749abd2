/**
 * Quantization (rounding) and overflow modes, named as in ac_fixed / ap_fixed and the golden
 * library. Every narrowing of a fixed-point value names one of each.
 */
export const QUANTIZATION_MODES = ['TRN', 'TRN_ZERO', 'RND', 'RND_ZERO', 'RND_INF', 'RND_MIN_INF', 'RND_CONV', 'RND_CONV_ODD'] as const;
export const OVERFLOW_MODES = ['WRAP', 'SAT', 'SAT_ZERO', 'SAT_SYM'] as const;

export type QuantizationMode = (typeof QUANTIZATION_MODES)[number];
export type OverflowMode = (typeof OVERFLOW_MODES)[number];
