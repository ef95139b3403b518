/**
 * The miner: a Stratum session joined to a mining core. Jobs become work (work-source.ts),
 * work goes to the core through the driver, every result is re-hashed by the driver and then
 * checked against the share target here, shares go to the pool, and the numbers a miner and a
 * teacher care about are kept honestly (stats in status.ts). XS-portable: the firmware runs
 * this same class on the device.
 */
import { CoreDriver } from '../core/driver.ts';
import type { CoreIdentity } from '../core/register-port.ts';
import type { SelfTestReport } from '../core/self-test.ts';
import type { CoreResult } from '../core/work-ledger.ts';
import type { CoreLink } from '../core/link.ts';
import type { Clock, Log, TransportFactory } from '../platform/interfaces.ts';
import { StratumClient, type PoolConfig, type StratumClientOptions } from '../stratum/client.ts';
import type { Share, StratumEvent } from '../stratum/events.ts';
import { bytesToHex, toDisplayHex } from '../work/bytes.ts';
import { difficultyToTarget, hashMeetsTarget, hashToDifficulty } from '../work/target.ts';
import { DEFAULT_ENERGY, type EnergySettings } from './economics.ts';
import { RateWindows } from './rate-window.ts';
import { Scoreboard } from './scoreboard.ts';
import { type WorkTag, WorkSource } from './work-source.ts';


export type MinerEvent =
  | { type: 'core-ready'; identity: CoreIdentity; selfTest: SelfTestReport | null }
  | { type: 'core-fault'; message: string }
  | { type: 'connected'; url: string }
  | { type: 'disconnected'; reason: string; retryInMs: number | null }
  | { type: 'auth-failed'; user: string; reason: string }
  | { type: 'job'; jobId: string; clean: boolean }
  | { type: 'job-switch'; jobId: string; latencyMs: number }
  | { type: 'share'; jobId: string; difficulty: number; verdict: 'accepted' | 'rejected' | 'stale' | 'unanswered'; reason?: string }
  | { type: 'block-candidate'; jobId: string; nonce: number; hash: string; difficulty: number }
  | { type: 'best'; difficulty: number; ever: boolean }
  | { type: 'hardware-error'; nonce: number }
  | { type: 'message'; text: string };

export type MinerState = 'starting' | 'connecting' | 'mining' | 'waiting-for-job' | 'auth-failed' | 'core-fault' | 'stopped';

export interface MinerOptions {
  pools: PoolConfig[];
  transport: TransportFactory;
  clock: Clock;
  link: CoreLink;
  log?: Log;
  energy?: Partial<EnergySettings>;
  suggestDifficulty?: number | null;
  /** Ask the pool for extranonce changes (mining.extranonce.subscribe). */
  extranonceSubscribe?: boolean;
  /** Best share difficulty ever (kept by the caller across runs). */
  bestEver?: number;
  /** Poll interval of the core in ms (default 50; the result-ready line wakes it sooner). */
  pollMs?: number;
  /** Run the core's known-answer test before mining (default true). */
  selfTest?: boolean;
  onEvent?(e: MinerEvent): void;
  /** Extra Stratum client options (timeouts, backoff), mostly for tests. */
  stratum?: Partial<StratumClientOptions>;
}

/** Counters the status is made from; see status.ts. */
export interface MinerCounters {
  startedAt: number;
  sharesFound: number;
  blockCandidates: number;
  staleDropped: number;
  bestSession: number;
  bestEver: number;
  lastJobSwitchMs: number | null;
  jobSwitches: number;
  jobSwitchTotalMs: number;
}

export class Miner {
  readonly client: StratumClient;
  readonly driver: CoreDriver<WorkTag>;
  readonly source = new WorkSource();
  readonly hashes = new RateWindows();
  readonly acceptedDifficulty = new RateWindows();
  readonly energy: EnergySettings;
  readonly counters: MinerCounters;
  readonly scoreboard = new Scoreboard();
  state: MinerState = 'stopped';
  /** The core gets no work while paused; the pool connection stays up. */
  paused = false;
  identity: CoreIdentity | undefined;
  authError: string | undefined;
  coreError: string | undefined;

  private readonly opts: MinerOptions;
  private readonly clock: Clock;
  private readonly log: Log;
  /** Driver calls never interleave: each runs after the previous one settles. */
  private chain: Promise<unknown> = Promise.resolve();
  private timer: unknown = null;
  private stopReady: (() => void) | undefined;
  private running = false;
  private measuredGeneration = -1;
  private shareTargetFor: { difficulty: number; target: Uint8Array } = { difficulty: 0, target: new Uint8Array(32) };

  constructor(options: MinerOptions) {
    this.opts = options;
    this.clock = options.clock;
    this.log = options.log ?? (() => {});
    this.energy = { ...DEFAULT_ENERGY, ...options.energy };
    const now = this.clock.now();
    this.counters = {
      startedAt: now, sharesFound: 0, blockCandidates: 0, staleDropped: 0,
      bestSession: 0, bestEver: options.bestEver ?? 0, lastJobSwitchMs: null, jobSwitches: 0, jobSwitchTotalMs: 0,
    };
    this.driver = new CoreDriver<WorkTag>({
      link: options.link,
      clock: this.clock,
      log: this.log,
      nextWork: () => this.nextWork(),
      onResult: (r) => this.onResult(r),
      onHardwareError: (_w, nonce) => this.emit({ type: 'hardware-error', nonce }),
    });
    this.client = new StratumClient({
      pools: options.pools,
      transport: options.transport,
      clock: this.clock,
      log: this.log,
      suggestDifficulty: options.suggestDifficulty ?? null,
      ...(options.extranonceSubscribe ? { extranonceSubscribe: true } : {}),
      ...options.stratum,
      onEvent: (e) => this.onStratum(e),
    });
  }

  /** Probes and self-tests the core, then joins the pool and starts mining. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.state = 'starting';
    this.counters.startedAt = this.clock.now();
    await this.exclusive(async () => {
      this.identity = await this.driver.probe();
      const st = this.opts.selfTest === false ? null : await this.driver.selfTest();
      if (st && !st.ok) throw new Error(`core self-test failed: ${st.reason}`);
      await this.driver.reset();
      if (this.identity.nominalHashRate > 0) this.source.noncesPerWork = workSizeFor(this.identity.nominalHashRate);
      this.emit({ type: 'core-ready', identity: this.identity, selfTest: st });
    });
    this.state = 'connecting';
    this.stopReady = this.opts.link.ready?.onRise?.(() => this.pollSoon());
    this.client.start();
    this.schedule();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.state = 'stopped';
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.stopReady?.();
    this.client.stop();
    await this.exclusive(() => this.driver.abort()).catch(() => {});
  }

  /** Stops the core (its work is dropped) and gives it none until resume(); the pool stays connected. */
  async pause(): Promise<void> {
    if (this.paused) return;
    this.paused = true;
    this.log('info', 'mining paused');
    await this.exclusive(() => this.driver.abort()).catch(() => {});
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.log('info', 'mining resumed');
    this.pollSoon();
  }

  // ── the core loop ──────────────────────────────────────────────────────────────────────

  private schedule(delay = this.opts.pollMs ?? 50): void {
    if (!this.running) return;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, delay);
  }

  private pollSoon(): void {
    this.schedule(0);
  }

  private async tick(): Promise<void> {
    try {
      await this.exclusive(() => this.driver.poll());
      if (this.state === 'core-fault') {
        this.state = this.client.currentJob ? 'mining' : 'connecting';
        this.coreError = undefined;
      }
      const now = this.clock.now();
      this.hashes.sample(now, this.driver.stats.hashes);
      this.acceptedDifficulty.sample(now, this.client.stats.acceptedDifficulty);
      const rate = this.hashes.rate(60_000);
      if (rate > 0) this.source.noncesPerWork = workSizeFor(rate);
      this.schedule();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (this.state !== 'core-fault') {
        this.log('error', `core: ${message}`);
        this.emit({ type: 'core-fault', message });
      }
      this.state = 'core-fault';
      this.coreError = message;
      // Try the core again in a while: a loose wire or a reloading FPGA comes back.
      this.schedule(2000);
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  private nextWork() {
    if (this.paused) return undefined;
    const w = this.source.next();
    if (w?.tag && w.tag.generation !== this.measuredGeneration) {
      this.measuredGeneration = w.tag.generation;
      const latency = this.clock.now() - w.tag.jobReceivedAt;
      this.counters.lastJobSwitchMs = latency;
      this.counters.jobSwitches++;
      this.counters.jobSwitchTotalMs += latency;
      this.emit({ type: 'job-switch', jobId: w.tag.active.job.jobId, latencyMs: latency });
    }
    return w;
  }

  // ── results → shares ───────────────────────────────────────────────────────────────────

  private onResult(r: CoreResult<WorkTag>): void {
    const tag = r.work.tag;
    if (tag === undefined) return;
    const difficulty = hashToDifficulty(r.hash);
    this.trackBest(difficulty);
    if (tag.generation !== this.source.currentGeneration) {
      // Found on a job a clean_jobs replaced: the pool would call it stale.
      this.counters.staleDropped++;
      return;
    }
    const job = tag.active.job;
    this.scoreboard.add({
      difficulty, jobId: job.jobId, extranonce2: bytesToHex(tag.extranonce2), ntime: job.ntime,
      nonce: r.nonce, versionBits: tag.versionBits ?? 0, at: this.clock.now(),
    });
    const block = hashMeetsTarget(r.hash, tag.networkTarget);
    const required = this.client.requiredDifficulty(tag.active);
    if (!block && !hashMeetsTarget(r.hash, this.shareTarget(required))) return; // a core hit, not a share
    const share: Share = {
      jobId: job.jobId,
      extranonce2: tag.extranonce2,
      ntime: job.ntime,
      nonce: r.nonce,
      versionBits: tag.versionBits,
      difficulty,
      isBlockCandidate: block,
    };
    this.counters.sharesFound++;
    if (block) {
      this.counters.blockCandidates++;
      const hash = toDisplayHex(r.hash);
      this.log('warn', `*** BLOCK CANDIDATE *** job ${job.jobId} nonce ${r.nonce} hash ${hash} — submitting first`);
      this.emit({ type: 'block-candidate', jobId: job.jobId, nonce: r.nonce, hash, difficulty });
    }
    const outcome = this.client.submit(share);
    if (outcome.kind === 'stale' || outcome.kind === 'invalid' || outcome.kind === 'below-target') {
      this.emit({ type: 'share', jobId: job.jobId, difficulty, verdict: outcome.kind === 'stale' ? 'stale' : 'rejected', reason: outcome.kind });
    }
  }

  private shareTarget(difficulty: number): Uint8Array {
    if (this.shareTargetFor.difficulty !== difficulty) this.shareTargetFor = { difficulty, target: difficultyToTarget(difficulty) };
    return this.shareTargetFor.target;
  }

  private trackBest(d: number): void {
    if (d > this.counters.bestSession) {
      this.counters.bestSession = d;
      const ever = d > this.counters.bestEver;
      if (ever) this.counters.bestEver = d;
      this.emit({ type: 'best', difficulty: d, ever });
    }
  }

  // ── the pool side ──────────────────────────────────────────────────────────────────────

  private onStratum(e: StratumEvent): void {
    switch (e.type) {
      case 'connected':
        this.emit({ type: 'connected', url: e.url });
        break;
      case 'authorized':
        this.authError = undefined;
        if (this.state !== 'core-fault') this.state = this.client.currentJob ? 'mining' : 'waiting-for-job';
        break;
      case 'auth-failed': {
        const reason = e.error ? `${e.error.message}${e.error.code !== null ? ` (code ${e.error.code})` : ''}` : 'refused';
        this.authError = reason;
        this.state = 'auth-failed';
        this.log('error', `pool refused worker '${e.user}': ${reason}`);
        this.emit({ type: 'auth-failed', user: e.user, reason });
        break;
      }
      case 'job': {
        this.source.setJob(e.job, e.clean);
        if (this.state === 'waiting-for-job' || this.state === 'connecting') this.state = 'mining';
        this.emit({ type: 'job', jobId: e.job.job.jobId, clean: e.clean });
        if (e.clean) {
          // Drop what the core is doing now; the next poll loads the new job.
          void this.exclusive(() => this.driver.abort()).then(() => this.pollSoon(), () => {});
        } else {
          this.pollSoon();
        }
        break;
      }
      case 'jobs-reset':
        this.source.clear();
        void this.exclusive(() => this.driver.abort()).catch(() => {});
        break;
      case 'share': {
        const v = e.verdict;
        this.emit({
          type: 'share',
          jobId: e.share.jobId,
          difficulty: e.share.difficulty,
          verdict: v.kind,
          ...(v.kind === 'rejected' || v.kind === 'stale' ? { reason: v.reason } : {}),
        });
        break;
      }
      case 'disconnected':
        if (this.state === 'mining' || this.state === 'waiting-for-job') this.state = 'connecting';
        this.emit({ type: 'disconnected', reason: e.reason, retryInMs: e.retryInMs });
        break;
      case 'message':
        this.emit({ type: 'message', text: e.text });
        break;
      // Seen by the status through the client's state, not passed on as miner events.
      case 'connecting':
      case 'subscribed':
      case 'version-mask':
      case 'difficulty':
      case 'failover':
        break;
      default: {
        // A new StratumEvent fails to compile here until it is handled above.
        const unhandled: never = e;
        return unhandled;
      }
    }
  }

  private emit(e: MinerEvent): void {
    this.opts.onEvent?.(e);
  }
}

/** Nonces per work so one work lasts about a second at `rate`: a power of two, 2^12..2^32. */
export function workSizeFor(rate: number): number {
  const bits = Math.max(12, Math.min(32, Math.ceil(Math.log2(Math.max(1, rate)))));
  return 2 ** bits;
}
