/** The DSL's public API (re-exports only). */
export { UInt, SInt, defineModule, ModuleBuilder, Drivable, Reg } from './builder/module.ts';
export type { RegOptions, BuiltDesign } from './builder/module.ts';
export { Sig } from './builder/signal.ts';
export type { Operand } from './builder/signal.ts';
export type { BitsType } from './types/bits.ts';
export { formatType, minValue, maxValue } from './types/bits.ts';
export type { Design, ModuleIR, Node, Signal } from './ir/nodes.ts';
export { DesignError, formatDiagnostic } from './diagnostics/diagnostic.ts';
export type { Diagnostic } from './diagnostics/diagnostic.ts';
export { DIAGNOSTIC_CODES } from './diagnostics/codes.ts';
export { checkDesign } from './passes/check.ts';
export { lowerDesign } from './passes/lower.ts';
