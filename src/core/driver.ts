/**
 * The core driver: everything the miner does with a mining core, over one `CoreLink`. It joins
 * a register port (frames checked, retried and confirmed: register-port.ts) and a work ledger
 * (which works the core holds and which results are whose: work-ledger.ts): it keeps the work
 * queue full, reads results and re-hashes every nonce (a wrong one is a hardware error, never a
 * result), keeps an exact hash count from the core's counter, and resets a core that stops
 * making progress. The same code drives the model, the RTL co-simulation and the board
 * (docs/core-protocol.md is the contract).
 */
import type { Clock, Log } from '../platform/interfaces.ts';
import type { CoreLink } from './link.ts';
import { CONTROL_ABORT, CONTROL_RESET, ERR, type CoreStatus, WORK_WORDS, errorNames } from './protocol.ts';
import { type CoreIdentity, RegisterPort, type StatusSnapshot, hex32, linkErrors } from './register-port.ts';
import { runSelfTest, type SelfTestReport } from './self-test.ts';
import { type CoreResult, type CoreWork, type Entry, type ResultSink, WorkLedger } from './work-ledger.ts';

export interface DriverStats {
  /** Nonces hashed, exact, from the core's counter (kept across resets). */
  hashes: number;
  /** Verified results delivered. */
  results: number;
  /** Nonces the core reported that did not re-hash to its claim, or named an unknown work. */
  hardwareErrors: number;
  /** Results the core dropped because its FIFO was full (events, from ERR_FIFO). */
  fifoOverflows: number;
  /** Frames resent because the core refused them or the reply's CRC did not match. */
  retries: number;
  /** Soft resets after the core stopped making progress. */
  resets: number;
  /** Results of aborted works, read and thrown away. */
  discarded: number;
}

export interface DriverOptions<T> extends ResultSink<T> {
  link: CoreLink;
  clock: Clock;
  log?: Log;
  /** A work left the core: all its nonces were hashed (or it was dropped by a reset/abort). */
  onWorkDone?(work: CoreWork<T>): void;
  /** Supplies the next work whenever the queue has room; undefined when there is none. */
  nextWork?(): CoreWork<T> | undefined;
  /** No progress for this long while the core has work means it is hung (default 5 s). */
  hangTimeoutMs?: number;
  /** Attempts per frame before the link is declared broken (default 4). */
  attempts?: number;
}

export class CoreDriver<T = unknown> {
  readonly stats: DriverStats = { hashes: 0, results: 0, hardwareErrors: 0, fifoOverflows: 0, retries: 0, resets: 0, discarded: 0 };
  /** The last STATUS read (reused). */
  readonly status: CoreStatus;
  identity: CoreIdentity | undefined;
  /** Core clock cycles since its last reset (the RTL's; nonce slots for the model). */
  cycles = 0;

  private readonly port: RegisterPort;
  private readonly ledger: WorkLedger<T>;
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly options: DriverOptions<T>;
  private readonly hangTimeoutMs: number;
  private readonly workWords = new Uint32Array(WORK_WORDS);
  private readonly hash = new Uint8Array(32);
  private readonly result: CoreResult<T> = { work: undefined as unknown as CoreWork<T>, nonce: 0, hash: this.hash, zeroBits: 0 };

  /** Hashes counted before the core's counter was last reset. */
  private hashBase = 0;
  private lastCounter = 0;
  private lastProgressAt = 0;

  constructor(options: DriverOptions<T>) {
    this.options = options;
    this.clock = options.clock;
    this.log = options.log ?? (() => {});
    this.hangTimeoutMs = options.hangTimeoutMs ?? 5000;
    this.port = new RegisterPort(options.link, this.stats, options.attempts ?? 4, (s) => this.counted(s));
    this.status = this.port.snapshot.status;
    this.ledger = new WorkLedger<T>((work) => this.options.onWorkDone?.(work));
  }

  /** Works written and not yet finished by the core. */
  get inFlight(): number {
    return this.ledger.outstanding.length;
  }

  // ── identity, reset, self-test ─────────────────────────────────────────────────────────

  /**
   * Reads the identity in whichever frame format the core answers (2.x first, then 1.x) and
   * speaks that from then on; throws CoreError when the other end is not a kilohash core.
   */
  async probe(): Promise<CoreIdentity> {
    this.identity = await this.port.probe();
    return this.identity;
  }

  /** Soft reset: queue, FIFO, counters and errors cleared. Works the core held are dropped. */
  async reset(): Promise<void> {
    await this.resetCore();
    this.ledger.dropOutstanding(false);
  }

  /** CONTROL.RESET, keeping the hash total across the counter's restart. */
  private async resetCore(): Promise<void> {
    this.hashBase += this.lastCounter;
    this.lastCounter = 0;
    this.port.forgetResults();
    await this.port.control(CONTROL_RESET);
    this.lastProgressAt = this.clock.now();
  }

  /**
   * Drops the current and queued works; every result of a work given so far, already in the
   * FIFO or still to come, is now checked and discarded (the owner's jobs are void).
   */
  async abort(): Promise<void> {
    await this.port.control(CONTROL_ABORT);
    this.ledger.abortAll();
  }

  /** The known-answer test (self-test.ts). Leaves the core reset and empty. */
  async selfTest(timeoutMs = 10_000): Promise<SelfTestReport> {
    if (this.identity === undefined) await this.probe();
    return runSelfTest<T>(this, this.clock, timeoutMs);
  }

  // ── work ───────────────────────────────────────────────────────────────────────────────

  /**
   * Writes one work into the core's queue; its results go to `sink` when given, else to the
   * driver's options. Returns false when the queue had no room (the caller keeps the work);
   * throws CoreLinkError when the link keeps failing.
   */
  async push(work: CoreWork<T>, sink?: ResultSink<T>): Promise<boolean> {
    if (work.header.length !== 80) throw new RangeError('a work needs an 80-byte header');
    if (!(work.first >= 0 && work.last <= 0xffffffff && work.first <= work.last)) throw new RangeError('a work needs 0 ≤ first ≤ last ≤ 0xffffffff');
    return this.write(this.ledger.entryFor(work, sink));
  }

  /** Writes an entry under a fresh work id; false when the queue had no room. */
  private async write(entry: Entry<T>): Promise<boolean> {
    const id = this.ledger.allocateId();
    this.ledger.encode(entry, id, this.workWords);
    if (!(await this.port.writeWork(this.workWords, id))) return false;
    this.ledger.written(entry, id);
    if (this.inFlight === 1) this.lastProgressAt = this.clock.now();
    return true;
  }

  /**
   * One round of housekeeping: read status and counters, retire finished works, read and
   * check every result, refill the queue (unless `feed` is false), and recover a hung core.
   * Returns the status read.
   */
  async poll(feed = true): Promise<CoreStatus> {
    const status = this.status;
    await this.port.readStatus();
    if (status.errors !== 0) await this.handleErrors();
    // The core holds `queued` works plus the active one while busy; older ones have left it.
    this.ledger.retireBeyond(status.queued + (status.busy ? 1 : 0));
    // Results: drain the FIFO, including what arrives meanwhile, up to twice its depth so a
    // core that finds faster than the link reads cannot hold the poll forever.
    if (status.results > 0) {
      const most = 2 * (this.identity?.fifoDepth ?? 16);
      for (let n = 0; n < most; n++) {
        const r = await this.port.takeResult();
        if (r === undefined) break;
        if (r.fresh) this.check(r.id, r.nonce);
      }
      status.results = 0;
    }
    if (feed) await this.refill();
    // Progress is only expected while the core holds work.
    if (this.inFlight === 0) this.lastProgressAt = this.clock.now();
    else if (this.clock.now() - this.lastProgressAt > this.hangTimeoutMs) await this.recover();
    return status;
  }

  private async refill(): Promise<void> {
    const depth = this.identity?.queueDepth ?? 2;
    const backlog = this.ledger.backlog;
    let room = depth - this.status.queued;
    while (room > 0) {
      let entry = backlog.shift();
      if (entry === undefined) {
        const work = this.options.nextWork?.();
        if (work === undefined) return;
        entry = this.ledger.entryFor(work);
      }
      if (!(await this.write(entry))) {
        backlog.unshift(entry);
        return;
      }
      room--;
    }
  }

  /** The core holds work but its nonce counter stands still: reset it and give the work back. */
  private async recover(): Promise<void> {
    this.log('warn', `core: no progress for ${this.hangTimeoutMs} ms with ${this.inFlight} work(s) loaded; resetting`);
    this.stats.resets++;
    await this.resetCore();
    // The works go back from their start, ahead of any new work; results already delivered
    // are not delivered twice (Entry.delivered).
    this.ledger.requeueOutstanding();
    await this.probe();
    await this.refill();
  }

  /** Every STATUS read: the exact hash count, and whether the core is making progress. */
  private counted(s: StatusSnapshot): void {
    const counter = s.nonces;
    if (counter !== this.lastCounter) this.lastProgressAt = this.clock.now();
    // A counter that went backwards was reset behind our back (power glitch): keep the total,
    // and the result sequence numbers start again.
    if (counter < this.lastCounter) {
      this.hashBase += this.lastCounter;
      this.port.forgetResults();
    }
    this.lastCounter = counter;
    this.stats.hashes = this.hashBase + counter;
    this.cycles = s.cycles;
  }

  private async handleErrors(): Promise<void> {
    const errors = this.status.errors;
    if (errors & ERR.FIFO) {
      this.stats.fifoOverflows++;
      this.log('warn', 'core: result FIFO overflowed; results were lost (poll faster or raise the threshold)');
    }
    if (linkErrors(errors)) this.log('debug', `core: error flags ${errorNames(errors).join(', ')} (frames are retried)`);
    await this.port.clearErrors();
    this.status.errors = 0;
  }

  /** Re-hashes a reported nonce; delivers it or counts a hardware error. */
  private check(id: number, nonce: number): void {
    const v = this.ledger.judge(id, nonce, this.hash);
    switch (v.kind) {
      case 'unknown-work':
        this.stats.hardwareErrors++;
        this.log('warn', `core: result for unknown work id ${id} (nonce ${hex32(nonce)})`);
        this.options.onHardwareError?.(undefined, nonce);
        return;
      case 'wrong':
        this.stats.hardwareErrors++;
        this.log('warn', `core: nonce ${hex32(nonce)} of work ${id} does not hash to ${v.entry.threshold} zero bits (hardware error)`);
        (v.entry.sink ?? this.options).onHardwareError?.(v.entry.work, nonce);
        return;
      case 'discarded':
        this.stats.discarded++;
        return;
      case 'repeat':
        return;
      case 'new': {
        this.stats.results++;
        const r = this.result;
        r.work = v.entry.work;
        r.nonce = nonce;
        r.zeroBits = v.zeroBits;
        (v.entry.sink ?? this.options).onResult?.(r);
        return;
      }
      default:
        return v satisfies never;
    }
  }
}
