/**
 * AxeOS's two WebSockets on the device, handed over by the HTTP server on port 80 (its
 * `detach`) to Moddable's `websocket` Server (`attach`): `/api/ws/live` gets the info object
 * and then, once a second, what changed (src/ui/axeos/live.ts); `/api/ws` gets the recent log
 * lines and then each new one. At most MAX_CLIENTS at once (a socket costs the ESP32 RAM); one
 * more is closed at once.
 */
import { Server as WebSocketServer } from 'websocket';
import type { AxeosHost } from '../../ui/api.ts';
import { LiveFeed, logSocketLine } from '../../ui/axeos/live.ts';
import type { Clock } from '../interfaces.ts';
import { Outbox } from './ws-outbox.ts';

const MAX_CLIENTS = 4;

/** A socket as the HTTP server's `detach` gives it (Moddable's `socket` module). */
export interface DetachedSocket {
  close(): void;
  /** Bytes still unread in the data being delivered. */
  read(): number;
  /** Set by the websocket module's attach: 2 = data received, with the byte count. */
  callback?: (message: number, value: number) => void;
}

/** What the SDK calls back with as `this`: one connection (a websocket `Client`). */
interface Connection {
  /** The TCP socket: `write()` with no argument tells the room, with bytes sends them. */
  socket?: { write(...data: unknown[]): number | undefined };
  close(): void;
}

export const LIVE_PATH = '/api/ws/live';
export const LOG_PATH = '/api/ws';

export class AxeosSockets {
  private readonly live = new Set<Connection>();
  private readonly logs = new Set<Connection>();
  // `port: null`: listen nowhere, take sockets by attach (the typings want a number).
  private readonly liveServer = new WebSocketServer({ port: null } as unknown as ConstructorParameters<typeof WebSocketServer>[0]);
  private readonly logServer = new WebSocketServer({ port: null } as unknown as ConstructorParameters<typeof WebSocketServer>[0]);
  private readonly feed: LiveFeed;
  private readonly outboxes = new Map<Connection, Outbox>();
  private timer: unknown = null;

  constructor(private readonly clock: Clock, info: () => object, private readonly axeos: AxeosHost) {
    this.feed = new LiveFeed(info);
    this.liveServer.callback = this.callbacks(this.live, (c) => this.send(c, this.feed.full(), this.live));
    this.logServer.callback = this.callbacks(this.logs, (c) => {
      for (const e of axeos.recentLogs()) this.send(c, logSocketLine(e.line, e.level), this.logs);
    });
    axeos.listenLogs((line, level) => {
      const text = logSocketLine(line, level);
      for (const c of this.logs) this.send(c, text, this.logs);
    });
  }

  /** Whether `path` is one of ours. */
  static handles(path: string): boolean {
    return path === LIVE_PATH || path === LOG_PATH;
  }

  /**
   * Takes over a socket the HTTP server detached after reading the request line for `path`.
   * The websocket module reads the rest of the handshake on a timer, but the desktop runtime
   * (lin's socket) drops bytes a data callback leaves unread, so they are handed to it now,
   * while the HTTP server's callback still holds them; on the ESP32 (lwIP) both ways work.
   */
  attach(path: string, socket: DetachedSocket): void {
    if (this.live.size + this.logs.size >= MAX_CLIENTS) {
      socket.close();
      return;
    }
    (path === LIVE_PATH ? this.liveServer : this.logServer).attach(socket);
    const waiting = socket.read();
    if (waiting > 0) socket.callback?.(2, waiting);
  }

  private callbacks(set: Set<Connection>, greet: (c: Connection) => void) {
    const sockets = this;
    return function (this: Connection, message: number): void {
      if (message === WebSocketServer.handshake) {
        set.add(this);
        greet(this);
        sockets.schedule();
      } else if (message === WebSocketServer.disconnect) {
        set.delete(this);
        sockets.outboxes.delete(this);
      }
    };
  }

  /** Queues `text` for `c` (written as its socket has room); a client far behind is closed. */
  private send(c: Connection, text: string, set: Set<Connection>): void {
    let box = this.outboxes.get(c);
    const socket = c.socket;
    if (box === undefined && socket !== undefined) {
      box = new Outbox({ room: () => Number(socket.write()), write: (bytes) => void socket.write(bytes) });
      this.outboxes.set(c, box);
    }
    let ok = false;
    try {
      ok = box?.send(new Uint8Array(ArrayBuffer.fromString(text))) ?? false;
    } catch {
      ok = false; // the socket failed under us
    }
    if (!ok) this.drop(c, set);
    else if (box!.pending > 0) this.schedule();
  }

  private drop(c: Connection, set: Set<Connection>): void {
    set.delete(c);
    this.outboxes.delete(c);
    // Closed on a fresh stack: the websocket module may still be using the socket in this turn.
    this.clock.setTimeout(() => {
      try {
        c.close();
      } catch {
        // already gone
      }
    }, 0);
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = this.clock.setTimeout(this.tick, 1000);
  }

  /** Once a second: the live changes, and what the sockets could not take before. */
  private tick = (): void => {
    this.timer = null;
    for (const [c, box] of this.outboxes) {
      try {
        box.drain();
      } catch {
        this.drop(c, this.live.has(c) ? this.live : this.logs);
      }
    }
    if (this.live.size === 0) this.feed.reset();
    else {
      const msg = this.feed.next();
      if (msg !== null) for (const c of this.live) this.send(c, msg, this.live);
    }
    const waiting = [...this.outboxes.values()].some((b) => b.pending > 0);
    if (this.live.size > 0 || waiting) this.schedule();
  };
}
