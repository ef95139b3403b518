/**
 * Deterministic stand-ins for the platform: a clock that only moves when told, and a
 * transport whose "pool" side the test scripts line by line.
 */
import type { Clock, TransportFactory, TransportOptions } from '../../src/platform/interfaces.ts';

export class FakeClock implements Clock {
  time = 0;
  private timers = new Map<number, { at: number; cb: () => void }>();
  private next = 1;
  now(): number {
    return this.time;
  }
  setTimeout(cb: () => void, ms: number): number {
    const id = this.next++;
    this.timers.set(id, { at: this.time + ms, cb });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  /** Moves time forward, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let due: [number, { at: number; cb: () => void }] | null = null;
      for (const e of this.timers) if (e[1].at <= end && (!due || e[1].at < due[1].at)) due = e;
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at); // never backwards, even after a test moved time by hand
      due[1].cb();
    }
    this.time = end;
  }
}

export interface FakeConnection {
  options: TransportOptions;
  /** Every JSON message the client wrote. */
  sent: Record<string, unknown>[];
  closedByClient: boolean;
  /** Deliver raw text from the pool (may hold partial or several lines). */
  push(text: string): void;
  /** Deliver one message as a JSON line. */
  send(msg: unknown): void;
  /** Reply to the client's last request of this method. */
  reply(method: string, result: unknown, error?: unknown): void;
  lastRequest(method: string): Record<string, unknown> | undefined;
  /** The pool hangs up. */
  drop(reason?: string): void;
}

export function fakeNetwork(): { factory: TransportFactory; connections: FakeConnection[] } {
  const connections: FakeConnection[] = [];
  const factory: TransportFactory = (options) => {
    let partial = '';
    const conn: FakeConnection = {
      options,
      sent: [],
      closedByClient: false,
      push: (text) => options.onData(new TextEncoder().encode(text)),
      send: (msg) => conn.push(JSON.stringify(msg) + '\n'),
      reply: (method, result, error = null) => {
        const req = conn.lastRequest(method);
        if (!req) throw new Error(`no ${method} request to reply to`);
        conn.send({ id: req.id, result, error });
      },
      lastRequest: (method) => [...conn.sent].reverse().find((m) => m.method === method),
      drop: (reason = 'reset by peer') => options.onClose(reason),
    };
    connections.push(conn);
    return {
      write(data) {
        partial += new TextDecoder().decode(data);
        let nl;
        while ((nl = partial.indexOf('\n')) >= 0) {
          conn.sent.push(JSON.parse(partial.slice(0, nl)));
          partial = partial.slice(nl + 1);
        }
      },
      close() {
        conn.closedByClient = true;
      },
    };
  };
  return { factory, connections };
}
