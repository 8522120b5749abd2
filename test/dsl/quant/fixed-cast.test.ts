// The DSL's fixed-point cast (lowered to bit-vector ops) against the golden library's
// independent fixed_cast, exhaustively over every source code of small formats and all 32
// quantization x overflow mode pairs.
import { describe, expect, test } from 'vitest';
import { defineModule } from '../../../dsl/index.ts';
import { castFixed, fixedAdd, fixedInput, fixedMul } from '../../../dsl/quant/fixed.ts';
import { OVERFLOW_MODES, QUANTIZATION_MODES } from '../../../dsl/quant/modes.ts';
import { codeType } from '../../../dsl/types/bits.ts';
import { fixedFormat, type FixedFormat } from '../../../formats/fixed.ts';
import { Interpreter, Simulator } from '../../../sim/eval/simulator.ts';
import { fixedConvert, fixedType, fixedMul as goldenMul, fixedAdd as goldenAdd } from '../../../sim/golden/index.ts';

function codes(f: FixedFormat): bigint[] {
  const lo = f.signed ? -(1n << BigInt(f.width - 1)) : 0n;
  const n = 1n << BigInt(f.width);
  return Array.from({ length: Number(n) }, (_, i) => lo + BigInt(i));
}

const g = (f: FixedFormat) => fixedType(f.width, f.intBits, f.signed);

function castDesign(from: FixedFormat, to: FixedFormat) {
  return defineModule('cast', (m) => {
    const x = fixedInput(m, 'x', from);
    for (const q of QUANTIZATION_MODES) for (const o of OVERFLOW_MODES) {
      m.output(`${q}_${o}`, codeType(to)).drive(castFixed(x, to, q, o).sig);
    }
  });
}

describe('castFixed vs golden fixed_cast', () => {
  const sources: FixedFormat[] = [];
  for (const signed of [true, false]) for (const w of [1, 2, 3, 5]) for (const i of [-1, 0, 2, w, w + 2]) sources.push(fixedFormat(w, i, signed));
  const targets: FixedFormat[] = [];
  for (const signed of [true, false]) for (const w of [1, 2, 3]) for (const i of [-1, 0, 1, 3, 5]) targets.push(fixedFormat(w, i, signed));

  // One test per source format: the whole sweep is 1,200 designs of synchronous work, and a
  // worker that does not yield for a minute (under load) loses its RPC to the vitest runner.
  for (const from of sources) {
    test(`${JSON.stringify(from)} to every target: every code, every mode pair, interpreted IR and compiled pipeline output`, () => {
      let checked = 0;
      for (const to of targets) {
        const d = castDesign(from, to);
        // The reference interpreter on the unlowered IR and the compiled engine on the pipeline's output.
        const sims = [new Interpreter(d), new Simulator(d)];
        for (const code of codes(from)) {
          const outs = sims.map((s) => s.step({ x: code }));
          for (const q of QUANTIZATION_MODES) for (const o of OVERFLOW_MODES) {
            const want = fixedConvert({ type: g(from), code }, g(to), q, o).code;
            for (const out of outs) {
              const got = out[`${q}_${o}`];
              if (got !== want) expect.fail(`cast ${JSON.stringify(from)} code ${code} -> ${JSON.stringify(to)} ${q}/${o}: got ${got}, golden ${want}`);
            }
            checked++;
          }
        }
      }
      expect(checked).toBe(targets.length * 2 ** from.width * QUANTIZATION_MODES.length * OVERFLOW_MODES.length);
    });
  }

  test('full-precision add and mul match the golden fixed arithmetic', () => {
    const fa = fixedFormat(4, 1, true);
    const fb = fixedFormat(3, 3, false);
    const d = defineModule('arith', (m) => {
      const a = fixedInput(m, 'a', fa);
      const b = fixedInput(m, 'b', fb);
      const s = fixedAdd(a, b);
      const p = fixedMul(a, b);
      m.output('s', s.sig.type).drive(s.sig);
      m.output('p', p.sig.type).drive(p.sig);
    });
    const sim = new Simulator(d);
    for (const a of codes(fa)) for (const b of codes(fb)) {
      const out = sim.step({ a, b });
      const ga = { type: g(fa), code: a };
      const gb = { type: g(fb), code: b };
      const sum = goldenAdd(ga, gb);
      const prod = goldenMul(ga, gb);
      // Compare exact values: code * 2^-frac, scaled to a common denominator.
      expect(out['s']! * (1n << 8n) >> BigInt(4 - 1)).toBe(sum.code * (1n << 8n) >> BigInt(sum.type.width - sum.type.intBits));
      expect(out['p']! * (1n << 8n) >> BigInt(3)).toBe(prod.code * (1n << 8n) >> BigInt(prod.type.width - prod.type.intBits));
    }
  });
});
