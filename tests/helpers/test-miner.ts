/**
 * A deliberately simple miner for protocol tests: it runs the real StratumClient over real
 * loopback TCP and, for every job, hashes nonces with src/work until it finds shares. It
 * records every share it found, so a test can prove none was lost.
 */
import { StratumClient, type StratumClientOptions } from '../../src/stratum/client.ts';
import type { Share, StratumEvent, SubmitOutcome } from '../../src/stratum/events.ts';
import type { ActiveJob } from '../../src/stratum/job-book.ts';
import { Extranonce2Counter } from '../../src/work/extranonce2.ts';
import { buildHeader, jobWork } from '../../src/work/job.ts';
import { NonceHasher } from '../../src/work/nonce-hasher.ts';
import { hashMeetsTarget, hashToDifficulty, nbitsToTarget } from '../../src/work/target.ts';
import { backgroundClock, nodeTransport } from '../../host/platform/node.ts';

/** Hashes in slices that yield to the event loop, so sockets and timers keep running. */
export async function findShare(active: ActiveJob, extranonce2: Uint8Array, minDifficulty: number, startNonce = 0, maxNonces = 50_000_000): Promise<Share | null> {
  const work = jobWork(active.job, active.extranonce1, extranonce2);
  const header = buildHeader({ ...active.job, merkleRoot: work.merkleRoot, nonce: 0 });
  const hasher = new NonceHasher(header);
  const out = new Uint8Array(32);
  const network = nbitsToTarget(active.job.nbits);
  for (let i = 0; i < maxNonces; i++) {
    if (i % 20_000 === 19_999) await new Promise((r) => setImmediate(r));
    const nonce = (startNonce + i) >>> 0;
    hasher.hash(nonce, out);
    const d = hashToDifficulty(out);
    if (d >= minDifficulty) {
      return {
        jobId: active.job.jobId,
        extranonce2: Uint8Array.from(extranonce2),
        ntime: active.job.ntime,
        nonce,
        difficulty: d,
        isBlockCandidate: hashMeetsTarget(out, network),
      };
    }
  }
  return null;
}

export interface TestMiner {
  client: StratumClient;
  events: StratumEvent[];
  found: Share[];
  outcomes: SubmitOutcome[];
  /** Resolves when `predicate` holds for the events so far (checked on every event). */
  until(predicate: (events: StratumEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Find and submit `n` shares on the current job. */
  mine(n: number): Promise<Share[]>;
  /**
   * Mines until the pool accepts one more share than now, or fails after `timeoutMs`. One try
   * is luck when jobs come every second: on a loaded machine the search can outlast its job,
   * and that share is (rightly) stale.
   */
  mineUntilAccepted(timeoutMs?: number): Promise<void>;
  stop(): void;
}

export function startTestMiner(url: string, user: string, extra: Partial<StratumClientOptions> = {}): TestMiner {
  const events: StratumEvent[] = [];
  const waiters: { predicate: (e: StratumEvent[]) => boolean; resolve: () => void }[] = [];
  const found: Share[] = [];
  const outcomes: SubmitOutcome[] = [];
  let en2: Extranonce2Counter | null = null;
  const client = new StratumClient({
    pools: [{ url, user, password: 'x' }],
    transport: nodeTransport,
    clock: backgroundClock,
    backoff: { initialMs: 20, maxMs: 200 },
    requestTimeoutMs: 10_000,
    ...extra,
    onEvent: (e) => {
      events.push(e);
      extra.onEvent?.(e);
      for (const w of [...waiters]) {
        if (w.predicate(events)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    },
  });
  client.start();
  return {
    client,
    events,
    found,
    outcomes,
    until(predicate, timeoutMs = 60_000) {
      if (predicate(events)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const w = { predicate, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error(`timed out; outcomes ${JSON.stringify(outcomes)}; last events: ${events.slice(-30).map((e) => (e.type === 'share' ? `share:${JSON.stringify(e.verdict)}` : e.type)).join(',')}`));
          }
        }, timeoutMs).unref();
      });
    },
    async mine(n) {
      const shares: Share[] = [];
      for (let k = 0; k < n; k++) {
        const active = client.currentJob;
        if (!active) break;
        if (!en2 || en2.size !== active.extranonce2Size) en2 = new Extranonce2Counter(active.extranonce2Size);
        en2.increment();
        const required = Math.max(active.difficulty, client.difficulty);
        const share = await findShare(active, en2.bytes, required);
        if (!share) continue;
        found.push(share);
        shares.push(share);
        outcomes.push(client.submit(share));
      }
      return shares;
    },
    async mineUntilAccepted(timeoutMs = 60_000) {
      const before = client.stats.accepted;
      const deadline = Date.now() + timeoutMs;
      while (client.stats.accepted <= before) {
        if (Date.now() > deadline) throw new Error(`no share accepted in ${timeoutMs} ms; outcomes ${JSON.stringify(outcomes.slice(-10))}`);
        const [share] = await this.mine(1);
        // The answer to a sent share comes back within a request timeout; then try again.
        if (share) await this.until(() => client.stats.accepted > before || outcomes.at(-1)?.kind !== 'sent' || events.some((e) => e.type === 'share' && e.share === share), 15_000).catch(() => {});
        else await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop() {
      client.stop();
    },
  };
}
