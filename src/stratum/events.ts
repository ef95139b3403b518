/**
 * What the Stratum client tells the miner and the UI. One discriminated union, so a consumer
 * that matches it exhaustively is told by the compiler when a new event appears.
 */
import type { ActiveJob } from './job-book.ts';
import type { StratumError } from './messages.ts';

/** A share as the miner found and re-checked it. */
export interface Share {
  jobId: string;
  extranonce2: Uint8Array;
  ntime: number;
  /** The header nonce value (submitted as 8 hex digits, big-endian). */
  nonce: number;
  /** Rolled version bits (BIP310); omitted when not rolling. */
  versionBits?: number;
  /** The difficulty the share's hash reaches, as the miner computed it. */
  difficulty: number;
  /** The hash meets the network target: a block candidate, sent before anything else. */
  isBlockCandidate?: boolean;
}

/** What submit() did with a share right away; the pool's verdict follows as a `share` event. */
export type SubmitOutcome =
  | { kind: 'sent' }
  | { kind: 'queued' } // not connected: kept until the session is back
  | { kind: 'stale'; reason: string } // its job is gone: counted, never sent
  | { kind: 'below-target'; required: number } // does not meet the difficulty in force: not sent
  | { kind: 'invalid'; reason: string }; // malformed (wrong extranonce2 size, bits outside the mask)

export type ShareVerdict =
  | { kind: 'accepted' }
  | { kind: 'rejected'; reason: string; code: number | null }
  | { kind: 'stale'; reason: string } // dropped after queueing: its job did not survive the reconnect
  | { kind: 'unanswered' }; // the pool never replied (timeout)

export type StratumEvent =
  | { type: 'connecting'; url: string; poolIndex: number }
  | { type: 'connected'; url: string; poolIndex: number }
  | { type: 'subscribed'; extranonce1: string; extranonce2Size: number; resumed: boolean }
  | { type: 'version-mask'; mask: number }
  | { type: 'authorized'; user: string }
  | { type: 'auth-failed'; user: string; error: StratumError | null }
  | { type: 'difficulty'; difficulty: number }
  | { type: 'job'; job: ActiveJob; clean: boolean }
  /** Every job so far is invalid (new session, new extranonce1): drop all work. */
  | { type: 'jobs-reset' }
  | { type: 'share'; share: Share; verdict: ShareVerdict }
  | { type: 'message'; text: string }
  | { type: 'disconnected'; reason: string; retryInMs: number | null }
  | { type: 'failover'; fromIndex: number; toIndex: number; reason: string };
