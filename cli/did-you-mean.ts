/** Suggests the closest known word (edit distance at most 2, or a prefix match). */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  let best: { w: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (!best || d < best.d) best = { w: k, d };
  }
  if (best && (best.d <= 2 || best.w.startsWith(word))) return best.w;
  return undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function suggestion(word: string, known: readonly string[]): string {
  const s = didYouMean(word, known);
  return s ? ` (did you mean '${s}'?)` : '';
}
