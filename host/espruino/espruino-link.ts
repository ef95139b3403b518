/**
 * A CoreLink through an Espruino board running kh-bridge.js: each SPI frame crosses the
 * board's console as one hop message (hop.ts) and the board runs it on its SPI bus.
 *
 * Delivery on the hop is exactly once: a request that is lost or corrupted is sent again with
 * the same sequence number, and the bridge answers a repeated number from its copy of the
 * last reply instead of running the SPI transaction twice.
 */
import type { Duplex } from 'node:stream';
import { CoreLinkError, type CoreLink } from '../../src/core/link.ts';
import { HOP_STATUS, OP, decodeReply, encodeRequest, statusText, type HopReply } from './hop.ts';
import { closeConsolePort, openConsolePort, parseConsolePort, type ConsolePort } from '../serial/console-port.ts';

export interface BridgeSpi {
  sck?: string;
  mosi?: string;
  miso?: string;
  cs?: string;
  /** SPI clock in Hz. */
  baud?: number;
}

/** What the bridge says when it starts: its version and the bus it set up. */
export interface BridgeHello {
  bridge: string;
  board?: string;
  espruino?: string;
  console: string;
  spi: Record<string, unknown>;
}

export interface EspruinoLinkOptions {
  port: string | ConsolePort;
  spi?: BridgeSpi;
  /** One attempt's wait for a reply (default 1 s; a board answers in a few ms). */
  replyTimeoutMs?: number;
  /** Attempts per frame before the link gives up (default 5). */
  attempts?: number;
  /** Wait for the bridge's hello (default 4 s). */
  startTimeoutMs?: number;
}

/** Longest line kept while waiting for a newline; anything longer is noise. */
const MAX_LINE_CHARS = 4096;

export class EspruinoLink implements CoreLink {
  readonly port: ConsolePort;
  /** Frames carried (first attempts). */
  frames = 0;
  /** Attempts sent again after a lost, late or corrupted reply. */
  retries = 0;
  hello: BridgeHello | undefined;

  private stream: Duplex | undefined;
  private readonly opening: Promise<void>;
  private pending = '';
  /** Wakes the reader waiting for a line (or for the port to close). */
  private waiter: (() => void) | undefined;
  private readonly lines: string[] = [];
  private seq = 0;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** The port itself went away (unplugged, connection dropped). */
  private ended = false;
  private readonly replyTimeoutMs: number;
  private readonly attempts: number;

  constructor(private readonly o: EspruinoLinkOptions) {
    this.port = typeof o.port === 'string' ? parseConsolePort(o.port) : o.port;
    this.replyTimeoutMs = o.replyTimeoutMs ?? 1000;
    this.attempts = o.attempts ?? 5;
    this.opening = this.open();
    // A failed start is reported by the first transfer; keep Node from calling it unhandled.
    this.opening.catch(() => undefined);
  }

  /** Resolves once the bridge has said hello (or rejects with why it did not). */
  started(): Promise<BridgeHello> {
    return this.opening.then(() => this.hello!);
  }

  transfer(frame: Uint8Array): Promise<void> {
    const run = this.chain.then(() => this.exchange(frame));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.opening;
      await this.chain;
      // QUIT gives the console back to the REPL; a missing answer changes nothing.
      this.write(encodeRequest(OP.QUIT, this.nextSeq()));
      await this.readLine(500).catch(() => undefined);
    } catch {
      // never started: nothing to give back
    } finally {
      if (this.stream) await closeConsolePort(this.stream);
    }
  }

  private async open(): Promise<void> {
    this.stream = await openConsolePort(this.port);
    this.stream.on('data', (chunk: Buffer) => this.onData(chunk.toString('latin1')));
    this.stream.on('error', () => undefined);
    this.stream.on('close', () => { this.ended = true; this.wake(); });
    try {
      this.hello = await this.startBridge(this.o.startTimeoutMs ?? 4000);
    } catch (err) {
      await closeConsolePort(this.stream);
      throw err;
    }
  }

  private async startBridge(timeoutMs: number): Promise<BridgeHello> {
    const spi = JSON.stringify(this.o.spi ?? {});
    // \x10 at the start of a line tells the REPL not to echo it; the newline before it ends
    // whatever was typed before.
    const startLine = `\n\x10KH.start(${spi})\n`;
    this.write(startLine);
    const deadline = Date.now() + timeoutMs;
    const seen: string[] = [];
    let quitSent = false;
    for (;;) {
      const left = deadline - Date.now();
      const line = left > 0 ? await this.readLine(left).catch(() => undefined) : undefined;
      if (line === undefined) throw new CoreLinkError(this.noHello(seen));
      const text = line.replace(/\r$/, '');
      // The REPL may put its prompt (and a terminal escape) in front of the bridge's line.
      const said = /(?:^|[>\s])KH(!?) (\{.*\})$/.exec(text);
      if (said && said[1] === '') return parseHello(said[2]!, this.port.text);
      if (said) throw new CoreLinkError(`the bridge on ${this.port.text} refused the set-up: ${bridgeError(said[2]!)}`);
      if (/KH is not defined/.test(text)) {
        throw new CoreLinkError(`${this.port.text} runs Espruino but not the kilohash bridge: run \`kilohash espruino upload --port ${this.port.text}\``);
      }
      // A bridge still running from an earlier session reads our REPL line as a bad hop
      // message: stop it, and start again.
      if (!quitSent && decodeReply(text)?.op === OP.BAD) {
        quitSent = true;
        this.write(encodeRequest(OP.QUIT, 0));
        await this.readLine(500).catch(() => undefined);
        this.write(startLine);
        continue;
      }
      if (text.trim() !== '' && seen.length < 8) seen.push(text);
    }
  }

  private noHello(seen: string[]): string {
    const said = seen.join(' ').replace(/[^\x20-\x7e]/g, '').trim();
    if (said === '' || /^>+$/.test(said)) return `no answer from the kilohash bridge on ${this.port.text}: is an Espruino board on it, with the bridge uploaded (\`kilohash espruino upload\`)?`;
    return `${this.port.text} answered, but not as the kilohash bridge: "${said.slice(0, 120)}"`;
  }

  private async exchange(frame: Uint8Array): Promise<void> {
    await this.opening;
    if (this.ended) throw new CoreLinkError(`${this.port.text} is closed (board unplugged or connection dropped)`);
    const seq = this.nextSeq();
    const line = encodeRequest(OP.XFER, seq, frame);
    this.frames++;
    let last = 'no reply';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) this.retries++;
      this.lines.length = 0;
      this.write(line);
      const reply = await this.awaitReply(seq);
      if (reply === undefined) {
        last = this.ended ? 'the port closed' : `no reply within ${this.replyTimeoutMs} ms`;
        if (this.ended) break;
        continue;
      }
      if (reply.op === OP.BAD) { last = statusText(reply.status); continue; }
      if (reply.status !== HOP_STATUS.OK) {
        const detail = reply.data.length > 0 ? `: ${Buffer.from(reply.data).toString('latin1')}` : '';
        throw new CoreLinkError(`${this.port.text}: ${statusText(reply.status)}${detail}`);
      }
      if (reply.data.length !== frame.length) {
        throw new CoreLinkError(`${this.port.text}: the bridge returned ${reply.data.length} bytes for a ${frame.length}-byte frame`);
      }
      frame.set(reply.data);
      return;
    }
    throw new CoreLinkError(`${this.port.text}: a frame failed ${this.attempts} times over the serial hop (${last})`);
  }

  /** The reply to `seq`, skipping stale replies to earlier attempts; undefined on timeout. */
  private async awaitReply(seq: number): Promise<HopReply | undefined> {
    const deadline = Date.now() + this.replyTimeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      const line = await this.readLine(left).catch(() => undefined);
      if (line === undefined) return undefined;
      const r = decodeReply(line);
      if (r === undefined) continue;
      if (r.op === OP.BAD || (r.op === (OP.XFER | 0x80) && r.seq === seq)) return r;
    }
  }

  private nextSeq(): number {
    this.seq = (this.seq + 1) & 0xff;
    return this.seq;
  }

  private write(text: string): void {
    this.stream?.write(text, 'latin1');
  }

  private onData(text: string): void {
    this.pending += text;
    let i: number;
    while ((i = this.pending.indexOf('\n')) >= 0) {
      this.lines.push(this.pending.slice(0, i));
      this.pending = this.pending.slice(i + 1);
    }
    if (this.pending.length > MAX_LINE_CHARS) this.pending = '';
    if (this.lines.length > 64) this.lines.splice(0, this.lines.length - 64);
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private async readLine(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (this.ended) throw new Error('closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timeout');
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => { this.waiter = undefined; resolve(); }, left);
        this.waiter = () => { clearTimeout(t); resolve(); };
      });
    }
  }
}

function parseHello(json: string, port: string): BridgeHello {
  try {
    const h = JSON.parse(json) as BridgeHello;
    if (typeof h.bridge === 'string') return h;
  } catch {
    // fall through
  }
  throw new CoreLinkError(`${port}: the bridge's hello was unreadable: ${json.slice(0, 120)}`);
}

function bridgeError(json: string): string {
  try {
    const e = JSON.parse(json) as { error?: unknown };
    if (typeof e.error === 'string') return e.error;
  } catch {
    // fall through
  }
  return json.slice(0, 120);
}
