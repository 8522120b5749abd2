/**
 * A one-line progress display on a TTY for runs longer than a couple of seconds: the current
 * phase and elapsed time. Silent when stderr is not a terminal (CI logs stay clean).
 */
import type { CliIo } from './io.ts';

export interface Progress {
  phase(name: string): void;
  done(): void;
}

export function startProgress(io: CliIo, label: string, write: (t: string) => void = (t) => void process.stderr.write(t)): Progress {
  if (!io.isTty) return { phase: () => undefined, done: () => undefined };
  const started = Date.now();
  let current = 'starting';
  let shown = false;
  const render = () => {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    write(`\r\x1b[K${label}: ${current} [${secs} s]`);
    shown = true;
  };
  // Only start drawing after 2 s, so quick runs print nothing extra.
  const timer = setInterval(() => { if (Date.now() - started > 2000) render(); }, 250);
  timer.unref();
  return {
    phase: (name) => { current = name; },
    done: () => { clearInterval(timer); if (shown) write('\r\x1b[K'); },
  };
}
