/**
 * The local Stratum v1 pool: a real server for the classroom demo and for tests. It builds
 * real jobs (BIP34 coinbase paying the configured address, merkle branch of a synthetic
 * template), validates every share fully (re-hash, target, duplicate, stale, ntime window,
 * version bits inside the mask), runs vardiff, and keeps a simulated chain that retargets.
 * `quirks` make it behave like the pools a miner meets in the wild, for testing the client.
 */
import net from 'node:net';
import { EventEmitter } from 'node:events';
import { bytesToHex, hexToBytes, toDisplayHex, u32ToHex } from '../../src/work/bytes.ts';
import { buildHeader, headerPrevHashToStratum, jobWork, type MiningJob } from '../../src/work/job.ts';
import { sha256d } from '../../src/work/sha256.ts';
import { difficultyToTarget, hashMeetsTarget, hashToDifficulty } from '../../src/work/target.ts';
import { rebuildVersion, type VersionRule } from '../../src/work/version-rolling.ts';
import { LineFramer } from '../../src/stratum/line-framer.ts';
import type { Clock, TimerHandle } from '../../src/platform/interfaces.ts';
import { decodeAddress } from './address.ts';
import { buildCoinbaseParts } from './coinbase.ts';
import { SimulatedChain, type BlockRecord, type ChainOptions, type RetargetRecord } from './chain.ts';
import { merkleBranchForCoinbase, randomTxids } from './template.ts';
import { Vardiff, type VardiffOptions } from './vardiff.ts';
import { parseWorkerPassword, type WorkerDeclaration } from './worker-password.ts';

export type ErrorStyle = 'array' | 'pair' | 'string' | 'jsonrpc2' | 'reject-reason';

export interface PoolQuirks {
  /** How errors are shaped on the wire (pools disagree). */
  errorStyle: ErrorStyle;
  /** `pairs`: [[[set_difficulty,id],[notify,id]],…]; `single-pair`: [[notify,id],…]; `null`: [null,…]. */
  subscribeShape: 'pairs' | 'single-pair' | 'null';
  /**
   * `silent`: as public-pool does, take a suggestion made before authorize without answering
   * it, and start a worker that made none at `unsuggestedDifficulty`.
   */
  suggestDifficulty: 'answer' | 'ignore' | 'close' | 'silent';
  /** With `suggestDifficulty: 'silent'`: where a worker that suggested nothing starts (public-pool: 16384). */
  unsuggestedDifficulty: number;
  configure: 'answer' | 'unknown' | 'close';
  /** Send mining.set_version_mask as soon as the miner connects, before any reply. */
  earlyVersionMask: boolean;
  /** Send set_difficulty + notify right after subscribe, before the authorize reply (ckpool). */
  jobsBeforeAuthorize: boolean;
  /** Delay every reply by this many ms (notifications are not delayed). */
  replyDelayMs: number;
  /** How a submitted version field becomes the header version: public-pool XORs, ckpool ORs. */
  versionRule: VersionRule;
}

export const DEFAULT_QUIRKS: PoolQuirks = {
  errorStyle: 'array',
  subscribeShape: 'pairs',
  suggestDifficulty: 'answer',
  unsuggestedDifficulty: 16384,
  configure: 'answer',
  earlyVersionMask: false,
  jobsBeforeAuthorize: true,
  replyDelayMs: 0,
  versionRule: 'xor',
};

export interface PoolOptions {
  host?: string;
  port?: number;
  /** The address the coinbase pays. */
  address: string;
  /** Initial share difficulty (fractional allowed). */
  difficulty: number;
  vardiff?: VardiffOptions | false;
  extranonce1Size?: number;
  extranonce2Size?: number;
  /** Version bits miners may roll; 0 turns version rolling off. */
  versionMask?: number;
  /** The block version every job carries (default 0x20000000; regtest signals 0x30000000). */
  jobVersion?: number;
  chain: Omit<ChainOptions, 'now' | 'startHeight'>;
  transactions?: number;
  jobIntervalSeconds?: number;
  ntimeWindowSeconds?: number;
  /** `address`: the username (before any '.worker') must be a valid address, as on solo pools. */
  auth?: 'any' | 'address';
  tag?: string;
  quirks?: Partial<PoolQuirks>;
  /**
   * Time and timers, `now()` in milliseconds since the epoch (ntime is made from it). Default:
   * the wall clock. A soak test passes a fake clock and connects miners with `attach`.
   */
  clock?: Clock;
}

/** One miner's connection as the pool writes to it: a TCP socket, or an in-memory one. */
export interface PoolSocket {
  write(text: string): void;
  destroy(): void;
  readonly destroyed: boolean;
}

/** What the pool side of an attached connection is given: the miner's bytes, and its close. */
export interface PoolSocketInput {
  data(bytes: Uint8Array): void;
  closed(): void;
}

const WALL_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export type PoolEvent =
  | { event: 'listening'; host: string; port: number }
  | { event: 'connect'; client: number; remote: string }
  | { event: 'disconnect'; client: number; reason: string }
  | { event: 'subscribe'; client: number; agent: string; extranonce1: string }
  | ({ event: 'authorize'; client: number; worker: string; ok: boolean; reason?: string } & WorkerDeclaration)
  | { event: 'difficulty'; client: number; difficulty: number }
  | { event: 'job'; jobId: string; height: number; clean: boolean; networkDifficulty: number }
  | { event: 'share'; client: number; worker: string; jobId: string; accepted: boolean; reason?: string; difficulty: number; shareDifficulty: number }
  | ({ event: 'block'; client: number } & BlockRecord)
  | ({ event: 'retarget' } & RetargetRecord)
  | { event: 'protocol-error'; client: number; reason: string };

interface PoolJob {
  id: string;
  height: number;
  job: MiningJob;
  createdAt: number;
}

interface Client {
  id: number;
  socket: PoolSocket;
  extranonce1: Uint8Array;
  subscribed: boolean;
  workers: Set<string>;
  versionMask: number;
  difficulty: number;
  /** A difficulty was suggested before authorize (the `silent` quirk). */
  suggested: boolean;
  /** Difficulty in force when each job was sent to this client. */
  jobDifficulty: Map<string, number>;
  seen: Set<string>;
  vardiff: Vardiff | null;
  accepted: number;
  rejected: number;
}

const MAX_JOBS = 32;

export class LocalPool extends EventEmitter {
  readonly opts: Required<Omit<PoolOptions, 'quirks' | 'vardiff' | 'clock'>> & { vardiff: VardiffOptions | false; quirks: PoolQuirks };
  /** The pool's time and timers (ms since the epoch): the wall clock, or a test's. */
  readonly clock: Clock;
  /** The share difficulty new connections start at (the option, until changeDifficulty). */
  private difficulty: number;
  readonly chain: SimulatedChain;
  private server: net.Server | null = null;
  private readonly clients = new Map<number, Client>();
  private readonly jobs = new Map<string, PoolJob>();
  private nextClientId = 1;
  private nextJobId = 1;
  /** The repeating timers, each holding its next firing's handle. */
  private readonly timers: Record<'job' | 'vardiff', TimerHandle | null> = { job: null, vardiff: null };
  private payoutScript: Uint8Array;
  private txids: Uint8Array[] = [];
  private branch: Uint8Array[] = [];
  private lastNtime = 0;

  constructor(options: PoolOptions) {
    super();
    const en1 = options.extranonce1Size ?? 4;
    const en2 = options.extranonce2Size ?? 4;
    if (!Number.isInteger(en1) || en1 < 0 || en1 > 16) throw new RangeError('extranonce1 size must be 0..16');
    if (!Number.isInteger(en2) || en2 < 0 || en2 > 16) throw new RangeError('extranonce2 size must be 0..16');
    if (!(options.difficulty > 0) || !Number.isFinite(options.difficulty)) throw new RangeError('difficulty must be above 0');
    const decoded = decodeAddress(options.address);
    if (!decoded) throw new RangeError(`not a Bitcoin address: '${options.address}'`);
    this.payoutScript = decoded.script;
    this.opts = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 3333,
      address: options.address,
      difficulty: options.difficulty,
      vardiff: options.vardiff ?? false,
      extranonce1Size: en1,
      extranonce2Size: en2,
      versionMask: options.versionMask ?? 0x1fffe000,
      jobVersion: options.jobVersion ?? 0x20000000,
      chain: options.chain,
      transactions: options.transactions ?? 12,
      jobIntervalSeconds: options.jobIntervalSeconds ?? 30,
      ntimeWindowSeconds: options.ntimeWindowSeconds ?? 7200,
      auth: options.auth ?? 'address',
      tag: options.tag ?? '/kilohash/',
      quirks: { ...DEFAULT_QUIRKS, ...options.quirks },
    };
    this.clock = options.clock ?? WALL_CLOCK;
    this.difficulty = options.difficulty;
    this.chain = new SimulatedChain({ ...options.chain, now: () => this.clock.now() / 1000 });
    this.newTemplate();
  }

  /** Starts listening; resolves with the bound port (use port 0 for any free port). */
  async start(): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    const port = (server.address() as net.AddressInfo).port;
    this.emitEvent({ event: 'listening', host: this.opts.host, port });
    this.begin();
    return port;
  }

  /**
   * Starts making jobs (and running vardiff) without listening: for miners connected with
   * `attach`. `start()` calls it; after `halt()` it starts the pool afresh, as a restart does.
   */
  begin(): void {
    if (this.timers.job !== null) return; // already running: a second set of timers would double the jobs
    this.makeJob(true);
    this.every('job', this.opts.jobIntervalSeconds * 1000, () => this.makeJob(false));
    if (this.opts.vardiff) this.every('vardiff', Math.max(1000, this.opts.vardiff.windowSeconds * 500), () => this.vardiffTick());
  }

  /** Stops making jobs and drops every miner (the TCP listener, if any, stays). */
  halt(): void {
    for (const k of ['job', 'vardiff'] as const) {
      if (this.timers[k] !== null) this.clock.clearTimeout(this.timers[k]);
      this.timers[k] = null;
    }
    for (const c of this.clients.values()) c.socket.destroy();
    this.clients.clear();
  }

  async stop(): Promise<void> {
    this.halt();
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** A repeating timer on the pool's clock (the Clock interface has one-shot timers only). */
  private every(name: 'job' | 'vardiff', ms: number, fn: () => void): void {
    const tick = () => {
      this.timers[name] = this.clock.setTimeout(tick, ms);
      fn();
    };
    this.timers[name] = this.clock.setTimeout(tick, ms);
  }

  get port(): number {
    return (this.server?.address() as net.AddressInfo | null)?.port ?? 0;
  }

  get connectedClients(): number {
    return this.clients.size;
  }

  /** Sends client.reconnect to every miner (tests, and a pool going down for maintenance). */
  reconnectAll(waitSeconds = 0, host?: string, port?: number): void {
    for (const c of this.clients.values()) {
      this.send(c, { id: null, method: 'client.reconnect', params: host ? [host, port ?? this.port, waitSeconds] : [] });
    }
  }

  /** Drops every miner's connection from the pool's side, as a network blip or restart would. */
  dropConnections(): void {
    for (const c of this.clients.values()) c.socket.destroy();
  }

  /** Sets every miner's share difficulty (with a new job, as vardiff does), and new miners'. */
  changeDifficulty(d: number): void {
    if (!(d > 0) || !Number.isFinite(d)) throw new RangeError('difficulty must be above 0');
    this.difficulty = d;
    for (const c of this.clients.values()) this.setDifficulty(c, d, false);
    this.makeJob(false);
  }

  showMessage(text: string): void {
    for (const c of this.clients.values()) this.send(c, { id: null, method: 'client.show_message', params: [text] });
  }

  /** Forces a new job to every miner (a new block template, or just fresher ntime). */
  makeJob(clean: boolean): PoolJob {
    const now = Math.floor(this.clock.now() / 1000);
    const ntime = Math.max(now, this.lastNtime);
    this.lastNtime = ntime;
    const { coinb1, coinb2 } = buildCoinbaseParts({
      height: this.chain.height,
      extranonceSize: this.opts.extranonce1Size + this.opts.extranonce2Size,
      tag: this.opts.tag,
      payoutScript: this.payoutScript,
      valueSats: this.chain.subsidySats,
    });
    const id = (this.nextJobId++).toString(16);
    const job: MiningJob = {
      jobId: id,
      prevHash: this.chain.tip,
      coinb1,
      coinb2,
      merkleBranch: this.branch,
      version: this.opts.jobVersion,
      nbits: this.chain.nbits,
      ntime,
      cleanJobs: clean,
    };
    if (clean) this.jobs.clear();
    this.jobs.set(id, { id, height: this.chain.height, job, createdAt: now });
    while (this.jobs.size > MAX_JOBS) this.jobs.delete(this.jobs.keys().next().value as string);
    this.emitEvent({ event: 'job', jobId: id, height: this.chain.height, clean, networkDifficulty: this.chain.difficulty });
    for (const c of this.clients.values()) if (c.subscribed) this.sendJob(c, this.jobs.get(id)!);
    return this.jobs.get(id)!;
  }

  private newTemplate(): void {
    this.txids = randomTxids(this.opts.transactions);
    this.branch = merkleBranchForCoinbase(this.txids);
  }

  // ── connections ────────────────────────────────────────────────────────────────────────

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    const input = this.attach(socket, `${socket.remoteAddress}:${socket.remotePort}`);
    socket.on('data', (d: Buffer) => input.data(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
    socket.on('error', () => undefined);
    socket.on('close', () => input.closed());
  }

  /** Connects a miner over any byte stream (`accept` does it for TCP; tests in memory). */
  attach(socket: PoolSocket, remote: string): PoolSocketInput {
    const id = this.nextClientId++;
    const en1 = new Uint8Array(this.opts.extranonce1Size);
    // A distinct extranonce1 per connection (the low bytes of the client id), so miners never
    // search the same coinbase space.
    for (let i = 0, v = id; i < en1.length; i++, v = Math.floor(v / 256)) en1[en1.length - 1 - i] = v & 0xff;
    const client: Client = {
      id,
      socket,
      extranonce1: en1,
      subscribed: false,
      workers: new Set(),
      versionMask: 0,
      difficulty: this.difficulty,
      suggested: false,
      jobDifficulty: new Map(),
      seen: new Set(),
      vardiff: this.opts.vardiff ? new Vardiff(this.opts.vardiff, this.clock.now() / 1000) : null,
      accepted: 0,
      rejected: 0,
    };
    this.clients.set(id, client);
    this.emitEvent({ event: 'connect', client: id, remote });
    const framer = new LineFramer({
      onLine: (line) => this.onLine(client, line),
      onOverflow: (n) => this.protocolError(client, `line of ${n} bytes is over the limit`),
    });
    if (this.opts.quirks.earlyVersionMask && this.opts.versionMask) {
      this.send(client, { id: null, method: 'mining.set_version_mask', params: [u32ToHex(this.opts.versionMask)] });
    }
    let closed = false;
    return {
      data: (bytes) => { if (!closed) framer.push(bytes); },
      closed: () => {
        if (closed) return;
        closed = true;
        this.clients.delete(id);
        this.emitEvent({ event: 'disconnect', client: id, reason: 'closed' });
      },
    };
  }

  private onLine(c: Client, line: string): void {
    let msg: { id?: unknown; method?: unknown; params?: unknown };
    try {
      msg = JSON.parse(line);
    } catch {
      return this.protocolError(c, 'not JSON');
    }
    if (msg === null || typeof msg !== 'object') return this.protocolError(c, 'not an object');
    const id = (msg.id ?? null) as number | string | null;
    const params = Array.isArray(msg.params) ? (msg.params as unknown[]) : [];
    switch (msg.method) {
      case 'mining.configure':
        return this.onConfigure(c, id, params);
      case 'mining.subscribe':
        return this.onSubscribe(c, id, params);
      case 'mining.authorize':
        return this.onAuthorize(c, id, params);
      case 'mining.extranonce.subscribe':
        return this.reply(c, id, true);
      case 'mining.suggest_difficulty':
        return this.onSuggest(c, id, params);
      case 'mining.submit':
        return this.onSubmit(c, id, params);
      default:
        if (msg.method === undefined) return; // a reply to something we sent (e.g. get_version)
        return this.error(c, id, 20, `Method '${String(msg.method).slice(0, 40)}' not found`);
    }
  }

  private onConfigure(c: Client, id: number | string | null, params: unknown[]): void {
    const q = this.opts.quirks.configure;
    if (q === 'close') return void c.socket.destroy();
    if (q === 'unknown') return this.error(c, id, 20, "Method 'mining.configure' not found");
    const exts = Array.isArray(params[0]) ? (params[0] as unknown[]) : [];
    const args = (params[1] ?? {}) as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    if (exts.includes('version-rolling')) {
      const requested = typeof args['version-rolling.mask'] === 'string' ? Number.parseInt(args['version-rolling.mask'] as string, 16) >>> 0 : 0xffffffff;
      const granted = (requested & this.opts.versionMask) >>> 0;
      c.versionMask = granted;
      result['version-rolling'] = granted !== 0;
      if (granted) result['version-rolling.mask'] = u32ToHex(granted);
    }
    this.reply(c, id, result);
  }

  private onSubscribe(c: Client, id: number | string | null, params: unknown[]): void {
    const en1 = bytesToHex(c.extranonce1);
    const subId = `${c.id.toString(16)}`;
    const subs = pick(this.opts.quirks.subscribeShape, {
      pairs: [['mining.set_difficulty', subId], ['mining.notify', subId]],
      'single-pair': ['mining.notify', subId],
      null: null,
    });
    c.subscribed = true;
    this.emitEvent({ event: 'subscribe', client: c.id, agent: String(params[0] ?? ''), extranonce1: en1 });
    this.reply(c, id, [subs, en1, this.opts.extranonce2Size]);
    if (this.opts.quirks.jobsBeforeAuthorize) this.sendWork(c);
  }

  private onAuthorize(c: Client, id: number | string | null, params: unknown[]): void {
    const worker = typeof params[0] === 'string' ? params[0] : '';
    const address = worker.split('.')[0] ?? '';
    if (!c.subscribed) return this.error(c, id, 25, 'Not subscribed');
    if (this.opts.auth === 'address' && !decodeAddress(address)) {
      this.emitEvent({ event: 'authorize', client: c.id, worker, ok: false, reason: 'invalid address' });
      return this.error(c, id, 24, `Invalid Bitcoin address '${address.slice(0, 100)}'`);
    }
    c.workers.add(worker);
    if (this.opts.quirks.suggestDifficulty === 'silent' && !c.suggested) c.difficulty = this.opts.quirks.unsuggestedDifficulty;
    this.emitEvent({ event: 'authorize', client: c.id, worker, ok: true, ...parseWorkerPassword(params[1]) });
    this.reply(c, id, true);
    if (!this.opts.quirks.jobsBeforeAuthorize) this.sendWork(c);
  }

  private onSuggest(c: Client, id: number | string | null, params: unknown[]): void {
    const q = this.opts.quirks.suggestDifficulty;
    if (q === 'close') return void c.socket.destroy();
    if (q === 'ignore') return;
    const d = Number(params[0]);
    if (q === 'silent') {
      // Taken before authorize only, never answered (public-pool).
      if (c.workers.size === 0 && d > 0 && Number.isFinite(d)) {
        c.suggested = true;
        c.difficulty = d;
      }
      return;
    }
    if (!(d > 0) || !Number.isFinite(d)) return this.error(c, id, 20, 'Invalid difficulty');
    this.reply(c, id, true);
    if (d !== c.difficulty) this.setDifficulty(c, d, true);
  }

  private sendWork(c: Client): void {
    this.send(c, { id: null, method: 'mining.set_difficulty', params: [c.difficulty] });
    const jobs = [...this.jobs.values()];
    const latest = jobs[jobs.length - 1];
    if (latest) this.sendJob(c, latest, true);
  }

  private sendJob(c: Client, j: PoolJob, forceClean = false): void {
    c.jobDifficulty.set(j.id, c.difficulty);
    if (c.jobDifficulty.size > MAX_JOBS * 2) c.jobDifficulty.delete(c.jobDifficulty.keys().next().value as string);
    const job = j.job;
    this.send(c, {
      id: null,
      method: 'mining.notify',
      params: [
        job.jobId,
        bytesToHex(headerPrevHashToStratum(job.prevHash)),
        bytesToHex(job.coinb1),
        bytesToHex(job.coinb2),
        job.merkleBranch.map(bytesToHex),
        u32ToHex(job.version),
        u32ToHex(job.nbits),
        u32ToHex(job.ntime),
        job.cleanJobs || forceClean,
      ],
    });
  }

  private setDifficulty(c: Client, d: number, withJob: boolean): void {
    c.difficulty = d;
    this.send(c, { id: null, method: 'mining.set_difficulty', params: [d] });
    this.emitEvent({ event: 'difficulty', client: c.id, difficulty: d });
    // A difficulty binds to the jobs sent after it, so it takes effect with a new job id;
    // re-sending an old id would retroactively raise the bar for shares already in flight.
    if (withJob) this.makeJob(false);
  }

  private vardiffTick(): void {
    const now = this.clock.now() / 1000;
    for (const c of this.clients.values()) {
      const next = c.vardiff?.evaluate(c.difficulty, now);
      if (next) this.setDifficulty(c, next, true);
    }
  }

  // ── shares ─────────────────────────────────────────────────────────────────────────────

  private onSubmit(c: Client, id: number | string | null, params: unknown[]): void {
    const [worker, jobId, en2Hex, ntimeHex, nonceHex, versionHex] = params;
    const reject = (code: number, reason: string, shareDifficulty = 0): void => {
      c.rejected++;
      this.emitEvent({ event: 'share', client: c.id, worker: String(worker), jobId: String(jobId), accepted: false, reason, difficulty: c.difficulty, shareDifficulty });
      this.error(c, id, code, reason);
    };
    if (typeof worker !== 'string' || !c.workers.has(worker)) return reject(24, 'Unauthorized worker');
    if (params.length < 5 || params.length > 6) return reject(20, `Expected 5 or 6 params, got ${params.length}`);
    const pj = typeof jobId === 'string' ? this.jobs.get(jobId) : undefined;
    if (!pj || !c.jobDifficulty.has(pj.id)) return reject(21, 'Stale');
    const hex = (v: unknown, bytes: number) => typeof v === 'string' && v.length === bytes * 2 && /^[0-9a-f]*$/.test(v);
    if (!hex(en2Hex, this.opts.extranonce2Size)) return reject(20, `Invalid extranonce2 (want ${this.opts.extranonce2Size} bytes of lowercase hex)`);
    if (!hex(ntimeHex, 4)) return reject(20, 'Invalid ntime');
    if (!hex(nonceHex, 4)) return reject(20, 'Invalid nonce');
    const ntime = Number.parseInt(ntimeHex as string, 16);
    const now = Math.floor(this.clock.now() / 1000);
    if (ntime < pj.job.ntime || ntime > now + this.opts.ntimeWindowSeconds) return reject(20, 'Ntime out of range');
    let version = pj.job.version;
    if (versionHex !== undefined) {
      if (!hex(versionHex, 4)) return reject(20, 'Invalid version bits');
      const bits = Number.parseInt(versionHex as string, 16) >>> 0;
      if (c.versionMask === 0 || (bits & ~c.versionMask) >>> 0 !== 0) return reject(20, 'Invalid version bits');
      version = rebuildVersion(version, bits, c.versionMask, this.opts.quirks.versionRule);
    }
    const key = `${pj.id}:${bytesToHex(c.extranonce1)}:${en2Hex}:${ntimeHex}:${nonceHex}:${version}`;
    if (c.seen.has(key)) return reject(22, 'Duplicate share');
    const work = jobWork(pj.job, c.extranonce1, hexToBytes(en2Hex));
    const header = buildHeader({ ...pj.job, version, merkleRoot: work.merkleRoot, ntime, nonce: Number.parseInt(nonceHex as string, 16) >>> 0 });
    const hash = sha256d(header);
    const shareDifficulty = hashToDifficulty(hash);
    const required = c.jobDifficulty.get(pj.id)!;
    if (!hashMeetsTarget(hash, difficultyToTarget(required))) return reject(23, 'Low difficulty share', shareDifficulty);
    c.seen.add(key);
    if (c.seen.size > 100_000) c.seen.clear();
    c.accepted++;
    this.emitEvent({ event: 'share', client: c.id, worker, jobId: pj.id, accepted: true, difficulty: required, shareDifficulty });
    this.reply(c, id, true);
    if (pj.height === this.chain.height && hashMeetsTarget(hash, this.chain.target)) this.foundBlock(hash, c, worker);
    const next = c.vardiff?.onShare(required, this.clock.now() / 1000);
    if (next) this.setDifficulty(c, next, true);
  }

  private foundBlock(hash: Uint8Array, c: Client, worker: string): void {
    const retarget = this.chain.addBlock(hash, toDisplayHex(hash), worker);
    const b = this.chain.blocks[this.chain.blocks.length - 1]!;
    this.emitEvent({ event: 'block', client: c.id, ...b });
    if (retarget) this.emitEvent({ event: 'retarget', ...retarget });
    for (const c of this.clients.values()) c.seen.clear();
    this.newTemplate();
    this.makeJob(true);
  }

  // ── wire ───────────────────────────────────────────────────────────────────────────────

  private send(c: Client, msg: unknown): void {
    if (!c.socket.destroyed) c.socket.write(JSON.stringify(msg) + '\n');
  }

  private reply(c: Client, id: number | string | null, result: unknown): void {
    this.delayed(() => this.send(c, { id, result, error: null }));
  }

  private error(c: Client, id: number | string | null, code: number, message: string): void {
    const msg = pick(this.opts.quirks.errorStyle, {
      array: { id, result: null, error: [code, message, null] },
      pair: { id, result: null, error: [code, message] },
      string: { id, result: null, error: message },
      jsonrpc2: { jsonrpc: '2.0', id, error: { code, message } },
      'reject-reason': { id, result: false, error: null, 'reject-reason': message },
    });
    this.delayed(() => this.send(c, msg));
  }

  private delayed(fn: () => void): void {
    if (this.opts.quirks.replyDelayMs > 0) this.clock.setTimeout(fn, this.opts.quirks.replyDelayMs);
    else fn();
  }

  private protocolError(c: Client, reason: string): void {
    this.emitEvent({ event: 'protocol-error', client: c.id, reason });
  }

  private emitEvent(e: PoolEvent): void {
    this.emit('event', e);
  }
}

function pick<K extends string, V>(key: K, table: Record<K, V>): V {
  return table[key];
}
