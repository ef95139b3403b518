/**
 * How the long-running commands (mine, demo) end: Ctrl-C, SIGTERM, an optional --duration, or
 * the command itself deciding to stop. `done` resolves once, whichever comes first; `dispose`
 * removes the signal handlers and the timer.
 */
export interface StopSignal {
  done: Promise<void>;
  stop(): void;
  dispose(): void;
}

export function runUntilStopped(durationSeconds?: number): StopSignal {
  let stop: () => void = () => {};
  const done = new Promise<void>((resolve) => { stop = resolve; });
  const timer = durationSeconds ? setTimeout(stop, durationSeconds * 1000) : undefined;
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    done,
    stop,
    dispose() {
      if (timer) clearTimeout(timer);
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    },
  };
}

/** One JSON output line: a timestamp, then the fields (an event's `type` becomes `event`). */
export function jsonLine(fields: Record<string, unknown>): string {
  const { type, ...rest } = fields;
  return JSON.stringify({ time: new Date().toISOString(), ...(type !== undefined ? { event: type } : {}), ...rest });
}
