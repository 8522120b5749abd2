/**
 * The diagnostic catalogue: every code npugen reports, with its severity and a one-line
 * summary. Codes are stable: tests and users match on them, so never renumber.
 */
export const DIAGNOSTIC_CODES = {
  // 1xx: types and widths
  NPG101: { severity: 'error', summary: 'width or type mismatch between a sink and the value driving it' },
  NPG102: { severity: 'error', summary: 'operand types do not satisfy the operator\'s type rule' },
  NPG103: { severity: 'error', summary: 'invalid width' },
  NPG104: { severity: 'error', summary: 'constant does not fit its type' },
  NPG105: { severity: 'error', summary: 'invalid argument to a DSL call' },
  // 2xx: connectivity
  NPG201: { severity: 'error', summary: 'output, wire or register is never driven' },
  NPG202: { severity: 'error', summary: 'signal has more than one driver' },
  NPG203: { severity: 'error', summary: 'combinational loop' },
  NPG204: { severity: 'warning', summary: 'input is never read' },
  NPG205: { severity: 'error', summary: 'input port driven from inside the module' },
  NPG206: { severity: 'error', summary: 'instance port not connected or unknown' },
  // 3xx: names
  NPG301: { severity: 'error', summary: 'duplicate name' },
  NPG302: { severity: 'info', summary: 'name is a Verilog reserved word and was renamed' },
  NPG303: { severity: 'error', summary: 'name is not a legal identifier' },
  NPG304: { severity: 'error', summary: 'two different modules share one name' },
} as const satisfies Record<string, { severity: 'error' | 'warning' | 'info'; summary: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
export type Severity = 'error' | 'warning' | 'info';
