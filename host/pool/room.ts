/**
 * The room a classroom pool serves: every miner that has connected, what it has done, and
 * its hash rate as the pool sees it (from the difficulty of the shares it sends, the only
 * measure a pool has). Fed the pool's events; knows nothing of sockets. Bounded: the newest
 * MAX_MINERS miners are kept, disconnected ones first to go.
 */
import { match } from 'ts-pattern';
import { HASHES_PER_DIFFICULTY } from '../../src/miner/economics.ts';
import { RateWindows } from '../../src/miner/rate-window.ts';
import type { PoolEvent } from './server.ts';

export const MAX_MINERS = 64;
/** The window a miner's hash rate is averaged over: long enough for a few dozen shares at the demo's vardiff. */
export const RATE_WINDOW_MS = 120_000;

export interface MinerRow {
  client: number;
  /** The worker name it authorized as ('' until it does). */
  worker: string;
  agent: string;
  connected: boolean;
  /** Unix seconds. */
  connectedAt: number;
  lastShareAt: number | null;
  accepted: number;
  rejected: number;
  blocks: number;
  /** The highest difficulty of any share it sent. */
  bestDifficulty: number;
  /** Hashes per second its accepted shares stand for, over the last RATE_WINDOW_MS (0 once gone). */
  hashRate: number;
  /** What it declared in its password (`watts=`), null when it said nothing. */
  watts: number | null;
  /** The latest thing it got wrong (a line that was not Stratum, a rejected share), for the teacher to see. */
  problem: string | null;
}

interface Miner {
  row: Omit<MinerRow, 'hashRate'>;
  /** Cumulative hashes its accepted shares stand for. */
  work: number;
  rate: RateWindows;
}

export class Room {
  private readonly miners = new Map<number, Miner>();

  /** `now`: milliseconds since the epoch (the pool's clock). */
  constructor(private readonly now: () => number) {}

  onEvent(e: PoolEvent): void {
    match(e)
      .with({ event: 'connect' }, (c) => this.join(c.client))
      .with({ event: 'subscribe' }, (s) => this.update(s.client, (m) => { m.row.agent = s.agent.slice(0, 100); }))
      .with({ event: 'authorize' }, (a) => this.update(a.client, (m) => {
        if (!a.ok) return;
        m.row.worker = a.worker.slice(0, 200);
        if (a.watts !== undefined) m.row.watts = a.watts;
      }))
      .with({ event: 'share' }, (s) => this.update(s.client, (m) => {
        if (!s.accepted) {
          m.row.rejected++;
          // A stale share is the race every miner loses when a block lands, not a fault of its own.
          if (s.reason !== 'Stale') m.row.problem = `share rejected: ${s.reason ?? 'no reason given'}`.slice(0, 200);
          return;
        }
        m.row.accepted++;
        m.row.lastShareAt = this.now() / 1000;
        m.row.bestDifficulty = Math.max(m.row.bestDifficulty, s.shareDifficulty);
        m.work += s.difficulty * HASHES_PER_DIFFICULTY;
        m.rate.sample(this.now(), m.work);
      }))
      .with({ event: 'block' }, (b) => this.update(b.client, (m) => { m.row.blocks++; }))
      .with({ event: 'disconnect' }, (d) => this.update(d.client, (m) => { m.row.connected = false; }))
      .with({ event: 'protocol-error' }, (p) => this.update(p.client, (m) => { m.row.problem = `sent something that is not Stratum: ${p.reason}`.slice(0, 200); }))
      .with({ event: 'listening' }, { event: 'difficulty' }, { event: 'job' }, { event: 'retarget' }, () => undefined)
      .exhaustive();
  }

  /** Every miner, connected ones first, each with its current hash rate. */
  rows(): MinerRow[] {
    const now = this.now();
    return [...this.miners.values()]
      .map((m) => {
        if (m.row.connected) m.rate.sample(now, m.work);
        return { ...m.row, hashRate: m.row.connected ? m.rate.rate(RATE_WINDOW_MS) : 0 };
      })
      .sort((a, b) => Number(b.connected) - Number(a.connected) || a.client - b.client);
  }

  private join(client: number): void {
    if (this.miners.size >= MAX_MINERS) this.evictOne();
    const rate = new RateWindows();
    rate.sample(this.now(), 0);
    this.miners.set(client, {
      row: { client, worker: '', agent: '', connected: true, connectedAt: this.now() / 1000, lastShareAt: null, accepted: 0, rejected: 0, blocks: 0, bestDifficulty: 0, watts: null, problem: null },
      work: 0,
      rate,
    });
  }

  private evictOne(): void {
    const gone = [...this.miners.values()].find((m) => !m.row.connected) ?? this.miners.values().next().value;
    if (gone) this.miners.delete(gone.row.client);
  }

  private update(client: number, fn: (m: Miner) => void): void {
    const m = this.miners.get(client);
    if (m) fn(m);
  }
}
