/**
 * The firmware's serial console, one line per log entry: `kilohash <level>: <text>`. Written
 * by the device (boot.ts), read back by `kilohash serial monitor`, from this one definition.
 * A status line is an info entry whose text is `status ` and the status object as JSON.
 */
import type { LogLevel } from '../platform/interfaces.ts';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
export const STATUS_TEXT_PREFIX = 'status ';

export function consoleLine(level: LogLevel, text: string): string {
  return `kilohash ${level}: ${text}\n`;
}

export function statusText(status: object): string {
  return STATUS_TEXT_PREFIX + JSON.stringify(status);
}

/** The answer to a console command (console-commands.ts), as one line. */
export function replyLine(reply: object): string {
  return `kilohash reply: ${JSON.stringify(reply)}\n`;
}

export type ConsoleLine =
  | { kind: 'reply'; reply: Record<string, unknown> }
  | { kind: 'status'; status: Record<string, unknown> }
  | { kind: 'log'; level: LogLevel; text: string }
  /** Anything else the port carried: the ROM's boot messages, a crash dump. */
  | { kind: 'other'; text: string };

/** One line as read (without its end of line). */
export function parseConsoleLine(line: string): ConsoleLine {
  const m = /^kilohash (\w+): (.*)$/.exec(line.replace(/\r$/, ''));
  if (m?.[1] === 'reply') {
    try {
      const reply: unknown = JSON.parse(m[2]!);
      if (reply !== null && typeof reply === 'object' && !Array.isArray(reply)) return { kind: 'reply', reply: reply as Record<string, unknown> };
    } catch {
      // not a whole reply: shown as it came
    }
  }
  const level = LEVELS.find((l) => l === m?.[1]);
  if (!m || !level) return { kind: 'other', text: line.replace(/\r$/, '') };
  const text = m[2]!;
  if (level === 'info' && text.startsWith(STATUS_TEXT_PREFIX)) {
    try {
      const status: unknown = JSON.parse(text.slice(STATUS_TEXT_PREFIX.length));
      if (status !== null && typeof status === 'object' && !Array.isArray(status)) return { kind: 'status', status: status as Record<string, unknown> };
    } catch {
      // a cut-off status line: shown as the log line it is
    }
  }
  return { kind: 'log', level, text };
}
