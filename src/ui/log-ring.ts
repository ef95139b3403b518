/**
 * The last log lines, bounded by count and by bytes, for `GET /api/system/logs` and the
 * `/api/ws` log stream (AxeOS's Logs page). Listeners get each line as it is added; one that
 * throws is dropped rather than stopping the log.
 */
import type { Log, LogLevel } from '../platform/interfaces.ts';

export type LogListener = (line: string, level: LogLevel) => void;

export class LogRing {
  readonly #lines: string[] = [];
  #bytes = 0;
  readonly #listeners = new Set<LogListener>();

  constructor(private readonly now: () => number, readonly maxLines = 200, readonly maxBytes = 16_384, readonly maxLineBytes = 512) {}

  /** A Log that keeps each line here and then hands it to `next`. */
  tee(next?: Log): Log {
    return (level, text) => {
      this.add(level, text);
      next?.(level, text);
    };
  }

  add(level: LogLevel, text: string): void {
    let line = `${formatTime(this.now())} ${level.toUpperCase().padEnd(5)} ${text}`;
    if (line.length > this.maxLineBytes) line = `${line.slice(0, this.maxLineBytes - 1)}…`;
    this.#lines.push(line);
    this.#bytes += line.length + 1;
    while (this.#lines.length > this.maxLines || this.#bytes > this.maxBytes) this.#bytes -= this.#lines.shift()!.length + 1;
    for (const l of this.#listeners) {
      try {
        l(line, level);
      } catch {
        this.#listeners.delete(l);
      }
    }
  }

  text(): string {
    return this.#lines.length === 0 ? '' : `${this.#lines.join('\n')}\n`;
  }

  /** The kept lines with their levels (read back from the line: no second array), oldest first. */
  entries(): Array<{ line: string; level: LogLevel }> {
    return this.#lines.map((line) => ({ line, level: levelOf(line) }));
  }

  /** Returns the unsubscribe. */
  listen(l: LogListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** The level a line was written at (the word after its time). */
function levelOf(line: string): LogLevel {
  const word = line.slice(line.indexOf(' ') + 1, line.indexOf(' ') + 6).trim().toLowerCase();
  return LEVELS.find((l) => l === word) ?? 'info';
}

/** Milliseconds of run time as (h:)mm:ss.mmm: the board has no wall clock before NTP. */
function formatTime(ms: number): string {
  const t = Math.max(0, Math.floor(ms));
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor(t / 60_000) % 60;
  const s = Math.floor(t / 1000) % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${h > 0 ? `${h}:` : ''}${two(m)}:${two(s)}.${String(t % 1000).padStart(3, '0')}`;
}
