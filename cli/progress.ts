/**
 * Progress for runs longer than a couple of seconds. On a TTY: one redrawn line with the phase,
 * elapsed time and, when the phase reports its fraction, a bar with the estimated time left
 * (else the time left of the run's up-front estimate, when there is one). Not on a TTY (CI
 * logs): one line per phase that is still running after 2 s, nothing for quick phases (with
 * `eager`, every phase as it starts).
 */
import type { CliIo } from './io.ts';

export interface Progress {
  phase(name: string): void;
  /** The current phase is `done` of `total` through (drives the bar and its ETA). */
  fraction(done: number, total: number): void;
  done(): void;
}

export interface ProgressOptions {
  /** The run's estimated duration in seconds (sim/budget.ts), for a time-left hint. */
  readonly estimateSeconds?: number;
  /** TTY output (default: stderr). */
  readonly write?: (t: string) => void;
  /** Quiet period before anything is shown (default 2000 ms). */
  readonly delayMs?: number;
  /**
   * Show each phase as it starts (not on a TTY: one line, with the time since the start; on a
   * TTY: the line drawn at once). For runs estimated to be long whose phases are synchronous
   * work (building and emitting a large array), during which the timer cannot fire.
   */
  readonly eager?: boolean;
}

const BAR = 24;

export function startProgress(io: CliIo, label: string, options: ProgressOptions = {}): Progress {
  const write = options.write ?? ((t: string) => void process.stderr.write(t));
  const delayMs = options.delayMs ?? 2000;
  const started = Date.now();
  let current = 'starting';
  let phaseStarted = started;
  let frac: number | undefined;
  let shown = false;
  let announced = '';
  const render = () => {
    const now = Date.now();
    const secs = (now - started) / 1000;
    let tail = '';
    if (frac !== undefined && frac > 0) {
      const fill = Math.round(Math.min(frac, 1) * BAR);
      const left = ((now - phaseStarted) / 1000) * (1 / frac - 1);
      tail = ` [${'#'.repeat(fill)}${'.'.repeat(BAR - fill)}] ${Math.floor(frac * 100)}%, ETA ${clock(left)}`;
    } else if (options.estimateSeconds !== undefined && options.estimateSeconds > secs) {
      tail = ` (about ${clock(options.estimateSeconds - secs)} left)`;
    }
    write(`\r\x1b[K${label}: ${current} [${clock(secs)}]${tail}`);
    shown = true;
  };
  const tick = () => {
    const now = Date.now();
    if (io.isTty) {
      if (now - started > delayMs) render();
    } else if (now - phaseStarted > delayMs && announced !== current) {
      announced = current;
      io.err(`${label}: ${current} (at ${clock((phaseStarted - started) / 1000)})`);
    }
  };
  const timer = setInterval(tick, Math.min(250, delayMs));
  timer.unref();
  return {
    phase: (name) => {
      current = name;
      phaseStarted = Date.now();
      frac = undefined;
      if (!options.eager) return;
      if (io.isTty) render();
      else {
        announced = current;
        io.err(`${label}: ${current} (at ${clock((phaseStarted - started) / 1000)})`);
      }
    },
    fraction: (done, total) => { frac = total > 0 ? done / total : undefined; },
    done: () => {
      clearInterval(timer);
      if (shown) write('\r\x1b[K');
      shown = false;
    },
  };
}

/** 12.3 s, 4m05s, 2h10m. */
export function clock(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
