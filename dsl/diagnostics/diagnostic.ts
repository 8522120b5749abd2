/**
 * Diagnostics are data: a stable code, a message, the user's source location, and related
 * locations (the other side of a mismatch, the other driver, the rest of a cycle).
 */
import { DIAGNOSTIC_CODES, type DiagnosticCode, type Severity } from './codes.ts';
import { formatLoc, type SourceLoc } from './loc.ts';

export interface RelatedInfo {
  readonly message: string;
  readonly loc: SourceLoc;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly loc: SourceLoc;
  readonly related: readonly RelatedInfo[];
}

export function diagnostic(code: DiagnosticCode, message: string, loc: SourceLoc, related: readonly RelatedInfo[] = []): Diagnostic {
  return { code, severity: DIAGNOSTIC_CODES[code].severity, message, loc, related };
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** `file:line:col: error NPG101: message` plus indented related lines. */
export function formatDiagnostic(d: Diagnostic, cwd?: string): string {
  const head = `${formatLoc(d.loc, cwd)}: ${d.severity} ${d.code}: ${d.message}`;
  const rel = d.related.map((r) => `  ${formatLoc(r.loc, cwd)}: note: ${r.message}`);
  return [head, ...rel].join('\n');
}

/** Thrown when a design has errors; carries every diagnostic found, not just the first. */
export class DesignError extends Error {
  override readonly name = 'DesignError';
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(`${errors.length} error(s) in design:\n${errors.map((d) => formatDiagnostic(d)).join('\n')}`);
    this.diagnostics = diagnostics;
  }
}
