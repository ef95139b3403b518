/**
 * Follows a board's console on a serial port through resets and unplugging: a board that
 * resets or is pulled out takes its port away (a USB-Serial/JTAG port vanishes with the chip's
 * USB); the follower reports the port gone, tries it again every `retryMs`, and carries on when
 * it is back. Lines are bounded (a board printing garbage cannot grow the buffer) and parsed as
 * the firmware writes them (src/app/console-line.ts).
 */
import type { Duplex } from 'node:stream';
import { parseConsoleLine, type ConsoleLine } from '../../src/app/console-line.ts';
import { LineFramer } from '../../src/stratum/line-framer.ts';
import { closeConsolePort, openConsolePort, type ConsolePort } from './console-port.ts';

export type MonitorEvent =
  | { type: 'open'; port: string; again: boolean }
  | { type: 'gone'; port: string; why: string }
  | { type: 'line'; line: ConsoleLine }
  | { type: 'overflow'; bytes: number };

export interface FollowOptions {
  port: ConsolePort;
  onEvent(e: MonitorEvent): void;
  /** How often a missing port is tried again (ms). */
  retryMs?: number;
  /** The first open fails the follow instead of waiting for the port (a typo stays a typo). */
  failFirst?: boolean;
}

export const MAX_CONSOLE_LINE_BYTES = 8192;

export interface Follower {
  /** Resolves when the first open succeeded; rejects if it failed with failFirst. */
  opened: Promise<void>;
  stop(): Promise<void>;
}

export function followPort(o: FollowOptions): Follower {
  const retryMs = o.retryMs ?? 500;
  let stream: Duplex | null = null;
  let stopped = false;
  let everOpen = false;
  let retry: NodeJS.Timeout | null = null;
  let firstDone: (e?: Error) => void = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    firstDone = (e) => (e ? reject(e) : resolve());
  });

  const attach = (s: Duplex) => {
    stream = s;
    const framer = new LineFramer({
      onLine: (line) => o.onEvent({ type: 'line', line: parseConsoleLine(line) }),
      onOverflow: (bytes) => o.onEvent({ type: 'overflow', bytes }),
    }, MAX_CONSOLE_LINE_BYTES);
    let lost = false;
    const lose = (why: string) => {
      if (lost) return;
      lost = true;
      stream = null;
      void closeConsolePort(s);
      if (stopped) return;
      o.onEvent({ type: 'gone', port: o.port.text, why });
      retry = setTimeout(tryOpen, retryMs);
    };
    s.on('data', (b: Buffer) => framer.push(b));
    s.on('error', (e: Error) => lose(e.message));
    s.on('close', () => lose('closed (the board reset or was unplugged)'));
    s.on('end', () => lose('closed (the board reset or was unplugged)'));
  };

  const tryOpen = () => {
    retry = null;
    if (stopped) return;
    openConsolePort(o.port, 3000).then(
      (s) => {
        if (stopped) { void closeConsolePort(s); return; }
        o.onEvent({ type: 'open', port: o.port.text, again: everOpen });
        everOpen = true;
        firstDone();
        attach(s);
      },
      (e: Error) => {
        if (!everOpen && o.failFirst) { firstDone(e); return; }
        if (!stopped) retry = setTimeout(tryOpen, retryMs);
      },
    );
  };
  tryOpen();

  return {
    opened,
    stop: async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      const s = stream as Duplex | null;
      stream = null;
      if (s) await closeConsolePort(s);
    },
  };
}
