/**
 * Pools and a miner joined in memory, on one clock, with faults on demand: what a 24-hour soak
 * needs to run in seconds on a fake clock. Every byte crosses on a 0 ms timer of that clock
 * (in order, never re-entrantly). The faults are the TCP fault proxy's (proxy.ts), injected one
 * at a time into the miner's live connection, pool → miner:
 *
 *   drop             the connection closes
 *   reset            the next pool line is cut in half, then the connection closes
 *   garbage          a line that is not JSON
 *   stall            nothing reaches the miner for `stallMs`, then all of it does
 *   split            the next lines arrive a few bytes at a time
 *   overlong         a line longer than any client accepts (a 70 000-byte notify)
 *   duplicate-reply  the next reply to a request arrives twice
 */
import type { Clock, TransportFactory, TransportOptions } from '../../src/platform/interfaces.ts';
import type { LocalPool, PoolSocketInput } from '../pool/server.ts';

export const LINE_FAULTS = ['drop', 'reset', 'garbage', 'stall', 'split', 'overlong', 'duplicate-reply'] as const;
export type LineFault = (typeof LINE_FAULTS)[number];

export interface MemoryNetworkOptions {
  clock: Clock;
  /** How long a stall holds the pool's lines back (default 90 s). */
  stallMs?: number;
}

interface Link {
  id: number;
  port: number;
  miner: TransportOptions;
  pool: PoolSocketInput | null;
  open: boolean;
  stalledUntil: number;
  held: string[];
  /** One-shot faults waiting for the pool's next line(s). */
  cutNext: boolean;
  splitLines: number;
  duplicateNextReply: boolean;
}

export class MemoryNetwork {
  readonly stats = { connections: 0, refused: 0, faults: new Map<LineFault, number>() };
  private readonly clock: Clock;
  private readonly stallMs: number;
  private readonly pools = new Map<number, { pool: LocalPool; up: boolean }>();
  private readonly links = new Set<Link>();
  private nextId = 1;
  private readonly encoder = new TextEncoder();

  constructor(o: MemoryNetworkOptions) {
    this.clock = o.clock;
    this.stallMs = o.stallMs ?? 90_000;
  }

  /** Makes `pool` reachable at `port` (any host name). */
  listen(port: number, pool: LocalPool): void {
    this.pools.set(port, { pool, up: true });
  }

  /** The pool at `port` stops answering: its connections close and new ones are refused. */
  down(port: number): void {
    const p = this.pools.get(port);
    if (p) p.up = false;
    for (const l of [...this.links]) if (l.port === port) this.close(l, 'connection reset (pool down)');
  }

  up(port: number): void {
    const p = this.pools.get(port);
    if (p) p.up = true;
  }

  /** The miner's side: a TransportFactory that connects into this network. */
  readonly transport: TransportFactory = (miner) => {
    const link: Link = { id: this.nextId++, port: miner.port, miner, pool: null, open: true, stalledUntil: 0, held: [], cutNext: false, splitLines: 0, duplicateNextReply: false };
    this.later(() => {
      const target = this.pools.get(miner.port);
      if (!link.open) return;
      if (!target?.up) {
        this.stats.refused++;
        link.open = false;
        miner.onClose('connection refused');
        return;
      }
      this.stats.connections++;
      this.links.add(link);
      link.pool = target.pool.attach(
        {
          write: (text) => this.toMiner(link, text),
          destroy: () => this.close(link, 'connection closed by the pool'),
          get destroyed() { return !link.open; },
        },
        `memory:${link.id}`,
      );
      miner.onConnect();
    });
    return {
      write: (data) => {
        if (!link.open) throw new Error('connection is closed');
        const copy = Uint8Array.from(data);
        this.later(() => { if (link.open) link.pool?.data(copy); });
      },
      close: () => this.close(link, 'closed by the miner'),
    };
  };

  /** The miner's live connection to `port` (or any pool), if there is one. */
  connected(port?: number): boolean {
    return [...this.links].some((l) => l.open && (port === undefined || l.port === port));
  }

  /** Injects one fault into the miner's live connection; false when there is none. */
  inject(kind: LineFault): boolean {
    const link = [...this.links].find((l) => l.open);
    if (!link) return false;
    this.stats.faults.set(kind, (this.stats.faults.get(kind) ?? 0) + 1);
    switch (kind) {
      case 'drop':
        this.close(link, 'connection reset by peer');
        break;
      case 'reset':
        link.cutNext = true;
        break;
      case 'garbage':
        this.deliver(link, '\u0000\u00ff garbage {not json]\n');
        break;
      case 'stall':
        link.stalledUntil = this.clock.now() + this.stallMs;
        this.clock.setTimeout(() => this.release(link), this.stallMs);
        break;
      case 'split':
        link.splitLines = 3;
        break;
      case 'overlong':
        this.deliver(link, `{"id":null,"method":"mining.notify","params":["${'f'.repeat(70_000)}"]}\n`);
        break;
      case 'duplicate-reply':
        link.duplicateNextReply = true;
        break;
    }
    return true;
  }

  private toMiner(link: Link, text: string): void {
    if (!link.open) return;
    if (this.clock.now() < link.stalledUntil) {
      link.held.push(text);
      return;
    }
    if (link.cutNext) {
      link.cutNext = false;
      this.deliver(link, text.slice(0, Math.max(1, text.length >> 1)));
      this.later(() => this.close(link, 'connection reset mid-line'));
      return;
    }
    if (link.duplicateNextReply && /"result"/.test(text) && !/"id":\s*null/.test(text)) {
      link.duplicateNextReply = false;
      this.deliver(link, text);
    }
    if (link.splitLines > 0) {
      link.splitLines--;
      for (let i = 0; i < text.length; i += 5) this.deliver(link, text.slice(i, i + 5));
      return;
    }
    this.deliver(link, text);
  }

  private release(link: Link): void {
    for (const text of link.held.splice(0)) this.toMiner(link, text);
  }

  private deliver(link: Link, text: string): void {
    const bytes = this.encoder.encode(text);
    this.later(() => { if (link.open) link.miner.onData(bytes); });
  }

  private close(link: Link, reason: string): void {
    if (!link.open) return;
    link.open = false;
    this.links.delete(link);
    this.later(() => {
      link.pool?.closed();
      link.miner.onClose(reason);
    });
  }

  private later(fn: () => void): void {
    this.clock.setTimeout(fn, 0);
  }
}
