/**
 * A deliberately small Verilog-2005 syntax tree: just what npugen emits. Expressions are built
 * over identifiers and sized literals only, so the printer never has to reason about
 * Verilog's expression sizing.
 */
export type VExpr =
  | { readonly kind: 'ref'; readonly name: string }
  /** A sized literal; `bits` is the raw pattern in [0, 2^width). */
  | { readonly kind: 'lit'; readonly width: number; readonly bits: bigint }
  | { readonly kind: 'index'; readonly name: string; readonly hi: number; readonly lo: number }
  | { readonly kind: 'unary'; readonly op: '~' | '-' | '&' | '|' | '^'; readonly arg: VExpr }
  | { readonly kind: 'binary'; readonly op: VBinaryOp; readonly a: VExpr; readonly b: VExpr }
  | { readonly kind: 'signed'; readonly arg: VExpr }
  | { readonly kind: 'concat'; readonly parts: readonly VExpr[] }
  | { readonly kind: 'repl'; readonly count: number; readonly arg: VExpr }
  | { readonly kind: 'cond'; readonly cond: VExpr; readonly a: VExpr; readonly b: VExpr };

export type VBinaryOp = '+' | '-' | '*' | '&' | '|' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '<<' | '>>' | '>>>';

export type VStmt =
  | { readonly kind: 'nb'; readonly lhs: string; readonly rhs: VExpr }
  | { readonly kind: 'if'; readonly cond: VExpr; readonly then: readonly VStmt[]; readonly else?: readonly VStmt[] };

export type VItem =
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'wire'; readonly name: string; readonly width: number; readonly init?: VExpr; readonly comment?: string }
  | { readonly kind: 'reg'; readonly name: string; readonly width: number; readonly comment?: string }
  | { readonly kind: 'assign'; readonly lhs: string; readonly rhs: VExpr; readonly comment?: string }
  | { readonly kind: 'always'; readonly clock: string; readonly body: readonly VStmt[] }
  | { readonly kind: 'instance'; readonly module: string; readonly name: string; readonly conns: readonly { readonly port: string; readonly expr: VExpr }[]; readonly comment?: string };

export interface VPort {
  readonly dir: 'input' | 'output';
  readonly name: string;
  readonly width: number;
  readonly comment?: string;
}

export interface VModule {
  readonly name: string;
  readonly header: readonly string[];
  readonly ports: readonly VPort[];
  readonly items: readonly VItem[];
}
