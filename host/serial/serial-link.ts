/**
 * A CoreLink over a serial line to the UART core (docs/core-protocol.md §9): an FPGA board on
 * USB serial (iCEBreaker), or the virtual board on a pseudo-terminal. Each frame goes out
 * SLIP-framed and comes back as the same number of bytes and an END.
 *
 * A reply that is late, damaged or of the wrong length is handed to the driver as all 0xff,
 * which fails its CRC, so the driver's own retries (register-port.ts) decide what to send
 * again; the link then waits for the line to go quiet, so a late reply is never taken for the
 * next frame's. Only a line that keeps failing is an error, and the error says why.
 */
import type { Duplex } from 'node:stream';
import { CoreLinkError, type CoreLink } from '../../src/core/link.ts';
import { UART_DEFAULT_BAUD } from '../../src/core/protocol.ts';
import { encodeUartFrame, UartFrameDecoder, type UartFrame } from '../../src/core/uart-framing.ts';
import { openConsolePort, parseConsolePort, type ConsolePort } from './console-port.ts';

export interface SerialLinkOptions {
  /** A serial path with an optional `@baud` (default 3000000), or tcp://host:port. */
  port: string | ConsolePort;
  /** One frame's wait for its reply (default 1 s; a board answers within a millisecond or so). */
  replyTimeoutMs?: number;
  /** Frames in a row without a good reply before the link gives up (default 8). */
  maxFailures?: number;
}

/** Replies kept while nobody waits for one: only the newest matter. */
const MAX_QUEUED_REPLIES = 8;
/** The line counts as quiet after this long without a byte. */
const QUIET_MS = 30;

export class SerialCoreLink implements CoreLink {
  readonly port: ConsolePort;
  /** Frames carried. */
  frames = 0;
  /** Replies that were late, damaged or the wrong length. */
  badReplies = 0;

  private stream: Duplex | undefined;
  private readonly opening: Promise<void>;
  private readonly decoder = new UartFrameDecoder();
  private readonly replies: UartFrame[] = [];
  private waiter: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();
  private ended = false;
  private closed = false;
  /** After a failed reply: wait for quiet before the next frame. */
  private resync = true;
  private failuresInRow = 0;
  private bytesSinceGood = 0;
  private lastByteAt = 0;
  private readonly replyTimeoutMs: number;
  private readonly maxFailures: number;

  constructor(o: SerialLinkOptions) {
    this.port = typeof o.port === 'string' ? parseConsolePort(o.port, UART_DEFAULT_BAUD) : o.port;
    this.replyTimeoutMs = o.replyTimeoutMs ?? 1000;
    this.maxFailures = o.maxFailures ?? 8;
    this.opening = this.open();
    this.opening.catch(() => undefined);
  }

  transfer(frame: Uint8Array): Promise<void> {
    const run = this.chain.then(() => this.exchange(frame));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opening.catch(() => undefined);
    await this.chain;
    this.stream?.destroy();
  }

  private async open(): Promise<void> {
    const stream = await openConsolePort(this.port);
    this.stream = stream;
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', () => undefined);
    stream.on('close', () => { this.ended = true; this.wake(); });
  }

  private async exchange(frame: Uint8Array): Promise<void> {
    await this.opening;
    if (this.ended) throw new CoreLinkError(`${this.port.text} is closed (board unplugged or connection dropped)`);
    if (this.resync) await this.settle();
    this.frames++;
    this.stream!.write(encodeUartFrame(frame));
    const reply = await this.awaitReply(frame.length);
    if (reply !== undefined) {
      frame.set(reply);
      this.failuresInRow = 0;
      this.bytesSinceGood = 0;
      return;
    }
    if (this.ended) throw new CoreLinkError(`${this.port.text} closed in the middle of a frame (board unplugged or connection dropped)`);
    this.badReplies++;
    this.resync = true;
    frame.fill(0xff);
    if (++this.failuresInRow >= this.maxFailures) throw new CoreLinkError(this.giveUp());
  }

  /** The next whole reply of `length` bytes; undefined after a timeout or a bad one. */
  private async awaitReply(length: number): Promise<Uint8Array | undefined> {
    const deadline = Date.now() + this.replyTimeoutMs;
    for (;;) {
      const r = this.replies.shift();
      if (r !== undefined) return !r.damaged && r.bytes.length === length ? r.bytes : undefined;
      if (this.ended) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await this.sleep(left);
    }
  }

  /** Waits until no byte has arrived for QUIET_MS (at most a reply timeout), then forgets all. */
  private async settle(): Promise<void> {
    const deadline = Date.now() + this.replyTimeoutMs;
    while (!this.ended && Date.now() < deadline) {
      const quietFor = Date.now() - this.lastByteAt;
      if (quietFor >= QUIET_MS) break;
      await new Promise((r) => setTimeout(r, QUIET_MS - quietFor));
    }
    this.replies.length = 0;
    this.decoder.reset();
    this.resync = false;
  }

  private giveUp(): string {
    const at = this.port.kind === 'serial' ? ` at ${this.port.baud} baud` : '';
    if (this.bytesSinceGood === 0) {
      return `no answer from ${this.port.text}${at}: is the board configured with the kilohash UART core (kilohash synth --board icebreaker), and on this port?`;
    }
    return `${this.port.text} answers${at}, but not as the kilohash UART core (${this.bytesSinceGood} bytes, no good reply in ${this.maxFailures} frames): is the bitstream built for this baud rate (kilohash synth --baud)?`;
  }

  private onData(chunk: Buffer): void {
    this.lastByteAt = Date.now();
    this.bytesSinceGood += chunk.length;
    this.decoder.push(chunk, (f) => {
      this.replies.push(f);
      if (this.replies.length > MAX_QUEUED_REPLIES) this.replies.shift();
    });
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(() => { this.waiter = undefined; resolve(); }, ms);
      this.waiter = () => { clearTimeout(t); resolve(); };
    });
  }
}
