/**
 * The Stratum v1 client: one pool session at a time over a Transport. This file is the
 * handshake (configure, subscribe, suggest, authorize) and the dispatch of what the pool sends,
 * with everything that makes small miners lose shares handled on purpose — replies matched by
 * id, difficulty bound to the job it arrived with, version-rolling negotiation, idle detection.
 * Which pool and when is the pool selector's (pool-selector.ts); shares on their way and their
 * verdicts are the outbox's (share-outbox.ts); the wire format is messages.ts.
 */
import { match } from 'ts-pattern';
import { bytesToHex, u32ToHex } from '../work/bytes.ts';
import { encodeUtf8 } from './utf8.ts';
import { JobBook, requiredShareDifficulty, type ActiveJob } from './job-book.ts';
import { LineFramer, DEFAULT_MAX_LINE_BYTES } from './line-framer.ts';
import {
  authorizeRequest,
  configureRequest,
  extranonceSubscribeRequest,
  methodNotFoundReply,
  type OutboundRequest,
  parseInbound,
  parseMask,
  parseSubscribeResult,
  resultReply,
  subscribeRequest,
  submitRequest,
  submitVerdict,
  suggestDifficultyRequest,
  type Inbound,
} from './messages.ts';
import { formatPoolUrl, parsePoolUrl, type PoolEndpoint } from './pool-url.ts';
import { RequestTable, type Reply } from './request-table.ts';
import type { BackoffOptions } from './backoff.ts';
import type { Share, StratumEvent, SubmitOutcome } from './events.ts';
import type { Clock, Log, TimerHandle, Transport, TransportFactory } from '../platform/interfaces.ts';
import { BIP320_MASK } from '../work/version-rolling.ts';
import { OptionalRequest } from './optional-request.ts';
import { PoolSelector } from './pool-selector.ts';
import { type ShareCounts, ShareOutbox } from './share-outbox.ts';
import { KILOHASH_USER_AGENT } from '../version.ts';

export interface PoolConfig {
  url: string;
  /** Usually `ADDRESS.worker` on solo pools. */
  user: string;
  password?: string;
}

export interface StratumClientOptions {
  pools: PoolConfig[];
  transport: TransportFactory;
  clock: Clock;
  onEvent(event: StratumEvent): void;
  log?: Log;
  random?: () => number;
  userAgent?: string;
  /** false turns mining.configure off; otherwise the mask we ask for (the pool's answer rules). */
  versionRolling?: false | { mask?: number; minBitCount?: number };
  suggestDifficulty?: number | null;
  extranonceSubscribe?: boolean;
  /** client.reconnect to a different host is obeyed only when this is set. */
  allowReconnectToOtherHost?: boolean;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** No line from the pool for this long means the connection is dead. */
  idleTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Consecutive failures on one pool before moving to the next. */
  failoverAfter?: number;
  /** While on a backup pool, try the primary again after this long. */
  returnToPrimaryMs?: number;
  maxLineBytes?: number;
  maxQueuedShares?: number;
}

export interface StratumStats extends ShareCounts {
  belowTarget: number;
  invalid: number;
  /** Milliseconds from sending the last answered share to its answer (null: none answered yet). */
  responseMs: number | null;
  reconnects: number;
  malformedMessages: number;
  overlongLines: number;
}

export type ClientState =
  | { kind: 'stopped' }
  | { kind: 'waiting'; poolIndex: number; retryAt: number }
  | { kind: 'connecting'; poolIndex: number }
  | { kind: 'subscribing'; poolIndex: number }
  | { kind: 'authorizing'; poolIndex: number }
  | { kind: 'mining'; poolIndex: number };

/** Per-pool memory of what this pool could not take, so the next attempt leaves it out. */
interface PoolMemory {
  /** Optional requests, kept or dropped by evidence (optional-request.ts). */
  configure: OptionalRequest;
  suggest: OptionalRequest;
  /** extranonce1 and session id of the last session, for resuming it. */
  lastExtranonce1: string | null;
  lastSessionId: string | null;
  /** The pool's notifies carry params past the nine defined ones (said once in the log). */
  extraNotifyParamsSeen: boolean;
}

/** Everything that lives and dies with one connection. */
interface Connection {
  readonly poolIndex: number;
  readonly endpoint: PoolEndpoint;
  readonly transport: Transport;
  readonly requests: RequestTable;
  readonly framer: LineFramer;
  connected: boolean;
  authorized: boolean;
  /** When mining.configure / mining.suggest_difficulty went out, while unanswered (evidence if the pool hangs up). */
  configureSentAt: number | null;
  suggestSentAt: number | null;
  gotJob: boolean;
  connectedAt: number;
  /** extranonce1 is known (subscribe answered); jobs before that wait in `early`. */
  subscribed: boolean;
  early: Inbound[];
  idleTimer: TimerHandle | null;
  connectTimer: TimerHandle | null;
  closed: boolean;
  /** A planned reconnect (client.reconnect, return to primary): not a failure. */
  planned: { endpoint: PoolEndpoint; delayMs: number; poolIndex: number } | null;
}

const DEFAULTS = {
  userAgent: KILOHASH_USER_AGENT,
  requestTimeoutMs: 30_000,
  connectTimeoutMs: 15_000,
  idleTimeoutMs: 600_000,
};

export class StratumClient {
  private readonly opts: StratumClientOptions;
  private readonly endpoints: PoolEndpoint[];
  private readonly memory: PoolMemory[];
  private readonly jobs = new JobBook();
  private readonly selector: PoolSelector;
  private readonly outbox: ShareOutbox;
  private conn: Connection | null = null;
  private stateValue: ClientState = { kind: 'stopped' };
  private retryTimer: TimerHandle | null = null;
  private primaryTimer: TimerHandle | null = null;
  private poolIndex = 0;
  private difficultyValue = 1;
  private versionMaskValue = 0;
  private extranonce1: Uint8Array = new Uint8Array(0);
  private extranonce1Hex = '';
  private extranonce2SizeValue = 0;
  readonly stats: StratumStats = {
    accepted: 0,
    rejected: 0,
    rejectReasons: {},
    stale: 0,
    belowTarget: 0,
    invalid: 0,
    unanswered: 0,
    sent: 0,
    acceptedDifficulty: 0,
    responseMs: null,
    reconnects: 0,
    malformedMessages: 0,
    overlongLines: 0,
  };

  constructor(options: StratumClientOptions) {
    if (options.pools.length === 0) throw new RangeError('at least one pool is needed');
    this.opts = options;
    this.endpoints = options.pools.map((p) => parsePoolUrl(p.url));
    this.selector = new PoolSelector(options.pools.length, options);
    this.outbox = new ShareOutbox({
      counts: this.stats,
      onVerdict: (share, verdict) => this.opts.onEvent({ type: 'share', share, verdict }),
      credit: (share) => Math.min(share.difficulty, this.jobs.get(share.jobId)?.difficulty ?? this.difficultyValue),
      maxQueued: options.maxQueuedShares,
    });
    this.memory = options.pools.map(() => ({
      configure: new OptionalRequest('mining.configure'),
      suggest: new OptionalRequest('mining.suggest_difficulty'),
      lastExtranonce1: null,
      lastSessionId: null,
      extraNotifyParamsSeen: false,
    }));
  }

  get state(): ClientState {
    return this.stateValue;
  }

  /** The pool difficulty in force now. */
  get difficulty(): number {
    return this.difficultyValue;
  }

  get versionMask(): number {
    return this.versionMaskValue;
  }

  get currentJob(): ActiveJob | null {
    return this.jobs.current;
  }

  get activePool(): PoolConfig {
    return this.opts.pools[this.poolIndex]!;
  }

  /** 0: the primary pool; higher: a backup. */
  get activePoolIndex(): number {
    return this.poolIndex;
  }

  get queuedShares(): number {
    return this.outbox.queued;
  }

  /** The difficulty a share of `job` must reach to be sent (job-book.ts says why both). */
  requiredDifficulty(job: ActiveJob): number {
    return requiredShareDifficulty(job, this.difficultyValue);
  }

  start(): void {
    if (this.stateValue.kind !== 'stopped') return;
    this.connect(0, this.endpoints[0]!);
  }

  stop(): void {
    this.clearTimer('retryTimer');
    this.clearTimer('primaryTimer');
    const c = this.conn;
    this.conn = null;
    this.stateValue = { kind: 'stopped' };
    if (c) this.teardown(c, 'stopped');
  }

  /**
   * Offers a share. It is sent now if the session is up, kept if not, and refused (counted) if
   * its job is gone or it misses the difficulty that applies to it. Block candidates go first.
   */
  submit(share: Share): SubmitOutcome {
    const active = this.jobs.get(share.jobId);
    if (!active) {
      this.stats.stale++;
      return { kind: 'stale', reason: 'job no longer valid' };
    }
    if (share.extranonce2.length !== active.extranonce2Size) {
      this.stats.invalid++;
      return { kind: 'invalid', reason: `extranonce2 is ${share.extranonce2.length} bytes, the pool wants ${active.extranonce2Size}` };
    }
    if (share.versionBits !== undefined && (share.versionBits & ~this.versionMaskValue) >>> 0 !== 0) {
      this.stats.invalid++;
      return { kind: 'invalid', reason: `version bits ${u32ToHex(share.versionBits)} outside the mask ${u32ToHex(this.versionMaskValue)}` };
    }
    const required = this.requiredDifficulty(active);
    if (!share.isBlockCandidate && share.difficulty < required) {
      this.stats.belowTarget++;
      return { kind: 'below-target', required };
    }
    const c = this.conn;
    if (!c || !c.authorized) {
      this.outbox.keep({ share, extranonce1: bytesToHex(active.extranonce1) });
      return { kind: 'queued' };
    }
    this.send(c, share);
    return { kind: 'sent' };
  }

  // ── connection lifecycle ────────────────────────────────────────────────────────────────

  private connect(poolIndex: number, endpoint: PoolEndpoint): void {
    this.clearTimer('retryTimer');
    this.poolIndex = poolIndex;
    const url = formatPoolUrl(endpoint);
    this.stateValue = { kind: 'connecting', poolIndex };
    this.opts.onEvent({ type: 'connecting', url, poolIndex });
    const requests = new RequestTable(this.opts.clock);
    // The connection record is filled in after the transport exists; callbacks may not fire
    // synchronously from the factory, but guard anyway by checking identity.
    let conn: Connection | null = null;
    const framer = new LineFramer(
      {
        onLine: (line) => conn && this.onLine(conn, line),
        onOverflow: (bytes) => {
          this.stats.overlongLines++;
          this.log('warn', `dropped a ${bytes}-byte line from the pool (limit ${framer.maxLineBytes})`);
        },
      },
      this.opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    );
    let transport: Transport;
    try {
      transport = this.opts.transport({
        host: endpoint.host,
        port: endpoint.port,
        tls: endpoint.tls,
        onConnect: () => conn && this.onConnect(conn),
        onData: (data) => {
          if (conn && conn === this.conn && !conn.closed) {
            this.touch(conn);
            conn.framer.push(data);
          }
        },
        onClose: (reason) => conn && this.onClose(conn, reason),
      });
    } catch (err) {
      this.failed(poolIndex, `cannot open a connection: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    conn = {
      poolIndex,
      endpoint,
      transport,
      requests,
      framer,
      connected: false,
      authorized: false,
      configureSentAt: null,
      suggestSentAt: null,
      gotJob: false,
      connectedAt: 0,
      subscribed: false,
      early: [],
      idleTimer: null,
      connectTimer: null,
      closed: false,
      planned: null,
    };
    this.conn = conn;
    const c = conn;
    c.connectTimer = this.opts.clock.setTimeout(() => {
      if (!c.connected) this.abort(c, 'connect timed out');
    }, this.opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs);
  }

  private onConnect(c: Connection): void {
    if (c !== this.conn || c.closed) return;
    c.connected = true;
    c.connectedAt = this.opts.clock.now();
    if (c.connectTimer !== null) this.opts.clock.clearTimeout(c.connectTimer);
    c.connectTimer = null;
    this.touch(c);
    this.opts.onEvent({ type: 'connected', url: formatPoolUrl(c.endpoint), poolIndex: c.poolIndex });
    this.stateValue = { kind: 'subscribing', poolIndex: c.poolIndex };
    this.difficultyValue = 1; // Stratum's default until the pool says otherwise

    const memory = this.memory[c.poolIndex]!;
    const vr = this.opts.versionRolling;
    this.versionMaskValue = 0;
    if (vr !== false && memory.configure.send) {
      c.configureSentAt = this.opts.clock.now();
      this.request(c, configureRequest(vr?.mask ?? BIP320_MASK, vr?.minBitCount ?? 2), (reply) => this.onConfigureReply(c, reply));
    }
    this.request(c, subscribeRequest(this.opts.userAgent ?? DEFAULTS.userAgent, memory.lastSessionId), (reply) => this.onSubscribeReply(c, reply));
  }

  private onConfigureReply(c: Connection, reply: Reply): void {
    if (reply.kind !== 'closed') c.configureSentAt = null;
    if (reply.kind !== 'reply') return;
    const memory = this.memory[c.poolIndex]!;
    if (reply.error) memory.configure.refused(reply.error.message);
    else memory.configure.tolerated();
    const r = reply.result as Record<string, unknown> | null;
    if (reply.error || !r || typeof r !== 'object' || r['version-rolling'] !== true) {
      this.log('info', 'pool does not offer version rolling');
      return;
    }
    try {
      this.setVersionMask(parseMask(r['version-rolling.mask']));
    } catch (err) {
      this.log('warn', `ignoring the version mask in the configure reply: ${(err as Error).message}`);
    }
  }

  private onSubscribeReply(c: Connection, reply: Reply): void {
    if (reply.kind === 'closed') return;
    if (reply.kind === 'timeout') return this.abort(c, 'no reply to mining.subscribe');
    if (reply.error) return this.abort(c, `mining.subscribe refused: ${reply.error.message}`);
    let sub;
    try {
      sub = parseSubscribeResult(reply.result);
    } catch (err) {
      return this.abort(c, `bad mining.subscribe reply: ${(err as Error).message}`);
    }
    const memory = this.memory[c.poolIndex]!;
    const en1 = bytesToHex(sub.extranonce1);
    // The same extranonce1 from the same pool means the pool resumed our session: jobs it sent
    // before the reconnect are still its jobs, so shares kept for them can still go.
    const resumed =
      memory.lastExtranonce1 === en1 && this.extranonce1Hex === en1 && this.extranonce2SizeValue === sub.extranonce2Size && this.jobs.size > 0;
    if (!resumed) {
      this.jobs.clear();
      this.opts.onEvent({ type: 'jobs-reset' });
    }
    memory.lastExtranonce1 = en1;
    memory.lastSessionId = sub.sessionId;
    this.extranonce1 = sub.extranonce1;
    this.extranonce1Hex = en1;
    this.extranonce2SizeValue = sub.extranonce2Size;
    this.opts.onEvent({ type: 'subscribed', extranonce1: en1, extranonce2Size: sub.extranonce2Size, resumed });
    this.stateValue = { kind: 'authorizing', poolIndex: c.poolIndex };
    c.subscribed = true;
    // A job that overtook the subscribe reply could not know its extranonce1: use it now.
    for (const m of c.early.splice(0)) this.handle(c, m);

    if (this.opts.extranonceSubscribe) this.request(c, extranonceSubscribeRequest(), () => undefined);
    // Before authorize: public-pool takes the suggestion only then (and never answers it).
    const suggest = this.opts.suggestDifficulty;
    if (suggest && memory.suggest.send) {
      c.suggestSentAt = this.opts.clock.now();
      this.request(c, suggestDifficultyRequest(suggest), (r) => {
        if (r.kind !== 'closed') c.suggestSentAt = null;
        if (r.kind !== 'reply') return;
        if (r.error || r.result === false) {
          memory.suggest.refused(r.error?.message ?? 'result false');
          this.log('info', 'pool declined the suggested difficulty; not sending it again');
        } else memory.suggest.tolerated();
      });
    }
    const pool = this.opts.pools[c.poolIndex]!;
    this.request(c, authorizeRequest(pool.user, pool.password ?? 'x'), (r) => this.onAuthorizeReply(c, r));
  }

  private onAuthorizeReply(c: Connection, reply: Reply): void {
    if (reply.kind === 'closed') return;
    const user = this.opts.pools[c.poolIndex]!.user;
    if (reply.kind === 'timeout') return this.abort(c, 'no reply to mining.authorize');
    if (reply.error || reply.result !== true) {
      this.opts.onEvent({ type: 'auth-failed', user, error: reply.error });
      c.suggestSentAt = c.configureSentAt = null; // the close that follows is ours
      return this.abort(c, `authorization refused for '${user}'${reply.error ? `: ${reply.error.message}` : ''}`);
    }
    c.authorized = true;
    this.stateValue = { kind: 'mining', poolIndex: c.poolIndex };
    this.opts.onEvent({ type: 'authorized', user });
    this.outbox.flush(
      (q) => q.extranonce1 === this.extranonce1Hex && this.jobs.get(q.share.jobId) !== undefined,
      (share) => this.send(c, share),
    );
    const stay = this.selector.stayOnBackupMs(c.poolIndex);
    if (stay !== null) this.scheduleReturnToPrimary(stay);
  }

  /** `byPool`: the pool (or the network) ended it, not we. */
  private onClose(c: Connection, reason: string, byPool = true): void {
    if (c.closed) return;
    c.closed = true;
    this.cleanupConnection(c);
    if (c !== this.conn) return;
    this.conn = null;
    if (this.stateValue.kind === 'stopped') return;
    // Pools that do not know a method sometimes hang up instead of answering: the optional
    // requests weigh the evidence (optional-request.ts) before leaving one out.
    if (byPool) {
      const memory = this.memory[c.poolIndex]!;
      const now = this.opts.clock.now();
      const lived = c.connected ? now - c.connectedAt : 0;
      // A hang-up counts against a request only while the pool was still on it: before the
      // reply to the request sent after it (subscribe after configure, authorize after suggest).
      const pendingFor = (sentAt: number | null, passed: boolean) => (sentAt === null || passed ? undefined : now - sentAt);
      const verdicts = [
        memory.configure.connectionClosed(pendingFor(c.configureSentAt, c.subscribed), lived, c.gotJob),
        memory.suggest.connectionClosed(pendingFor(c.suggestSentAt, c.authorized), lived, c.gotJob),
      ];
      for (const v of verdicts) if (v) this.log('info', v);
    }
    if (c.planned) {
      const p = c.planned;
      this.opts.onEvent({ type: 'disconnected', reason, retryInMs: p.delayMs });
      this.stats.reconnects++;
      this.scheduleConnect(p.poolIndex, p.endpoint, p.delayMs);
      return;
    }
    if (c.connected) this.selector.sessionEnded(this.opts.clock.now() - c.connectedAt, c.authorized && c.gotJob);
    this.failed(c.poolIndex, reason);
  }

  private failed(poolIndex: number, reason: string): void {
    const next = this.selector.failed(poolIndex);
    if (next.failover) this.opts.onEvent({ type: 'failover', ...next.failover, reason });
    this.opts.onEvent({ type: 'disconnected', reason, retryInMs: next.delayMs });
    this.stats.reconnects++;
    this.scheduleConnect(next.poolIndex, this.endpoints[next.poolIndex]!, next.delayMs);
  }

  private scheduleConnect(poolIndex: number, endpoint: PoolEndpoint, delayMs: number): void {
    this.clearTimer('retryTimer');
    this.stateValue = { kind: 'waiting', poolIndex, retryAt: this.opts.clock.now() + delayMs };
    this.retryTimer = this.opts.clock.setTimeout(() => {
      this.retryTimer = null;
      if (this.stateValue.kind === 'waiting') this.connect(poolIndex, endpoint);
    }, delayMs);
  }

  private scheduleReturnToPrimary(afterMs: number): void {
    if (this.primaryTimer !== null) return;
    this.primaryTimer = this.opts.clock.setTimeout(() => {
      this.primaryTimer = null;
      const c = this.conn;
      if (!c || c.poolIndex === 0) return;
      this.log('info', 'trying the primary pool again');
      c.planned = { endpoint: this.endpoints[0]!, delayMs: 0, poolIndex: 0 };
      this.selector.returningToPrimary();
      this.teardown(c, 'returning to the primary pool');
    }, afterMs);
  }

  /** Ends a connection on our side; onClose does the bookkeeping. */
  private abort(c: Connection, reason: string): void {
    this.log('warn', reason);
    this.teardown(c, reason);
  }

  private teardown(c: Connection, reason: string): void {
    try {
      c.transport.close();
    } catch {
      // already closed
    }
    // Transports report the close asynchronously or not at all after close(): settle it here.
    this.onClose(c, reason, false);
  }

  private cleanupConnection(c: Connection): void {
    if (c.idleTimer !== null) this.opts.clock.clearTimeout(c.idleTimer);
    if (c.connectTimer !== null) this.opts.clock.clearTimeout(c.connectTimer);
    c.idleTimer = c.connectTimer = null;
    c.framer.reset();
    c.requests.closeAll();
    this.outbox.connectionEnded();
  }

  private touch(c: Connection): void {
    if (c.idleTimer !== null) this.opts.clock.clearTimeout(c.idleTimer);
    c.idleTimer = this.opts.clock.setTimeout(
      () => this.abort(c, 'no data from the pool for too long'),
      this.opts.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    );
  }

  private clearTimer(which: 'retryTimer' | 'primaryTimer'): void {
    const t = this[which];
    if (t !== null) this.opts.clock.clearTimeout(t);
    this[which] = null;
  }

  // ── messages ───────────────────────────────────────────────────────────────────────────

  private onLine(c: Connection, line: string): void {
    if (c !== this.conn || c.closed) return;
    const msg = parseInbound(line);
    this.handle(c, msg);
  }

  private handle(c: Connection, msg: Inbound): void {
    match(msg)
      .with({ kind: 'response' }, (m) => {
        if (c.requests.resolve(m.id, m.result, m.error)) return;
        if (this.outbox.lateReply(m.id, m.result, m.error)) return;
        this.log('debug', `reply to unknown or finished request id ${String(m.id)}`);
      })
      .with({ kind: 'notify' }, (m) => {
        const memory = this.memory[c.poolIndex]!;
        if (m.extraParams > 0 && !memory.extraNotifyParamsSeen) {
          memory.extraNotifyParamsSeen = true;
          this.log('info', `pool sends ${m.extraParams} extra mining.notify param(s) after the nine defined ones; ignoring them`);
        }
        if (!c.subscribed) {
          if (c.early.length < 4) c.early.push(m);
          return;
        }
        if (!c.gotJob) {
          for (const v of [memory.configure.survivedWithout(), memory.suggest.survivedWithout()]) if (v) this.log('info', v);
        }
        c.gotJob = true;
        const active: ActiveJob = {
          job: m.job,
          extranonce1: this.extranonce1,
          extranonce2Size: this.extranonce2SizeValue,
          difficulty: this.difficultyValue,
          versionMask: this.versionMaskValue,
          receivedAt: this.opts.clock.now(),
        };
        this.jobs.add(active);
        this.opts.onEvent({ type: 'job', job: active, clean: m.job.cleanJobs });
      })
      .with({ kind: 'set_difficulty' }, (m) => {
        this.difficultyValue = m.difficulty;
        this.opts.onEvent({ type: 'difficulty', difficulty: m.difficulty });
      })
      .with({ kind: 'set_version_mask' }, (m) => this.setVersionMask(m.mask))
      .with({ kind: 'set_extranonce' }, (m) => {
        // Applies to jobs from now on; the pool follows it with a fresh notify.
        this.extranonce1 = m.extranonce1;
        this.extranonce1Hex = bytesToHex(m.extranonce1);
        this.extranonce2SizeValue = m.extranonce2Size;
        this.memory[c.poolIndex]!.lastExtranonce1 = this.extranonce1Hex;
        this.log('info', `pool set extranonce1 ${this.extranonce1Hex} (extranonce2 ${m.extranonce2Size} bytes)`);
      })
      .with({ kind: 'reconnect' }, (m) => this.onReconnectRequest(c, m))
      .with({ kind: 'show_message' }, (m) => this.opts.onEvent({ type: 'message', text: m.text.slice(0, 512) }))
      .with({ kind: 'get_version' }, (m) => this.write(c, resultReply(m.id, this.opts.userAgent ?? DEFAULTS.userAgent)))
      .with({ kind: 'ping' }, (m) => this.write(c, resultReply(m.id, 'pong')))
      .with({ kind: 'unknown' }, (m) => {
        this.log('info', `ignoring unknown method ${m.method.slice(0, 64)}`);
        if (m.id !== null) this.write(c, methodNotFoundReply(m.id));
      })
      .with({ kind: 'malformed' }, (m) => {
        this.stats.malformedMessages++;
        this.log('warn', `ignoring a malformed message: ${m.reason.slice(0, 200)}`);
      })
      .exhaustive();
  }

  private onReconnectRequest(c: Connection, m: { host: string | null; port: number | null; waitSeconds: number }): void {
    let endpoint = c.endpoint;
    if (m.host !== null && m.host !== c.endpoint.host) {
      if (!this.opts.allowReconnectToOtherHost) {
        this.log('warn', `pool asked to reconnect to ${m.host}; staying on ${c.endpoint.host} (not allowed in settings)`);
      } else {
        endpoint = { host: m.host, port: m.port ?? c.endpoint.port, tls: c.endpoint.tls };
      }
    } else if (m.port !== null) {
      endpoint = { ...c.endpoint, port: m.port };
    }
    this.log('info', `pool asked us to reconnect to ${formatPoolUrl(endpoint)} in ${m.waitSeconds} s`);
    c.planned = { endpoint, delayMs: m.waitSeconds * 1000, poolIndex: c.poolIndex };
    this.teardown(c, 'client.reconnect');
  }

  private setVersionMask(mask: number): void {
    this.versionMaskValue = mask >>> 0;
    this.opts.onEvent({ type: 'version-mask', mask: this.versionMaskValue });
  }

  // ── shares ─────────────────────────────────────────────────────────────────────────────

  private send(c: Connection, share: Share): void {
    this.outbox.sent();
    const sentAt = this.opts.clock.now();
    const id = this.request(c, submitRequest(this.opts.pools[c.poolIndex]!.user, share), (reply) =>
      match(reply)
        .with({ kind: 'reply' }, (r) => {
          this.stats.responseMs = this.opts.clock.now() - sentAt;
          this.outbox.settle(share, submitVerdict(r.result, r.error));
        })
        .with({ kind: 'timeout' }, () => this.outbox.timedOut(id, { share, extranonce1: this.extranonce1Hex }))
        // The connection died with the share in flight: we cannot know whether the pool got
        // it, so it goes again after the reconnect (a duplicate reject beats a lost share).
        .with({ kind: 'closed' }, () => this.outbox.keep({ share, extranonce1: this.extranonce1Hex }))
        .exhaustive(),
    );
  }

  // ── wire ───────────────────────────────────────────────────────────────────────────────

  private request(c: Connection, req: OutboundRequest, settle: (reply: Reply) => void): number {
    const id = c.requests.open(req.method, this.opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs, settle);
    this.write(c, { id, method: req.method, params: req.params });
    return id;
  }

  private write(c: Connection, msg: unknown): void {
    if (c.closed) return;
    try {
      c.transport.write(encodeUtf8(JSON.stringify(msg) + '\n'));
    } catch (err) {
      this.abort(c, `write failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private log(level: Parameters<Log>[0], text: string): void {
    this.opts.log?.(level, text);
  }
}
