/**
 * A CoreLink over a serial line to the UART core (docs/core-protocol.md §9): an FPGA board on
 * USB serial (iCEBreaker), or the virtual board on a pseudo-terminal. Each frame goes out
 * SLIP-framed; the core answers each of its bytes with one byte.
 *
 * The core only ever speaks when spoken to, so whatever is waiting before a frame is sent is
 * stale and is dropped. A reply that is short or late is handed to the driver as all 0xff,
 * which fails its CRC, so the driver's own retries (register-port.ts) decide what to send
 * again; the link then waits for the line to go quiet, so the rest of a late reply is never
 * taken for the next frame's. Only a line that keeps failing is an error, and it says why.
 */
import type { Duplex } from 'node:stream';
import { CoreLinkError, type CoreLink } from '../../src/core/link.ts';
import { buildRead, parseRead } from '../../src/core/frames.ts';
import { frameBytes, MAGIC, REG, UART_DEFAULT_BAUD } from '../../src/core/protocol.ts';
import { encodeUartFrame, spiReply } from '../../src/core/uart-framing.ts';
import { closeConsolePort, openConsolePort, parseConsolePort, type ConsolePort } from './console-port.ts';

export interface SerialLinkOptions {
  /** A serial path with an optional `@baud` (default 3000000), or tcp://host:port. */
  port: string | ConsolePort;
  /** One frame's wait for its reply (default 1 s; a board answers within a millisecond or so). */
  replyTimeoutMs?: number;
  /** Frames in a row without a good reply before the link gives up (default 8). */
  maxFailures?: number;
}

/** Most bytes kept from the line: more than the longest reply, so noise cannot grow memory. */
const MAX_PENDING_BYTES = 1024;
/** The line counts as quiet after this long without a byte. */
const QUIET_MS = 30;
/** Reads of MAGIC the link tries when it opens before it says what the line does instead. */
const HANDSHAKE_ATTEMPTS = 3;

export class SerialCoreLink implements CoreLink {
  readonly port: ConsolePort;
  /** The port as messages name it: a path, or tcp://host:port. */
  private readonly name: string;
  /** Frames carried. */
  frames = 0;
  /** Replies that were short or late. */
  badReplies = 0;

  private stream: Duplex | undefined;
  private readonly opening: Promise<void>;
  private readonly pending = new Uint8Array(MAX_PENDING_BYTES);
  private pendingBytes = 0;
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
    this.name = this.port.kind === 'serial' ? this.port.path : this.port.text;
    this.replyTimeoutMs = o.replyTimeoutMs ?? 1000;
    this.maxFailures = o.maxFailures ?? 8;
    this.opening = this.open();
    this.opening.catch(() => undefined);
  }

  transfer(frame: Uint8Array): Promise<void> {
    const run = this.chain.then(() => this.transferFrame(frame));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opening.catch(() => undefined);
    await this.chain;
    if (this.stream) await closeConsolePort(this.stream);
  }

  /**
   * Opens the port and reads MAGIC until it comes back whole, so a port with something else
   * on it (or a board at another baud rate) is named as such here, not as CRC failures later.
   */
  private async open(): Promise<void> {
    const stream = await openConsolePort(this.port);
    this.stream = stream;
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', () => undefined);
    stream.on('close', () => { this.ended = true; this.wake(); });
    const frame = new Uint8Array(frameBytes(1));
    const word = new Uint32Array(1);
    for (let attempt = 1; attempt <= HANDSHAKE_ATTEMPTS; attempt++) {
      buildRead(frame, REG.MAGIC, 1);
      if (await this.exchange(frame) && parseRead(frame, 1, word) && word[0] === MAGIC) {
        this.bytesSinceGood = 0;
        return;
      }
      this.resync = true;
    }
    await closeConsolePort(stream);
    throw new CoreLinkError(this.giveUp(HANDSHAKE_ATTEMPTS));
  }

  private async transferFrame(frame: Uint8Array): Promise<void> {
    await this.opening;
    if (await this.exchange(frame)) {
      this.failuresInRow = 0;
      this.bytesSinceGood = 0;
      return;
    }
    frame.fill(0xff);
    if (++this.failuresInRow >= this.maxFailures) throw new CoreLinkError(this.giveUp(this.maxFailures));
  }

  /** One frame out, its answer in (as an SPI reply, in place); false when it did not all come. */
  private async exchange(frame: Uint8Array): Promise<boolean> {
    if (this.ended) throw new CoreLinkError(`${this.name} is closed (board unplugged or connection dropped)`);
    if (this.resync) await this.settle();
    this.pendingBytes = 0;
    this.frames++;
    this.stream!.write(encodeUartFrame(frame));
    const answer = await this.awaitAnswer(frame.length);
    if (answer !== undefined) {
      spiReply(answer, frame);
      return true;
    }
    if (this.ended) throw new CoreLinkError(`${this.name} closed in the middle of a frame (board unplugged or connection dropped)`);
    this.badReplies++;
    this.resync = true;
    return false;
  }

  /** The first `length` bytes the core sends back; undefined if they do not all come in time. */
  private async awaitAnswer(length: number): Promise<Uint8Array | undefined> {
    const deadline = Date.now() + this.replyTimeoutMs;
    for (;;) {
      if (this.pendingBytes >= length) return this.pending.slice(0, length);
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
    this.pendingBytes = 0;
    this.resync = false;
  }

  private giveUp(frames: number): string {
    const at = this.port.kind === 'serial' ? ` at ${this.port.baud} baud` : '';
    if (this.bytesSinceGood === 0) {
      return `no answer from ${this.name}${at}: is the board configured with the kilohash UART core (kilohash synth --board icebreaker), and on this port?`;
    }
    return `${this.name} answers${at}, but not as the kilohash UART core (${this.bytesSinceGood} bytes, no good reply to ${frames} frames): is the bitstream built for this baud rate (kilohash synth --baud)?`;
  }

  private onData(chunk: Buffer): void {
    this.lastByteAt = Date.now();
    this.bytesSinceGood += chunk.length;
    const n = Math.min(chunk.length, MAX_PENDING_BYTES - this.pendingBytes);
    this.pending.set(chunk.subarray(0, n), this.pendingBytes);
    this.pendingBytes += n;
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
