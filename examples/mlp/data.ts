/** The UCI digits set shipped with the examples: 8x8 images (pixels 0..16) and labels 0..9. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';

export interface Digits {
  /** Row-major 64 pixels per image, 0..16. */
  readonly images: readonly Uint8Array[];
  readonly labels: readonly number[];
}

export const TRAIN_ROWS = 1437;

export function loadDigits(file = path.resolve(import.meta.dirname, '../data/digits.csv.gz')): Digits {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map((c) => Number(c));
    if (cells.length !== 65 || cells.some((c) => !Number.isInteger(c))) throw new Error(`${file}:${i + 1}: expected 65 integers`);
    images.push(Uint8Array.from(cells.slice(0, 64)));
    labels.push(cells[64]!);
  }
  return { images, labels };
}

/** The deterministic split: first 1,437 rows train, last 360 test. */
export function splitDigits(d: Digits): { train: Digits; test: Digits } {
  return {
    train: { images: d.images.slice(0, TRAIN_ROWS), labels: d.labels.slice(0, TRAIN_ROWS) },
    test: { images: d.images.slice(TRAIN_ROWS), labels: d.labels.slice(TRAIN_ROWS) },
  };
}
