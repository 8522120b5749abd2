/**
 * Number formats, ports and the identifier rule: a leaf module (it imports nothing from dsl/,
 * generators/, sim/ or catalog/) shared by the DSL, the golden library, the models, the
 * testbenches, the bindings and the reports.
 */
export * from './fixed.ts';
export * from './float.ts';
export * from './number-format.ts';
export * from './port.ts';
export * from './identifier.ts';
