// The generator registry: one entry per generator, each built with its model from one parse of
// the raw params; bad params named; a generator without a model refused at registry load.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { GENERATORS, instantiate, UnknownGeneratorError, defineGenerator } from '../../catalog/index.ts';
import { macGenerator } from '../../dsl/npu/mac.ts';
import { fpMulGenerator } from '../../dsl/npu/fp-mul.ts';
import { ParamError } from '../../dsl/npu/params.ts';
import { macGeneratorModel } from '../../sim/models/mac.ts';
import { fpMulGeneratorModel } from '../../sim/models/float-mul.ts';
import { expectPortsMatch } from '../helpers/model-check.ts';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples');

describe('catalog', () => {
  test('the registered generators are exactly those of examples/*.yaml (each has an example), each under its own name', () => {
    const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
    const used = new Set(examples.map((f) => /^generator:\s*(\w+)/m.exec(readFileSync(path.join(EXAMPLES, f), 'utf8'))?.[1]));
    expect([...GENERATORS.keys()].sort()).toEqual([...used].sort());
    expect(GENERATORS.size).toBeGreaterThanOrEqual(13);
    for (const [name, g] of GENERATORS) expect(g.name).toBe(name);
  });

  test.each([...GENERATORS.keys()])('%s with default params: the design has the model\'s ports and latency', (name) => {
    const { design, model, generator } = instantiate(name, {}, `${name}_dut`);
    expect(generator).toBe(name);
    expect(design.top).toBe(`${name}_dut`);
    expectPortsMatch(design, model);
  });

  test('the model is made from the same parsed params as the design (auto accumulator, float names)', () => {
    const mac = instantiate('mac', { a: 'int4', b: 'uint4', accumulator: 'auto', k: 100 });
    expect(mac.model.outputs.map((p) => p.format)).toEqual(['int15']); // |(-8)(15)| · 100 = 12000 < 2^14
    expectPortsMatch(mac.design, mac.model);
    const mul = instantiate('fp_mul', { a: 'bf16', b: 'fp8_e5m2', out: 'fp16', pipeline_stages: 2 });
    expect(mul.model.inputs.map((p) => p.format)).toEqual(['bf16', 'fp8_e5m2']);
    expect(mul.model.latency).toBe(2);
    expectPortsMatch(mul.design, mul.model);
  });

  test('a bad, missing or unknown param is a ParamError naming the key and what was expected', () => {
    const err = (f: () => unknown): ParamError => {
      try { f(); } catch (e) { if (e instanceof ParamError) return e; throw e; }
      throw new Error('no error');
    };
    expect(err(() => instantiate('mac', { k: 0 }))).toMatchObject({ key: 'k', message: 'params.k: expected an integer from 1 to 16777216, got 0' });
    expect(err(() => instantiate('mac', { a: 'int' })).key).toBe('a');
    expect(err(() => instantiate('mac', { acumulator: 'int32' }))).toMatchObject({ key: 'acumulator', message: expect.stringContaining('unknown key; expected a, b, accumulator, k, overflow') });
    expect(err(() => instantiate('fp_mul', { out: 'fp7' })).message).toContain('expected a float format (fp32, fp16');
    expect(() => instantiate('mak')).toThrow(UnknownGeneratorError);
  });

  test('a combination the generator rejects is a RangeError with the reason', () => {
    expect(() => instantiate('mac', { a: 'fixed<8,4>', accumulator: 'int32' })).toThrow(/fraction bits/);
    expect(() => instantiate('systolic_array', { a: 'bf16', b: 'int8', accumulator: 'fp32' })).toThrow(/both be float formats/);
  });

  test('defineGenerator ties the model to the generator\'s param type (checked by tsc on this file)', () => {
    // @ts-expect-error fp_mul's model cannot be paired with mac's params
    defineGenerator(macGenerator, fpMulGeneratorModel);
    // @ts-expect-error a generator without a model is not a registry entry
    defineGenerator(fpMulGenerator);
    expect(defineGenerator(macGenerator, macGeneratorModel).name).toBe('mac');
  });
});
