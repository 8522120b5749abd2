// The report page in a real headless chromium (Debian's, driven by playwright-core): it loads
// without console errors or network requests, draws one mark per point in each chart, and
// sorts its table; a screenshot goes to docs/explore-report.png. Pareto marking and CSV are
// checked against hand-worked expectations.
import { mkdtemp, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { chromium } from 'playwright-core';
import { toCsv, withPareto, writeOutputs } from '../../explore/report.ts';
import type { PointResult } from '../../explore/point.ts';

function point(id: string, accuracy: number, luts: number | null, energy: number, cycles: number, over: Partial<PointResult> = {}): PointResult {
  const [precision, tile] = id.split('_');
  return {
    id, index: 0, model: 'digits-mlp', flow: 'full', simVerified: true, precision: precision!, tile: tile!, scales: 'per_channel', qat: 'off', device: 'hx8k', rtlSample: 4,
    accuracy, floatAccuracy: 0.95, luts, ffs: 100, dsps: 0, brams: 0, fmaxMHz: 50, cycles, cyclesEstimated: cycles * 0.9, cyclesError: -0.1,
    bytesPerInference: 1000, bytes: { weights: 900, bias: 50, scales: 10, activations: 30, outputs: 10 },
    energyPj: { table: energy, toggle: null }, energyAssumptions: ['test'], rtlVerified: true, gateLevelVerified: true,
    pareto: { luts: false, energy: false, latency: false }, reproduce: ['npugen explore x.yaml -o out --only ' + id], phaseMs: {}, ...over,
  };
}

const POINTS = withPareto([
  point('int8_4x4', 0.95, 9000, 3000, 200),
  point('w4a8_4x4', 0.94, 7000, 2500, 200),
  point('int4_4x4', 0.89, 6000, 1500, 200),
  point('int8_2x2', 0.95, 5000, 3000, 700),
  point('w4a8_2x2', 0.93, 5500, 2500, 700), // dominated on LUTs by int8_2x2
  point('int4_2x2', 0.96, 4000, 1400, 100, { gateLevelVerified: false }), // untrusted area: never on the LUT front
]);

describe('explore report', () => {
  test('Pareto fronts: higher accuracy at lower cost, untrusted area excluded', () => {
    const front = (axis: 'luts' | 'energy' | 'latency') => POINTS.filter((p) => p.pareto[axis]).map((p) => p.id).sort();
    expect(front('luts')).toEqual(['int8_2x2']);
    expect(front('energy')).toEqual(['int4_2x2']);
    expect(front('latency')).toEqual(['int4_2x2']);
    const noGate = withPareto(POINTS.filter((p) => p.id !== 'int4_2x2'));
    expect(noGate.filter((p) => p.pareto.energy).map((p) => p.id).sort()).toEqual(['int4_4x4', 'int8_2x2', 'int8_4x4', 'w4a8_4x4']);
  });

  test('CSV: a header and one row per point, empty cells for missing values', () => {
    const csv = toCsv([point('int8_1x1', 0.5, null, 1, 2)]).trim().split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[0]!.split(',')).toContain('gateLevelVerified');
    expect(csv[1]!.split(',')[7]).toBe('');
  });

  test.skipIf(!existsSync('/usr/bin/chromium') && process.env['NPUGEN_REQUIRE_SIMULATORS'] !== '1')('report.html in headless chromium: no console errors, one mark per point, sortable table, screenshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npugen-report-'));
    await writeOutputs(dir, POINTS, { sweep: 'test' });
    expect(JSON.parse(await readFile(join(dir, 'points.json'), 'utf8'))).toHaveLength(POINTS.length);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
      await page.goto(`file://${join(dir, 'report.html')}`);
      for (const axis of ['luts', 'energy', 'latency']) {
        expect(await page.locator(`[data-axis="${axis}"] g.point circle`).count()).toBe(POINTS.length);
      }
      expect(await page.locator('#points tbody tr').count()).toBe(POINTS.length);
      await page.locator('#points th', { hasText: 'LUT' }).first().click();
      expect(await page.locator('#points tbody tr').first().locator('td').first().textContent()).toBe('int4_2x2');
      await page.screenshot({ path: resolve(import.meta.dirname, '../../docs/explore-report.png'), fullPage: false });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
