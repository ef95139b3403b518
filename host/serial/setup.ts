/**
 * `kilohash serial setup` on the wire: the console commands of src/app/console-commands.ts sent
 * one at a time, each answered by the board's next reply line (log lines in between are passed
 * on, not mistaken for answers). A board that does not answer in time is an error naming the
 * port, never a hang.
 */
import type { Duplex } from 'node:stream';
import { parseConsoleLine } from '../../src/app/console-line.ts';
import { LineFramer } from '../../src/stratum/line-framer.ts';
import { MAX_CONSOLE_LINE_BYTES } from './monitor.ts';

export interface Exchange {
  command: string;
  reply: Record<string, unknown>;
}

export class ConsoleSession {
  private readonly replies: Array<Record<string, unknown>> = [];
  private waiter: (() => void) | null = null;
  private closed: string | null = null;

  constructor(private readonly stream: Duplex, private readonly portName: string, onOther?: (line: string) => void) {
    const framer = new LineFramer({
      onLine: (line) => {
        const l = parseConsoleLine(line);
        if (l.kind === 'reply') {
          this.replies.push(l.reply);
          this.waiter?.();
        } else onOther?.(line);
      },
      onOverflow: () => undefined,
    }, MAX_CONSOLE_LINE_BYTES);
    stream.on('data', (b: Buffer) => framer.push(b));
    const close = (why: string) => {
      this.closed ??= why;
      this.waiter?.();
    };
    stream.on('close', () => close('the port closed (the board reset or was unplugged)'));
    stream.on('error', (e: Error) => close(e.message));
  }

  /** Sends one command line and waits for its reply. */
  async send(command: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    if (/[\r\n]/.test(command)) throw new Error('a console command is one line: no line breaks in values');
    this.replies.length = 0;
    this.stream.write(`${command}\n`);
    const end = Date.now() + timeoutMs;
    while (this.replies.length === 0) {
      if (this.closed) throw new Error(`${this.portName}: ${this.closed}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`${this.portName}: no answer to '${command.split(' ').slice(0, 2).join(' ')}' within ${timeoutMs / 1000} s (is the board running kilohash firmware?)`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => { clearTimeout(t); resolve(); };
      });
      this.waiter = null;
    }
    return this.replies.shift()!;
  }
}
