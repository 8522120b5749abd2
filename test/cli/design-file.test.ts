// Design-file errors name the file, line, column, key and what was expected.
import { describe, expect, test } from 'vitest';
import { DesignFileError, loadYamlDesign } from '../../cli/design-file.ts';
import { GENERATORS } from '../../catalog/index.ts';

function errorOf(text: string): DesignFileError {
  try {
    loadYamlDesign('d.yaml', text);
  } catch (e) {
    if (e instanceof DesignFileError) return e;
    throw e;
  }
  throw new Error('expected a DesignFileError');
}

describe('YAML design files', () => {
  test('a valid file builds its generator with defaults filled in', () => {
    const d = loadYamlDesign('d.yaml', 'generator: mac\nname: m8\nparams: { a: int8, b: uint4 }\n');
    expect(d.design.top).toBe('m8');
    expect(d.params).toMatchObject({ overflow: 'wrap' });
  });

  test('a parameter combination the generator rejects is reported at params', () => {
    const e = errorOf('generator: mac\nname: x\nparams:\n  a: fixed<8,2>\n  accumulator: int32\n');
    expect(e.line).toBe(4);
    expect(e.detail).toBe("params: mac 'x': accumulator int32 has 0 fraction bits; the products need 6");
  });

  test.each([
    ['unknown generator with a suggestion', 'generator: mak\nname: x\n', 1, 12, `generator: unknown generator 'mak' (did you mean 'mac'?); known: ${[...GENERATORS.keys()].join(', ')}`],
    ['unknown top-level key', 'generator: mac\nname: x\nparam: {}\n', 3, 1, "param: unknown key (did you mean 'params'?); expected generator, name, params"],
    ['unknown param key', 'generator: mac\nname: x\nparams:\n  a: int8\n  acumulator: int32\n', 5, 3, "params.acumulator: unknown key (did you mean 'accumulator'?); expected params.a, params.b, params.accumulator, params.k, params.overflow"],
    ['format string that does not parse', 'generator: mac\nname: x\nparams:\n  a: int8x\n', 4, 6, "params.a: 'int8x' is not a number format; expected int<N>, uint<N>, fixed<W,I> or ufixed<W,I>, e.g. int8, uint4, fixed<16,4>"],
    ['absurd width', 'generator: mac\nname: x\nparams: { a: int0 }\n', 3, 14, "params.a: 'int0': width must be from 1 to 65536"],
    ['wrong type', 'generator: mac\nname: x\nparams: { a: 8 }\n', 3, 14, 'params.a: expected a format string such as int8, uint4 or fixed<16,4>, got 8'],
    ['bad enum value', 'generator: mac\nname: x\nparams: { overflow: clamp }\n', 3, 21, 'params.overflow: expected one of wrap, saturate, got "clamp"'],
    ['illegal design name', 'generator: mac\nname: ../evil\n', 2, 7, "name: '../evil' is not a legal identifier; use letters, digits and _ (not starting with a digit), e.g. mac_i8"],
    ['missing generator', 'name: x\n', 1, 1, 'generator: required (a generator name)'],
    ['unquoted fixed format inside { }', 'generator: mac\nname: x\nparams: { a: fixed<8,2> }\n', 3, 22, 'params.2>: this looks like the end of a fixed<W,I> format split at its comma by YAML\'s { } syntax; quote the format, e.g. a: "fixed<16,4>"'],
    ['YAML syntax error', 'generator: mac\nname: [x\n', 3, 1, undefined],
  ])('%s', (_what, text, line, col, message) => {
    const e = errorOf(text);
    expect(e.file).toBe('d.yaml');
    expect(e.line).toBe(line);
    if (col !== undefined) expect(e.col).toBe(col);
    if (message !== undefined) expect(e.detail).toBe(message);
    else expect(e.detail).toMatch(/^YAML syntax error/);
  });
});
