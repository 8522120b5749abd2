// Progress output: one line per slow phase off a TTY (nothing for quick ones); on a TTY a
// redrawn line with a bar and ETA when the phase reports its fraction.
import { describe, expect, test } from 'vitest';
import { clock, startProgress } from '../../cli/progress.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startProgress', () => {
  test('off a TTY: one line for each phase still running after the delay', async () => {
    const lines: string[] = [];
    const p = startProgress({ out: () => undefined, err: (t) => void lines.push(t), isTty: false }, 'verify x', { delayMs: 40 });
    p.phase('quick');
    await sleep(5);
    p.phase('slow');
    await sleep(200);
    p.done();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^verify x: slow \(at \d+\.\d s\)$/);
  });

  test('on a TTY: a bar with the fraction done and an ETA, cleared at the end', async () => {
    const out: string[] = [];
    const p = startProgress({ out: () => undefined, err: () => undefined, isTty: true }, 'synth', { delayMs: 10, write: (t) => void out.push(t) });
    p.phase('yosys ice40');
    p.fraction(1, 4);
    await sleep(120);
    p.done();
    expect(out.some((t) => /synth: yosys ice40 \[\d+\.\d s\] \[######\.{18}\] 25%, ETA \d+\.\d s/.test(t))).toBe(true);
    expect(out.at(-1)).toBe('\r\x1b[K');
  });

  test('eager: each phase is announced as it starts, even during synchronous work', () => {
    const lines: string[] = [];
    const p = startProgress({ out: () => undefined, err: (t) => void lines.push(t), isTty: false }, 'gen x', { eager: true });
    p.phase('build');
    const until = Date.now() + 30;
    while (Date.now() < until); // a synchronous phase: no timer can fire here
    p.phase('emit Verilog');
    p.done();
    expect(lines.map((l) => l.replace(/ \(at \d+\.\d s\)$/, ''))).toEqual(['gen x: build', 'gen x: emit Verilog']);
  });

  test('clock formats seconds, minutes and hours', () => {
    expect([clock(3.21), clock(245), clock(7800)]).toEqual(['3.2 s', '4m05s', '2h10m']);
  });
});
