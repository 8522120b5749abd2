// The emitter's nesting rule (generators/verilog/inline.ts): a logic operator is never written
// inside another logic operator, but single-use expressions still nest in concatenations and sinks.
import { expect, test } from 'vitest';
import { defineModule, UInt } from '../../../dsl/index.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';

function emitted(): string {
  const mod = defineModule('nest', (m) => {
    const a = m.input('a', UInt(8));
    const b = m.input('b', UInt(8));
    const c = m.input('c', UInt(8));
    m.output('x', UInt(8)).drive(a.addWrap(b).and(c));
    m.output('y', UInt(16)).drive(m.cat(a.and(b), c));
  });
  return emitVerilog(mod, { locations: false }).map((f) => f.text).join('\n');
}

test('a logic operator read once by another logic operator gets its own wire', () => {
  const text = emitted();
  const sum = /wire \[7:0\] (\w+) = a \+ b;/.exec(text);
  expect(sum, text).not.toBeNull();
  expect(text).toContain(`assign x = ${sum![1]!} & c;`);
});

test('a logic operator read once by a concatenation is still nested', () => {
  expect(emitted()).toContain('assign y = {a & b, c};');
});
