import { describe, expect, it } from 'vitest';
import * as golden from 'npugen/golden';

describe("the public API 'npugen/golden'", () => {
  it('exposes the integer half by name', () => {
    for (const name of [
      'Rational', 'roundRational', 'parseIntType', 'narrowInt', 'quantizeAffine', 'dequantizeAffine', 'quantizeAffinePerAxis',
      'chooseQParams', 'quantizeMultiplier', 'srdhm', 'roundingDivideByPot', 'multiplyByQuantizedMultiplier',
      'multiplyByQuantizedMultiplierInt64', 'fullyConnectedInt8', 'qlinearMatMul', 'fixedCast', 'fixedAdd', 'fixedMul',
      'gemminiRoundingShift', 'gemminiAccScale', 'nvdlaCvt', 'accumulatorWidth', 'gemmInt8', 'gemmRequantInt8', 'dotInt8',
      'parseConformanceFile', 'runConformance', 'formatConformanceReport', 'conformanceExitCode',
    ]) {
      expect(typeof (golden as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
