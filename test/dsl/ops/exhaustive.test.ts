/**
 * Exhaustive operator checks at small widths: every op of the op table (primitive and
 * composite), every operand type pair of widths 1..4 (signed, unsigned, mixed), every operand
 * value pair, params swept. Three layers, each against the independent reference in
 * `test/helpers/op-reference.ts`:
 *   (a) the type rule (result width and signedness, or rejection);
 *   (b) the op's exact `eval`;
 *   (c) the lowering: a batched one-op-per-output design, lowered to primitive ops and run on
 *       the built-in simulator.
 * Plus: a type-rule violation reports NPG102 at the caller's file:line.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defineModule, DesignError, formatDiagnostic, SInt, UInt } from '../../../dsl/index.ts';
import { lowerDesign } from '../../../dsl/passes/lower.ts';
import { COMPOSITE_OP_NAMES, PRIM_OP_NAMES, isPrimOp } from '../../../dsl/ops/names.ts';
import { opDef } from '../../../dsl/ops/table.ts';
import type { Design } from '../../../dsl/ir/nodes.ts';
import { Interpreter, Simulator } from '../../../sim/eval/simulator.ts';
import {
  allInputRows, allOpCases, buildCase, buildOpsDesign, maxOf, minOf, outputName, refEval, refOutput, toBitsType, tyName, validOpCases, valuesOf,
  type OpCase, type Ty,
} from '../../helpers/op-reference.ts';

const ALL = allOpCases();
const VALID = validOpCases();
const show = (c: OpCase): string => `${c.op}(${c.args.map(tyName).join(', ')}) ${JSON.stringify(c.params)}`;

/** Every combination of operand values of the case's types. */
function* operandTuples(types: readonly Ty[]): Generator<number[]> {
  if (types.length === 0) { yield []; return; }
  const [first, ...rest] = types;
  for (const v of valuesOf(first!)) for (const tail of operandTuples(rest)) yield [v, ...tail];
}

describe('exhaustive operator checks, widths 1..4', () => {
  it('covers every primitive and composite op, valid and rejected cases', () => {
    const ops = new Set(ALL.map((c) => c.op));
    for (const op of [...PRIM_OP_NAMES, ...COMPOSITE_OP_NAMES]) expect(ops.has(op), op).toBe(true);
    const validOps = new Set(VALID.map((c) => c.op));
    for (const op of [...PRIM_OP_NAMES, ...COMPOSITE_OP_NAMES]) expect(validOps.has(op), op).toBe(true);
    // Mixed signedness is exercised wherever the op allows it.
    for (const op of ['add', 'sub', 'mul', 'cmpLt', 'cmpEq', 'select', 'concat'] as const) {
      expect(VALID.some((c) => c.op === op && c.args.some((t) => t.s) && c.args.some((t) => !t.s)), op).toBe(true);
    }
    expect(VALID.length).toBeGreaterThan(1000);
    expect(ALL.length - VALID.length).toBeGreaterThan(500);
  });

  it('(a) type rules agree with the reference rules', () => {
    const bad: string[] = [];
    for (const c of ALL) {
      const got = opDef(c.op).type(c.args.map(toBitsType), c.params);
      if (c.result === undefined) {
        if (typeof got !== 'string') bad.push(`${show(c)}: expected a rejection, got ${JSON.stringify(got)}`);
      } else if (typeof got === 'string' || got.width !== c.result.w || got.signed !== c.result.s) {
        bad.push(`${show(c)}: expected ${tyName(c.result)}, got ${JSON.stringify(got)}`);
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });

  it('(b) eval agrees with the reference on every operand tuple', () => {
    const bad: string[] = [];
    let checked = 0;
    for (const c of VALID) {
      const def = opDef(c.op);
      const argTypes = c.args.map(toBitsType);
      const rt = toBitsType(c.result!);
      for (const vals of operandTuples(c.args)) {
        const want = refEval(c, vals, c.result!);
        const got = def.eval(vals.map(BigInt), argTypes, c.params, rt);
        checked++;
        if (got !== BigInt(want) || want < minOf(c.result!) || want > maxOf(c.result!)) {
          if (bad.length < 20) bad.push(`${show(c)} on ${vals.join(', ')}: reference ${want}, eval ${got}`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(60_000);
  });

  it('(c) the DSL builds each op, lowering keeps its semantics, and both simulator engines agree', () => {
    const design = buildOpsDesign('ops_exhaustive', VALID);
    const top = design.modules[0]!;
    // Each output is driven straight from a node of the case's op (the DSL method maps to it).
    VALID.forEach((c, i) => {
      const sig = top.signals.find((s) => s.name === outputName(i))!;
      const conn = top.connects.find((k) => k.target === sig.id)!;
      const node = top.nodes[conn.value]!;
      expect(node.kind === 'op' ? node.op : node.kind, show(c)).toBe(c.op);
    });
    const lowered: Design = lowerDesign(design);
    for (const m of lowered.modules) for (const n of m.nodes) if (n.kind === 'op') expect(isPrimOp(n.op), n.op).toBe(true);

    // (The unlowered design on the simulator is eval again: covered by (b) and by ops-cosim.test.ts.)
    // The reference interpreter on the lowered IR, and the compiled engine on the pipeline's output.
    const sims = { interpreted: new Interpreter(lowered), compiled: new Simulator(design) };
    const bad: string[] = [];
    for (const row of allInputRows()) {
      const inputs = { x: row[0]!, y: row[1]!, s: row[2]! };
      const wants = VALID.map((c) => BigInt(refOutput(c, row)));
      for (const [which, sim] of Object.entries(sims)) {
        const out = sim.step(inputs);
        VALID.forEach((c, i) => {
          const want = wants[i]!;
          if (out[outputName(i)] !== want && bad.length < 20) bad.push(`${which} ${show(c)} x=${row[0]} y=${row[1]} s=${row[2]}: reference ${want}, got ${out[outputName(i)]}`);
        });
      }
    }
    expect(bad).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Type-rule violations are reported as NPG102 at the line of the offending call.

const THIS_FILE = fileURLToPath(import.meta.url);
const SOURCE_LINES = readFileSync(THIS_FILE, 'utf8').split('\n');
/** 1-based line of the line carrying `// @mark <name>` (the violation is on that line). */
const markLine = (name: string): number => SOURCE_LINES.findIndex((l) => l.includes(`@mark ${name}` + '\u0020')) + 1;

describe('type-rule violations', () => {
  it('reports NPG102 with the caller\'s file:line for each violation, all at once', () => {
    let error: unknown;
    try {
      defineModule('bad_ops', (m) => {
        const a = m.input('a', UInt(4));
        const b = m.input('b', SInt(4));
        const c = m.input('c', UInt(3));
        const w = m.input('w', UInt(2));
        m.output('o1', UInt(4)).drive(a.addWrap(b).asUnsigned()); // @mark addWrap-mixed 
        m.output('o2', UInt(4)).drive(a.and(c)); // @mark and-widths 
        m.output('o3', UInt(2)).drive(a.slice(4, 3)); // @mark slice-range 
        m.output('o4', SInt(4)).drive(b.shlWrap(b)); // @mark shift-signed 
        m.output('o5', UInt(4)).drive(m.mux(w, a, a)); // @mark select-cond 
        m.output('o6', UInt(4)).drive(a.ext(3)); // @mark ext-narrow 
        m.output('o7', UInt(1)).drive(a.subWrap(b).orR()); // @mark subWrap-mixed 
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DesignError);
    const diags = (error as DesignError).diagnostics;
    const marks = ['addWrap-mixed', 'and-widths', 'slice-range', 'shift-signed', 'select-cond', 'ext-narrow', 'subWrap-mixed'];
    for (const mark of marks) {
      const line = markLine(mark);
      expect(line, mark).toBeGreaterThan(0);
      const hits = diags.filter((d) => d.code === 'NPG102' && d.loc.line === line);
      expect(hits, `${mark} at line ${line}: ${diags.map((d) => formatDiagnostic(d)).join('\n')}`).toHaveLength(1);
      expect(hits[0]!.loc.file).toBe(THIS_FILE);
      expect(formatDiagnostic(hits[0]!)).toMatch(new RegExp(`exhaustive\\.test\\.ts:${line}:\\d+: error NPG102: `));
    }
    // Poisoned results are not reported again at the sinks they reach.
    expect(diags.filter((d) => d.severity === 'error')).toHaveLength(marks.length);
  });

  it('reports NPG102 at the building call for every case the reference rule rejects', () => {
    const rejected = ALL.filter((c) => c.result === undefined);
    const bad: string[] = [];
    for (const c of rejected) {
      try {
        defineModule('bad_case', (m) => {
          const ins = c.args.map((t, k) => m.input(`i${k}`, toBitsType(t)));
          buildCase(m, c, ins);
        });
        bad.push(`${show(c)}: accepted`);
      } catch (e) {
        const errors = e instanceof DesignError ? e.diagnostics.filter((d) => d.severity === 'error') : [];
        const ok = errors.length === 1 && errors[0]!.code === 'NPG102' && errors[0]!.loc.file.endsWith('op-reference.ts');
        if (!ok) bad.push(`${show(c)}: ${e instanceof DesignError ? errors.map((d) => formatDiagnostic(d)).join('; ') : String(e)}`);
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
    expect(rejected.length).toBeGreaterThan(500);
  });
});
