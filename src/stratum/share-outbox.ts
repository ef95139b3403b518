/**
 * Shares on their way to the pool, and their accounting: shares found while the session is
 * down wait here (bounded, block candidates first) and go when it is back, or are counted
 * stale when their job did not survive; submits whose reply timed out stay known, so a late
 * reply still gives the verdict, and go again if their connection ends unanswered. Every share
 * ends with exactly one verdict, counted and reported; none is lost without a count.
 */
import { submitVerdict, type StratumError } from './messages.ts';
import type { Share, ShareVerdict } from './events.ts';

export interface QueuedShare {
  share: Share;
  /** The session (extranonce1, hex) the share was built for. */
  extranonce1: string;
}

/** The share counts a client reports (the outbox keeps the verdicts' part of them). */
export interface ShareCounts {
  accepted: number;
  rejected: number;
  rejectReasons: Record<string, number>;
  stale: number;
  unanswered: number;
  sent: number;
  /** Sum of the difficulty of accepted shares (the pool's measure of work done). */
  acceptedDifficulty: number;
}

export interface ShareOutboxOptions {
  counts: ShareCounts;
  /** Every verdict, once per share. */
  onVerdict(share: Share, verdict: ShareVerdict): void;
  /** What an accepted share is worth to the pool: the difficulty it was asked for. */
  credit(share: Share): number;
  /** Shares kept while disconnected (default 64). */
  maxQueued?: number;
  /** Timed-out submits remembered for a late reply (default 64). */
  maxLate?: number;
}

export class ShareOutbox {
  private readonly queue: QueuedShare[] = [];
  /**
   * Submits of the current connection whose reply timed out, by request id. Ids are per
   * connection, so these are too: they go back to the queue when the connection ends.
   */
  private readonly late = new Map<string, QueuedShare>();
  private readonly maxQueued: number;
  private readonly maxLate: number;

  constructor(private readonly o: ShareOutboxOptions) {
    this.maxQueued = o.maxQueued ?? 64;
    this.maxLate = o.maxLate ?? 64;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Keeps a share until the session is back. */
  keep(q: QueuedShare): void {
    if (q.share.isBlockCandidate) this.queue.unshift(q);
    else this.queue.push(q);
    while (this.queue.length > this.maxQueued) {
      // Over the bound: the oldest ordinary share goes, counted, never silently.
      let drop = this.queue.length - 1;
      for (let i = 0; i < this.queue.length; i++) {
        if (!this.queue[i]!.share.isBlockCandidate) {
          drop = i;
          break;
        }
      }
      const [dropped] = this.queue.splice(drop, 1);
      this.settle(dropped!.share, { kind: 'stale', reason: 'share queue full while disconnected' });
    }
  }

  /**
   * The session is back: every kept share goes through `send` if `stillValid` says the pool can
   * still take it, or is counted stale.
   */
  flush(stillValid: (q: QueuedShare) => boolean, send: (share: Share) => void): void {
    for (const q of this.queue.splice(0)) {
      if (stillValid(q)) send(q.share);
      else this.settle(q.share, { kind: 'stale', reason: 'job did not survive the reconnect' });
    }
  }

  /** A submit went out. */
  sent(): void {
    this.o.counts.sent++;
  }

  /** The submit with request `id` timed out: unanswered for now, a late reply may still come. */
  timedOut(id: number, q: QueuedShare): void {
    this.late.set(String(id), q);
    if (this.late.size > this.maxLate) {
      // Over the bound the oldest stays unanswered for good: counted, never silent.
      this.late.delete(this.late.keys().next().value as string);
    }
    this.settle(q.share, { kind: 'unanswered' });
  }

  /** A reply to no open request: the verdict of a timed-out submit, if it is one. */
  lateReply(id: number | string, result: unknown, error: StratumError | null): boolean {
    const q = this.late.get(String(id));
    if (q === undefined) return false;
    this.late.delete(String(id));
    this.o.counts.unanswered--;
    this.settle(q.share, submitVerdict(result, error));
    return true;
  }

  /**
   * The connection ended. Submits still unanswered go again after the reconnect, as those in
   * flight do: the pool answers them there, or they are counted stale.
   */
  connectionEnded(): void {
    for (const q of this.late.values()) {
      this.o.counts.unanswered--;
      this.keep(q);
    }
    this.late.clear();
  }

  /** Counts a verdict and reports it. */
  settle(share: Share, verdict: ShareVerdict): void {
    const c = this.o.counts;
    switch (verdict.kind) {
      case 'accepted':
        c.accepted++;
        c.acceptedDifficulty += this.o.credit(share);
        break;
      case 'rejected':
        c.rejected++;
        c.rejectReasons[verdict.reason] = (c.rejectReasons[verdict.reason] ?? 0) + 1;
        break;
      case 'stale':
        c.stale++;
        break;
      case 'unanswered':
        c.unanswered++;
        break;
      default:
        verdict satisfies never;
    }
    this.o.onVerdict(share, verdict);
  }
}
