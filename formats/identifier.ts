/**
 * The one identifier rule of npugen: design, module, port and signal names, and generated file
 * stems. A plain Verilog-2005 simple identifier without `$` (letters, digits and `_`, not
 * starting with a digit), which is also a valid C++, TypeScript and file name.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** How to spell the rule in an error message. */
export const IDENTIFIER_RULE = 'letters, digits and _, not starting with a digit';
