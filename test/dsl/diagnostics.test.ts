// Diagnostics pinned by code, message and the user's source location (this file's lines).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { defineModule, DesignError, SInt, UInt, type Diagnostic } from '../../dsl/index.ts';
import { emitVerilogText } from '../../generators/verilog/emit.ts';

const HERE = new URL(import.meta.url).pathname;

/** The line of this file holding `marker` (so tests don't hard-code line numbers). */
function lineOf(marker: string): number {
  const src = readFileSync(HERE, 'utf8');
  const idx = src.split('\n').findIndex((l) => l.includes(marker) && !l.includes('lineOf('));
  if (idx < 0) throw new Error(`marker ${marker} not found`);
  return idx + 1;
}

function errorsOf(build: () => unknown): readonly Diagnostic[] {
  try {
    build();
  } catch (e) {
    if (e instanceof DesignError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected a DesignError');
}

describe('diagnostics', () => {
  test('NPG101 width mismatch names both sides and points at the drive call', () => {
    const diags = errorsOf(() => defineModule('m', (m) => {
      const a = m.input('a', SInt(8));
      const y = m.output('y', SInt(8)); // MARK-Y-DECL
      y.drive(a.add(a)); // MARK-DRIVE
    }));
    expect(diags).toHaveLength(1);
    const d = diags[0]!;
    expect(d.code).toBe('NPG101');
    expect(d.message).toBe("output 'y': cannot drive SInt(8) from a SInt(9) value; narrow explicitly with .wrap(8) or .saturate(8)");
    expect(d.loc.file).toBe(HERE);
    expect(d.loc.line).toBe(lineOf('MARK-DRIVE'));
    expect(d.related[0]!.loc.line).toBe(lineOf('MARK-Y-DECL'));
    expect(d.related[1]!.message).toContain('SInt(9)');
  });

  test('NPG101 signedness mismatch suggests a conversion', () => {
    const diags = errorsOf(() => defineModule('m', (m) => {
      m.output('y', SInt(9)).drive(m.input('a', UInt(8)));
    }));
    expect(diags.map((d) => d.code)).toEqual(['NPG101']);
    expect(diags[0]!.message).toContain('.toSigned()');
  });

  test('several errors are reported together: undriven, multiple drivers, duplicate names', () => {
    const diags = errorsOf(() => defineModule('m', (m) => {
      const a = m.input('a', UInt(4));
      m.output('undriven', UInt(4)); // MARK-UNDRIVEN
      const w = m.wire('w', UInt(4));
      w.drive(a); // MARK-D1
      w.drive(a); // MARK-D2
      m.output('o', UInt(4)).drive(w);
      m.wire('a', UInt(1)).drive(0n); // MARK-DUP
    }));
    expect(diags.map((d) => d.code).sort()).toEqual(['NPG201', 'NPG202', 'NPG301']);
    const undriven = diags.find((d) => d.code === 'NPG201')!;
    expect(undriven.message).toBe("output 'undriven' is never driven; drive it with .drive(value)");
    expect(undriven.loc.line).toBe(lineOf('MARK-UNDRIVEN'));
    const multi = diags.find((d) => d.code === 'NPG202')!;
    expect(multi.message).toBe("wire 'w' has 2 drivers");
    expect(multi.related.map((r) => r.loc.line)).toEqual([lineOf('MARK-D1'), lineOf('MARK-D2')]);
    const dup = diags.find((d) => d.code === 'NPG301')!;
    expect(dup.message).toBe("duplicate name 'a' in module 'm'");
    expect(dup.loc.line).toBe(lineOf('MARK-DUP'));
  });

  test('NPG203 combinational loop lists the cycle', () => {
    const diags = errorsOf(() => defineModule('m', (m) => {
      const a = m.input('a', UInt(4));
      const p = m.wire('p', UInt(4));
      const q = m.wire('q', UInt(4));
      p.drive(q.xor(a));
      q.drive(p.and(a));
      m.output('y', UInt(4)).drive(q);
    }));
    expect(diags.map((d) => d.code)).toEqual(['NPG203']);
    expect(diags[0]!.message).toMatch(/^combinational loop in module 'm': (p -> q -> p|q -> p -> q)$/);
    expect(diags[0]!.related.length).toBeGreaterThanOrEqual(2);
  });

  test('a register breaks a loop', () => {
    expect(() => defineModule('m', (m) => {
      const r = m.reg('r', UInt(4), { reset: 0n });
      r.next(r.addWrap(1n));
      m.output('y', UInt(4)).drive(r);
    })).not.toThrow();
  });

  test('NPG102 operator rule violation points at the op call', () => {
    const diags = errorsOf(() => defineModule('m', (m) => {
      const a = m.input('a', UInt(4));
      const b = m.input('b', SInt(4));
      m.output('y', UInt(4)).drive(a.addWrap(b)); // MARK-OP
    }));
    expect(diags.map((d) => d.code)).toEqual(['NPG102']);
    expect(diags[0]!.message).toBe('addWrap(UInt(4), SInt(4)): addWrap needs operands of one signedness, got UInt(4), SInt(4)');
    expect(diags[0]!.loc.line).toBe(lineOf('MARK-OP'));
  });

  test('NPG204 unused input is a warning, NPG302 reserved word is renamed deterministically', () => {
    const d = defineModule('m', (m) => {
      m.input('unused_in', UInt(2)); // MARK-UNUSED
      const r = m.input('reg', UInt(3));
      m.output('module', UInt(3)).drive(r);
    });
    const codes = d.warnings.map((w) => w.code).sort();
    expect(codes).toEqual(['NPG204', 'NPG302', 'NPG302']);
    expect(d.warnings.find((w) => w.code === 'NPG204')!.loc.line).toBe(lineOf('MARK-UNUSED'));
    const v = emitVerilogText(d);
    expect(v).toContain('input  wire [2:0] reg_,');
    expect(v).toContain('assign module_ = reg_;');
  });

  test('NPG103 invalid width and NPG104 constant that does not fit', () => {
    const diags = errorsOf(() => defineModule('m', (m) => {
      m.output('y', UInt(0)).drive(0n);
      m.output('z', UInt(4)).drive(m.constant(20n, UInt(4)));
    }));
    expect(diags.map((d) => d.code).sort()).toEqual(['NPG103', 'NPG104']);
  });
});
