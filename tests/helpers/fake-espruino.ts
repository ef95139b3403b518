/**
 * A Node stand-in for the parts of Espruino's API that kh-bridge.js uses (E.CRC32, atob, Pin,
 * a console device, SPI1), behind a loopback TCP port, so the bridge's protocol logic runs on
 * every CI machine. It is not the proof that the bridge runs on Espruino: that is
 * tests/espruino/bridge-linux.test.ts on the real interpreter, when ESPRUINO is set.
 *
 * The console behaves like a USB console: a new connection does not take the console back
 * from a running bridge (Espruino's Telnet does; USB does only on re-enumeration).
 */
import net from 'node:net';
import { crc32 } from 'node:zlib';
import vm from 'node:vm';
import { bridgeProgram } from '../../host/espruino/upload.ts';
import type { BridgeSpi } from '../../host/espruino/espruino-link.ts';

export interface FakeEspruinoOptions {
  /** Load the bridge at boot (as after `kilohash espruino upload`). */
  bridge?: boolean;
  spi?: BridgeSpi;
  /** The SPI bus: one frame in, the reply bytes out (same length). */
  transfer(frame: Uint8Array): Uint8Array;
  /** Probability that a line crossing the hop (either way) gets one character changed. */
  corruptLines?: number;
  /** Deterministic corruption. */
  seed?: number;
  pins?: string[];
}

class FakePin {
  constructor(readonly name: string) {}
  write(): void {}
}

type Listener = (data: string) => void;

export class FakeEspruino {
  readonly port: string;
  corrupted = 0;
  spiFrames = 0;
  private socket: net.Socket | undefined;
  private consoleIsRepl = true;
  private listeners: Listener[] = [];
  private replBuf = '';
  private readonly context: vm.Context;
  private rand: number;

  private constructor(private readonly server: net.Server, private readonly o: FakeEspruinoOptions) {
    this.port = `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    this.rand = o.seed ?? 1;
    const device = {
      on: (ev: string, fn: Listener) => { if (ev === 'data') this.listeners.push(fn); },
      removeAllListeners: () => { this.listeners = []; },
      write: (s: string) => this.send(s),
      setConsole: () => { this.consoleIsRepl = true; },
    };
    const pins: Record<string, FakePin> = {};
    for (const p of o.pins ?? ['B3', 'B4', 'B5', 'B6']) pins[p] = new FakePin(p);
    const ctx: Record<string, unknown> = {
      ...pins,
      Pin: FakePin,
      USB: device,
      LoopbackA: { setConsole: () => { this.consoleIsRepl = false; } },
      SPI1: {
        setup: () => undefined,
        send: (bytes: Uint8Array) => { this.spiFrames++; return o.transfer(new Uint8Array(bytes)); },
      },
      E: {
        getConsole: () => 'USB',
        CRC32: (u: Uint8Array) => crc32(u),
        toUint8Array: (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff),
        toString: (u: Uint8Array) => String.fromCharCode(...u),
      },
      atob, btoa, JSON, Uint8Array, Error, String,
      process: { env: { BOARD: 'FAKE' }, version: '0v00' },
    };
    ctx.global = ctx;
    this.context = vm.createContext(ctx);
    if (o.bridge !== false) vm.runInContext(bridgeProgram(o.spi ?? { sck: 'B3', miso: 'B4', mosi: 'B5', cs: 'B6' }), this.context);
  }

  static async start(o: FakeEspruinoOptions): Promise<FakeEspruino> {
    let board: FakeEspruino | undefined;
    const server = net.createServer((s) => board!.attach(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    board = new FakeEspruino(server, o);
    return board;
  }

  /** Whether the bridge holds the console (as after KH.start, until QUIT). */
  get bridged(): boolean {
    return !this.consoleIsRepl;
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private attach(s: net.Socket): void {
    this.socket?.destroy();
    this.socket = s;
    let pending = '';
    s.on('data', (d: Buffer) => {
      pending += d.toString('latin1');
      let i: number;
      while ((i = pending.indexOf('\n')) >= 0) {
        const line = this.maybeCorrupt(pending.slice(0, i));
        pending = pending.slice(i + 1);
        this.receive(`${line}\n`);
      }
    });
    s.on('error', () => undefined);
  }

  private receive(text: string): void {
    if (!this.consoleIsRepl) {
      for (const l of [...this.listeners]) l(text);
      return;
    }
    this.replBuf += text;
    let i: number;
    while ((i = this.replBuf.indexOf('\n')) >= 0) {
      const line = this.replBuf.slice(0, i).replace(/^\x10/, '');
      this.replBuf = this.replBuf.slice(i + 1);
      if (line.trim() === '') continue;
      try {
        vm.runInContext(line, this.context);
      } catch (err) {
        this.send(`Uncaught ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\r\n>`);
      }
    }
  }

  private send(text: string): void {
    const out = text.split('\n').map((l, i, all) => (i < all.length - 1 ? this.maybeCorrupt(l) : l)).join('\n');
    this.socket?.write(out, 'latin1');
  }

  private maybeCorrupt(line: string): string {
    const p = this.o.corruptLines ?? 0;
    if (p === 0 || line.length === 0 || this.consoleIsRepl) return line;
    this.rand = (Math.imul(this.rand, 1103515245) + 12345) >>> 0;
    if (this.rand / 2 ** 32 >= p) return line;
    this.corrupted++;
    const at = this.rand % line.length;
    const c = line.charCodeAt(at);
    return line.slice(0, at) + String.fromCharCode(c === 0x41 ? 0x42 : 0x41) + line.slice(at + 1);
  }
}
