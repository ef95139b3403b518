/**
 * Which pool to connect to, and when: the same pool again after a backoff that grows with each
 * failure (with jitter, so boards that lost the same pool do not return in lockstep), the next
 * pool in the list after `failoverAfter` failures in a row (at once), and the primary again a
 * while after settling on a backup. Pure: it holds counts, never timers; the client asks it and
 * sets the timers.
 */
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';

export interface PoolSelectorOptions {
  /** Consecutive failures on one pool before moving to the next (default 3). */
  failoverAfter?: number;
  backoff?: BackoffOptions;
  /** While on a backup pool, try the primary again after this long (default 15 min). */
  returnToPrimaryMs?: number;
  /** 0 ≤ random() < 1, for the backoff's jitter. */
  random?: () => number;
}

/** The next attempt, after a failure. */
export interface NextAttempt {
  poolIndex: number;
  delayMs: number;
  /** Set when this failure moved us to another pool. */
  failover: { fromIndex: number; toIndex: number } | null;
}

/** A session that lasted this long with jobs was a success: the backoff starts afresh. */
export const STABLE_SESSION_MS = 30_000;

export class PoolSelector {
  /** Failures in a row on the pool being tried. */
  private failures = 0;
  private readonly failoverAfter: number;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  readonly returnToPrimaryMs: number;

  constructor(
    readonly poolCount: number,
    options: PoolSelectorOptions = {},
  ) {
    if (poolCount < 1) throw new RangeError('at least one pool is needed');
    this.failoverAfter = Math.max(1, options.failoverAfter ?? 3);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.returnToPrimaryMs = options.returnToPrimaryMs ?? 15 * 60_000;
  }

  /** A session on `poolIndex` ended after `livedMs`, mining (`mined`) or not. */
  sessionEnded(livedMs: number, mined: boolean): void {
    // A session that worked for a while starts the backoff afresh; one that dies at once does not.
    if (mined && livedMs >= STABLE_SESSION_MS) this.failures = 0;
  }

  /** An attempt on `poolIndex` failed (refused, timed out, or a session that ended): where next. */
  failed(poolIndex: number): NextAttempt {
    this.failures++;
    if (this.poolCount > 1 && this.failures >= this.failoverAfter) {
      const next = (poolIndex + 1) % this.poolCount;
      this.failures = 0;
      return { poolIndex: next, delayMs: 0, failover: { fromIndex: poolIndex, toIndex: next } };
    }
    return { poolIndex, delayMs: backoffDelay(this.failures, this.backoff, this.random), failover: null };
  }

  /** We leave a working backup for the primary on purpose: not a failure, a fresh start. */
  returningToPrimary(): void {
    this.failures = 0;
  }

  /** How long to stay on `poolIndex` before trying the primary again; null on the primary. */
  stayOnBackupMs(poolIndex: number): number | null {
    return poolIndex === 0 ? null : this.returnToPrimaryMs;
  }
}
