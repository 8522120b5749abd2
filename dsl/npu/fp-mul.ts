/**
 * `fp_mul`: float multiplier y = round(a · b), operands of any two formats (e.g. fp8_e4m3 x
 * fp8_e5m2). The product of the significands is exact ((ma+1)(mb+1) bits); one rounding to `out`,
 * round-to-nearest-even, IEEE overflow (no saturation).
 * Ports: `a`, `b` (codes), `y` (UInt(out.width) code).
 *
 * Latency = `pipeline_stages` (default 0: combinational, no clock). Register placement:
 * - stage 1: after the exact product (unpack + significand multiply | rounding): the product's
 *   sign, exponent, significand and Inf/NaN flags are registered;
 * - stage 2: also inside the rounding, after normalize + denormalizing shift with sticky
 *   (`roundFloat` first half | increment, pack, overflow and specials);
 * - stages 3 and more: each one more register on `y`.
 * Pipeline registers have no reset (pure data path, as `dot`): y is valid `pipeline_stages`
 * cycles after its operands, every cycle.
 */
import { defineModule, type BuiltDesign } from '../index.ts';
import { describeRounding, floatInput, type FloatFormat, type SubnormalMode } from '../float/format.ts';
import { exactMul, floatMul } from '../float/arith.ts';
import { roundExact, type RoundCut } from '../float/round.ts';
import { exactOf, unpackFloat, type ExactFloat } from '../float/unpack.ts';
import { UInt, type ModuleBuilder } from '../builder/module.ts';
import type { Sig } from '../builder/signal.ts';
import { rtlGenerator } from './define.ts';
import { checkNanFreeResult, floatFormatParam, pipelineStagesParam, subnormalsParam } from './fp-params.ts';

export interface FpMulParams {
  readonly name: string;
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly out: FloatFormat;
  readonly subnormals: SubnormalMode;
  /** Register stages (= latency); absent = 0. */
  readonly pipeline_stages?: number;
}

/** The header line stating where `fp_mul`'s registers sit. */
function describeMulPipeline(stages: number): string {
  const cuts = ['after the exact product (unpack + significand multiply | round)', 'inside the rounding (normalize + denormalizing shift | increment, pack, overflow)'];
  const extra = Math.max(0, stages - cuts.length);
  return `pipeline: ${stages} stage(s), latency ${stages}: registers ${cuts.slice(0, stages).join('; ')}${extra > 0 ? `; plus ${extra} register(s) on y` : ''}; no reset`;
}

export function buildFpMul(p: FpMulParams): BuiltDesign {
  const o = { saturate: false, subnormals: p.subnormals };
  const stages = p.pipeline_stages ?? 0;
  checkStages('fp_mul', p.name, stages);
  checkNanFreeResult('out', p.out, { a: p.a, b: p.b });
  return defineModule(p.name, (m) => {
    m.doc(`float multiplier ${p.a.name} x ${p.b.name} -> ${p.out.name}: y = a*b, exact significand product, rounded once`);
    m.doc(describeRounding(p.out, o));
    if (stages > 0) m.doc(describeMulPipeline(stages));
    m.latency(stages);
    const a = floatInput(m, 'a', p.a);
    const b = floatInput(m, 'b', p.b);
    if (stages === 0) {
      m.output('y', UInt(p.out.width)).drive(floatMul(a, b, p.out, o).sig);
      return;
    }
    const flush = { flush: p.subnormals === 'flush' };
    const prod = registerExact(m, 'prod', exactMul(exactOf(unpackFloat(a, flush)), exactOf(unpackFloat(b, flush))));
    const y = roundExact(prod, p.out, o, undefined, stages >= 2 ? roundCutRegisters(m, 'rnd') : undefined);
    m.output('y', UInt(p.out.width)).drive(delay(m, 'y_d', y, Math.max(0, stages - 2)));
  });
}

/** Throws unless `stages` is a non-negative integer. */
export function checkStages(gen: string, name: string, stages: number): void {
  if (!Number.isInteger(stages) || stages < 0) throw new RangeError(`${gen} '${name}': pipeline_stages must be an integer >= 0, got ${stages}`);
}

/** A pipeline register (no reset) holding `s` for one cycle. */
export function pipeReg(m: ModuleBuilder, name: string, s: Sig): Sig {
  const r = m.reg(name, s.type);
  r.next(s);
  return r;
}

/** `s` delayed by `n` pipeline registers `<prefix>0..` (n = 0: `s` itself). */
export function delay(m: ModuleBuilder, prefix: string, s: Sig, n: number): Sig {
  let v = s;
  for (let i = 0; i < n; i++) v = pipeReg(m, `${prefix}${i}`, v);
  return v;
}

/** An exact value registered field by field (`<prefix>_sign`, `_exp`, `_sig`, `_inf`, `_nan`). */
export function registerExact(m: ModuleBuilder, prefix: string, x: ExactFloat): ExactFloat {
  const r = (field: keyof ExactFloat): Sig => pipeReg(m, `${prefix}_${field}`, x[field]);
  return { sign: r('sign'), exp: r('exp'), sig: r('sig'), inf: r('inf'), nan: r('nan') };
}

/** A `RoundCut` that registers every crossing signal (`<prefix><call>_<name>`, no reset). */
export function roundCutRegisters(m: ModuleBuilder, prefix: string): RoundCut {
  let calls = 0;
  return <T extends Readonly<Record<string, Sig>>>(signals: T): T => {
    const tag = `${prefix}${calls++}`;
    return Object.fromEntries(Object.entries(signals).map(([k, v]) => [k, pipeReg(m, `${tag}_${k.toLowerCase()}`, v)])) as unknown as T;
  };
}

/** `generator: fp_mul` in design files. */
export const fpMulGenerator = rtlGenerator({
  name: 'fp_mul',
  doc: 'float multiplier y = a*b (any two formats), exact significand product rounded once',
  params: {
    a: floatFormatParam('operand a float format', 'fp8_e4m3'),
    b: floatFormatParam('operand b float format', 'fp8_e4m3'),
    out: floatFormatParam('result float format', 'fp8_e4m3'),
    subnormals: subnormalsParam(),
    pipeline_stages: pipelineStagesParam('register stages: 1 after the exact product, 2 also inside the rounding, more on y'),
  },
  build: (name, p) => buildFpMul({ name, ...p }),
});
