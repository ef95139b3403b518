/**
 * The client's parts on their own: the pool selector's decisions (pure), the share outbox's
 * accounting (every share ends with exactly one verdict), the outbound builders (the wire
 * format in one place), and the one version string.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PoolSelector, STABLE_SESSION_MS } from '../../src/stratum/pool-selector.ts';
import { ShareOutbox, type ShareCounts } from '../../src/stratum/share-outbox.ts';
import { configureRequest, methodNotFoundReply, submitRequest, subscribeRequest } from '../../src/stratum/messages.ts';
import type { Share, ShareVerdict } from '../../src/stratum/events.ts';
import { KILOHASH_USER_AGENT, KILOHASH_VERSION } from '../../src/version.ts';

const backoff = { initialMs: 1000, maxMs: 8000 };

describe('pool selector', () => {
  it('backs off on one pool, doubling up to the cap, and fails over at once after N failures', () => {
    const s = new PoolSelector(2, { failoverAfter: 5, backoff, random: () => 1 });
    expect([1, 2, 3, 4].map(() => s.failed(0))).toEqual([
      { poolIndex: 0, delayMs: 1000, failover: null },
      { poolIndex: 0, delayMs: 2000, failover: null },
      { poolIndex: 0, delayMs: 4000, failover: null },
      { poolIndex: 0, delayMs: 8000, failover: null },
    ]);
    expect(s.failed(0)).toEqual({ poolIndex: 1, delayMs: 0, failover: { fromIndex: 0, toIndex: 1 } });
    // The count starts again on the new pool.
    expect(s.failed(1)).toEqual({ poolIndex: 1, delayMs: 1000, failover: null });
  });

  it('draws the delay from [d/2, d] so boards that lost one pool do not return together', () => {
    const low = new PoolSelector(1, { backoff, random: () => 0 });
    const high = new PoolSelector(1, { backoff, random: () => 0.999999 });
    low.failed(0);
    high.failed(0);
    expect(low.failed(0).delayMs).toBe(1000);
    expect(high.failed(0).delayMs).toBe(2000);
  });

  it('with one pool never fails over; wraps from the last pool to the first', () => {
    const one = new PoolSelector(1, { failoverAfter: 2, backoff, random: () => 1 });
    for (let i = 0; i < 10; i++) expect(one.failed(0).poolIndex).toBe(0);
    const three = new PoolSelector(3, { failoverAfter: 1, backoff, random: () => 1 });
    expect(three.failed(2)).toMatchObject({ poolIndex: 0, failover: { fromIndex: 2, toIndex: 0 } });
  });

  it('a session that mined for a while resets the backoff; a short or jobless one does not', () => {
    const s = new PoolSelector(1, { backoff, random: () => 1 });
    s.failed(0);
    s.failed(0);
    s.sessionEnded(STABLE_SESSION_MS - 1, true);
    expect(s.failed(0).delayMs).toBe(4000);
    s.sessionEnded(STABLE_SESSION_MS * 10, false);
    expect(s.failed(0).delayMs).toBe(8000);
    s.sessionEnded(STABLE_SESSION_MS, true);
    expect(s.failed(0).delayMs).toBe(1000);
  });

  it('says how long to stay on a backup, and nothing on the primary', () => {
    const s = new PoolSelector(2, { returnToPrimaryMs: 60_000 });
    expect(s.stayOnBackupMs(0)).toBeNull();
    expect(s.stayOnBackupMs(1)).toBe(60_000);
  });

  it('refuses an empty pool list', () => {
    expect(() => new PoolSelector(0)).toThrow(/at least one pool/);
  });
});

function share(nonce: number, isBlockCandidate = false): Share {
  return { jobId: 'j', extranonce2: new Uint8Array(4), ntime: 0, nonce, difficulty: 2, isBlockCandidate };
}

function outbox(maxQueued = 3) {
  const counts: ShareCounts = { accepted: 0, rejected: 0, rejectReasons: {}, stale: 0, unanswered: 0, sent: 0, acceptedDifficulty: 0 };
  const verdicts: [number, ShareVerdict['kind']][] = [];
  const box = new ShareOutbox({ counts, onVerdict: (s, v) => verdicts.push([s.nonce, v.kind]), credit: () => 1.5, maxQueued, maxLate: 2 });
  return { box, counts, verdicts };
}

describe('share outbox', () => {
  it('keeps block candidates first and, over its bound, drops the oldest ordinary share as stale', () => {
    const { box, counts, verdicts } = outbox(3);
    box.keep({ share: share(1), extranonce1: 'aa' });
    box.keep({ share: share(2), extranonce1: 'aa' });
    box.keep({ share: share(3, true), extranonce1: 'aa' });
    box.keep({ share: share(4), extranonce1: 'aa' });
    expect(verdicts).toEqual([[1, 'stale']]);
    expect(counts.stale).toBe(1);
    const sent: number[] = [];
    box.flush((q) => q.share.nonce !== 4, (s) => sent.push(s.nonce));
    expect(sent).toEqual([3, 2]);
    expect(verdicts).toEqual([[1, 'stale'], [4, 'stale']]);
    expect(box.queued).toBe(0);
  });

  it('a late reply turns an unanswered share into its verdict, once; a dead connection sends it again', () => {
    const { box, counts, verdicts } = outbox();
    box.timedOut(7, { share: share(70), extranonce1: 'aa' });
    box.timedOut(8, { share: share(80), extranonce1: 'aa' });
    expect(counts.unanswered).toBe(2);
    expect(box.lateReply(7, true, null)).toBe(true);
    expect(box.lateReply(7, true, null)).toBe(false);
    expect(counts).toMatchObject({ unanswered: 1, accepted: 1, acceptedDifficulty: 1.5 });
    box.connectionEnded();
    expect(counts.unanswered).toBe(0);
    expect(box.queued).toBe(1);
    expect(box.lateReply(8, true, null)).toBe(false);
    expect(verdicts).toEqual([[70, 'unanswered'], [80, 'unanswered'], [70, 'accepted']]);
  });

  it('remembers a bounded number of timed-out submits: the oldest stays unanswered, counted', () => {
    const { box, counts } = outbox();
    for (let id = 1; id <= 3; id++) box.timedOut(id, { share: share(id), extranonce1: 'aa' });
    expect(box.lateReply(1, true, null)).toBe(false);
    expect(box.lateReply(3, false, { code: 23, message: 'Low difficulty share' })).toBe(true);
    expect(counts).toMatchObject({ unanswered: 2, rejected: 1, rejectReasons: { 'Low difficulty share': 1 } });
  });
});

describe('outbound messages', () => {
  it('builds each request the way pools read it', () => {
    expect(configureRequest(0x1fffe000, 2)).toEqual({
      method: 'mining.configure',
      params: [['version-rolling'], { 'version-rolling.mask': '1fffe000', 'version-rolling.min-bit-count': 2 }],
    });
    expect(subscribeRequest('ua/1', null).params).toEqual(['ua/1']);
    expect(subscribeRequest('ua/1', 'abc').params).toEqual(['ua/1', 'abc']);
    expect(submitRequest('u.w', { jobId: '1f', extranonce2: new Uint8Array([0, 1]), ntime: 0x5f5e1000, nonce: 0x9546a142 }).params).toEqual([
      'u.w', '1f', '0001', '5f5e1000', '9546a142',
    ]);
    expect(submitRequest('u.w', { jobId: '1f', extranonce2: new Uint8Array(0), ntime: 1, nonce: 2, versionBits: 0x2000 }).params[5]).toBe('00002000');
    expect(methodNotFoundReply(9)).toEqual({ id: 9, result: null, error: [20, 'Method not found', null] });
  });
});

describe('version', () => {
  it('is said once and matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(KILOHASH_VERSION).toBe(pkg.version);
    expect(KILOHASH_USER_AGENT).toBe(`kilohash/${pkg.version}`);
  });
});
