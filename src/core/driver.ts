/**
 * The core driver: everything the miner does with a mining core, over one `CoreLink`. Probes
 * the identity, runs the known-answer self-test, keeps the work queue full, reads results and
 * re-hashes every nonce (a wrong one is a hardware error, never a result), keeps an exact hash
 * count from the core's counter, retries frames the core or the link corrupted, and resets a
 * core that stops making progress. The same code drives the model, the RTL co-simulation and
 * the board (docs/core-protocol.md is the contract).
 */
import type { Clock, Log } from '../platform/interfaces.ts';
import { hexToBytes, u32ToHex } from '../work/bytes.ts';
import { NonceHasher } from '../work/nonce-hasher.ts';
import { leadingZeroBits } from '../work/target.ts';
import { buildRead, buildWrite, parseRead } from './frames.ts';
import { CoreLinkError, type CoreLink } from './link.ts';
import {
  CONTROL_ABORT,
  CONTROL_CLEAR_ERRORS,
  CONTROL_RESET,
  ERR,
  MAGIC,
  PROTOCOL_VERSION,
  type DataCrcBytes,
  REG,
  RESULT_WORDS,
  WORK_WORDS,
  encodeWork,
  type CoreStatus,
  type ResultRead,
  decodeCaps,
  decodeResult,
  dataCrcBytesOf,
  decodeStatus,
  emptyStatus,
  errorNames,
  frameBytes,
} from './protocol.ts';

export interface CoreIdentity {
  version: number;
  engines: number;
  queueDepth: number;
  fifoDepth: number;
  /** Clock cycles per nonce per engine (1 for the model). */
  cyclesPerNonce: number;
  /** The hashing clock (0: not a clocked core, e.g. the model). */
  clockHz: number;
  /** What the core should do in hashes per second (0 when it does not say). */
  nominalHashRate: number;
}

/** A stretch of nonces for one header. `tag` is the owner's (e.g. which job it came from). */
export interface CoreWork<T = unknown> {
  /** The 80-byte header; its nonce field is ignored. */
  readonly header: Uint8Array;
  readonly first: number;
  /** Inclusive; ≥ first. */
  readonly last: number;
  /** Leading zero bits the core must see before it reports a nonce (1..32; default 32). */
  readonly thresholdBits?: number;
  readonly tag?: T;
}

/**
 * One verified result. `hash` is SHA-256d of the header with `nonce`, in the hash function's
 * byte order (reversed from how explorers print it). The buffer is reused: copy what you keep.
 */
export interface CoreResult<T> {
  work: CoreWork<T>;
  nonce: number;
  hash: Uint8Array;
  /** Leading zero bits of the hash read as a little-endian number. */
  zeroBits: number;
}

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

export interface DriverOptions<T> {
  link: CoreLink;
  clock: Clock;
  log?: Log;
  /** Called for every verified result. */
  onResult?(result: CoreResult<T>): void;
  /** A nonce the core reported that is wrong. */
  onHardwareError?(work: CoreWork<T> | undefined, nonce: number): void;
  /** A work left the core: all its nonces were hashed (or it was dropped by a reset/abort). */
  onWorkDone?(work: CoreWork<T>): void;
  /** Supplies the next work whenever the queue has room; undefined when there is none. */
  nextWork?(): CoreWork<T> | undefined;
  /** No progress for this long while the core has work means it is hung (default 5 s). */
  hangTimeoutMs?: number;
  /** Attempts per frame before the link is declared broken (default 4). */
  attempts?: number;
}

interface Entry<T> {
  work: CoreWork<T>;
  id: number;
  /**
   * Checks this work's results; made when the work is given and let go when it retires (a late
   * result for a retired work, rare, makes it again from the header): sixteen retired hashers
   * were 16 KB of the ESP32-C3's heap.
   */
  hasher: NonceHasher | undefined;
  /** Leading zero bits the core applies (1..32). */
  threshold: number;
  aborted: boolean;
  /** Nonces already delivered: a work re-run after a reset must not report them twice. */
  delivered: number[];
}

/** Known answer: block 125552's header and the window around its real nonce. */
export const SELF_TEST = {
  header:
    '0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000' +
    'e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695',
  first: 0x9546a100,
  last: 0x9546a1ff,
  nonce: 0x9546a142,
} as const;

export interface SelfTestReport {
  ok: boolean;
  /** What went wrong, when not ok. */
  reason?: string;
  found: number[];
  milliseconds: number;
}

const RETIRED_KEPT = 16;
const STATUS_WORDS = 6; // STATUS, NONCES_LO/HI, CYCLES_LO/HI, WORK_ID: one frame per poll
const LINK_ERRORS = ERR.CRC | ERR.CMD | ERR.ADDR | ERR.FRAME;

/**
 * An aborted work's late results are only checked (a wrong one is still a hardware error) and
 * discarded, so its owner's tag (a job, with its coinbase and branch) need not stay alive for
 * them: keeping it let a burst of clean jobs hold RETIRED_KEPT old jobs in the ESP32-C3's heap.
 */
function voidEntry<T>(e: Entry<T>): void {
  e.aborted = true;
  if (e.work.tag === undefined) return;
  const { header, first, last, thresholdBits } = e.work;
  e.work = thresholdBits === undefined ? { header, first, last } : { header, first, last, thresholdBits };
}

/** The entry's hasher, made again from the header if it was let go at retirement. */
function hasherOf<T>(e: Entry<T>): NonceHasher {
  return (e.hasher ??= new NonceHasher(e.work.header));
}

export class CoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoreError';
  }
}

export class CoreDriver<T = unknown> {
  readonly stats: DriverStats = { hashes: 0, results: 0, hardwareErrors: 0, fifoOverflows: 0, retries: 0, resets: 0, discarded: 0 };
  /** The last STATUS read (reused). */
  readonly status: CoreStatus = emptyStatus();
  identity: CoreIdentity | undefined;
  /** Core clock cycles since its last reset (the RTL's; nonce slots for the model). */
  cycles = 0;

  private readonly link: CoreLink;
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly options: DriverOptions<T>;
  private readonly hangTimeoutMs: number;
  private readonly attempts: number;

  /** Frame buffers in the format the core speaks (2.x until a probe finds a 1.x core). */
  private frames = frameBuffers(2);
  private readonly head: ResultRead = { valid: false, seq: 0, id: 0, nonce: 0 };
  private readonly words = new Uint32Array(16);
  private readonly workWords = new Uint32Array(WORK_WORDS);
  private readonly hash = new Uint8Array(32);
  private readonly result: CoreResult<T> = { work: undefined as unknown as CoreWork<T>, nonce: 0, hash: this.hash, zeroBits: 0 };

  /** Works the core holds, in the order written: [active?, ...queued]. */
  private outstanding: Entry<T>[] = [];
  /** Works that left the core recently: results can trail them through the FIFO. */
  private retired: Entry<T>[] = [];
  private nextId = 1;
  private activeId = 0;
  /** Hashes counted before the core's counter was last reset. */
  private hashBase = 0;
  private lastCounter = 0;
  private lastProgressAt = 0;
  /**
   * The core speaks protocol 2.x: results are read with RESULT_PEEK and popped by RESULT_ACK (a
   * reply corrupted on MISO is read again instead of lost), and a WORK write is confirmed by
   * STATUS.ACCEPTED. A 1.0 core pops on the read and has only error flags to confirm by.
   */
  private protocol2 = true;
  /** Sequence number of the last result checked (-1: none since the core's last reset). */
  private handledSeq = -1;
  /** STATUS has been read at least once (its accepted-works count is what the core holds). */
  private statusKnown = false;
  /** Works to write before asking `nextWork` again: refused for lack of room, or re-run after a reset. */
  private backlog: Entry<T>[] = [];

  constructor(options: DriverOptions<T>) {
    this.options = options;
    this.link = options.link;
    this.clock = options.clock;
    this.log = options.log ?? (() => {});
    this.hangTimeoutMs = options.hangTimeoutMs ?? 5000;
    this.attempts = options.attempts ?? 4;
  }

  /** Works written and not yet finished by the core. */
  get inFlight(): number {
    return this.outstanding.length;
  }

  // ── identity, reset, self-test ─────────────────────────────────────────────────────────

  /**
   * Reads MAGIC..CLOCK_HZ in whichever frame format the core answers (2.x first, then 1.x) and
   * speaks that from then on; throws CoreError when the other end is not a kilohash core.
   */
  async probe(): Promise<CoreIdentity> {
    const { words: w, crcBytes } = await this.readIdentity();
    if (w[0] !== MAGIC) throw new CoreError(`no kilohash core: MAGIC reads ${hex32(w[0]!)}`);
    const major = w[1]! >>> 16;
    if (major < 1 || major > PROTOCOL_VERSION >>> 16 || dataCrcBytesOf(w[1]!) !== crcBytes) {
      throw new CoreError(`core speaks protocol ${major}.${w[1]! & 0xffff}, this driver 1.x and ${PROTOCOL_VERSION >>> 16}.x`);
    }
    const caps = decodeCaps(w[2]!);
    if (caps.engines === 0 || caps.queueDepth === 0 || caps.fifoDepth === 0) throw new CoreError(`core reports impossible CAPS 0x${w[2]!.toString(16)}`);
    const clockHz = w[3]!;
    if (this.frames.crcBytes !== crcBytes) this.frames = frameBuffers(crcBytes);
    this.protocol2 = major >= 2;
    this.identity = {
      version: w[1]!,
      ...caps,
      clockHz,
      nominalHashRate: caps.cyclesPerNonce > 0 && clockHz > 0 ? (clockHz * caps.engines) / caps.cyclesPerNonce : 0,
    };
    return this.identity;
  }

  /** Soft reset: queue, FIFO, counters and errors cleared. Works the core held are dropped. */
  async reset(): Promise<void> {
    await this.resetCore();
    this.dropOutstanding(false);
  }

  /** CONTROL.RESET, keeping the hash total across the counter's restart. */
  private async resetCore(): Promise<void> {
    this.hashBase += this.lastCounter;
    this.lastCounter = 0;
    this.handledSeq = -1;
    await this.control(CONTROL_RESET);
    this.lastProgressAt = this.clock.now();
  }

  /**
   * Drops the current and queued works; every result of a work given so far, already in the
   * FIFO or still to come, is now checked and discarded (the owner's jobs are void).
   */
  async abort(): Promise<void> {
    await this.control(CONTROL_ABORT);
    this.dropOutstanding(true);
    for (const e of this.backlog.splice(0)) this.retire(e, true);
    for (const e of this.retired) voidEntry(e);
  }

  /**
   * Known-answer test: reset, hash the 256-nonce window around block 125552's nonce and expect
   * exactly that nonce back. Leaves the core reset and empty.
   */
  async selfTest(timeoutMs = 10_000): Promise<SelfTestReport> {
    const started = this.clock.now();
    if (this.identity === undefined) await this.probe();
    await this.reset();
    const header = hexToBytes(SELF_TEST.header);
    const found: number[] = [];
    const saved = { onResult: this.options.onResult, nextWork: this.options.nextWork, onHardwareError: this.options.onHardwareError };
    const errorsBefore = this.stats.hardwareErrors;
    const work: CoreWork<T> = { header, first: SELF_TEST.first, last: SELF_TEST.last, thresholdBits: 32 };
    this.options.onResult = (r) => { if (r.work === work) found.push(r.nonce); };
    this.options.nextWork = undefined;
    this.options.onHardwareError = (_w, n) => found.push(n);
    try {
      if (!(await this.push(work))) return { ok: false, reason: 'the core refused the work', found, milliseconds: this.clock.now() - started };
      while (this.outstanding.length > 0) {
        if (this.clock.now() - started > timeoutMs) {
          return { ok: false, reason: `no answer within ${timeoutMs} ms`, found, milliseconds: this.clock.now() - started };
        }
        await this.sleep(2);
        await this.poll();
      }
      // Results can trail the work by a few cycles: one more look.
      await this.poll();
    } finally {
      this.options.onResult = saved.onResult;
      this.options.nextWork = saved.nextWork;
      this.options.onHardwareError = saved.onHardwareError;
      await this.reset();
    }
    const ms = this.clock.now() - started;
    if (this.stats.hardwareErrors !== errorsBefore) return { ok: false, reason: `wrong nonces reported: ${found.map(hex32).join(', ')}`, found, milliseconds: ms };
    if (found.length !== 1 || found[0] !== SELF_TEST.nonce) {
      return { ok: false, reason: `expected nonce ${hex32(SELF_TEST.nonce)}, got [${found.map(hex32).join(', ')}]`, found, milliseconds: ms };
    }
    return { ok: true, found, milliseconds: ms };
  }

  // ── work ───────────────────────────────────────────────────────────────────────────────

  /**
   * Writes one work into the core's queue. Returns false when the queue had no room (the
   * caller keeps the work); throws CoreLinkError when the link keeps failing.
   */
  async push(work: CoreWork<T>): Promise<boolean> {
    if (work.header.length !== 80) throw new RangeError('a work needs an 80-byte header');
    if (!(work.first >= 0 && work.last <= 0xffffffff && work.first <= work.last)) throw new RangeError('a work needs 0 ≤ first ≤ last ≤ 0xffffffff');
    return this.pushEntry(this.entryFor(work));
  }

  private entryFor(work: CoreWork<T>): Entry<T> {
    return {
      work,
      id: 0,
      hasher: new NonceHasher(work.header),
      threshold: Math.max(1, Math.min(32, work.thresholdBits ?? 32)),
      aborted: false,
      delivered: [],
    };
  }

  /** Writes an entry under a fresh work id; false when the queue had no room. */
  private async pushEntry(entry: Entry<T>): Promise<boolean> {
    const id = this.allocateId();
    this.fillWorkWords(entry, id);
    if (!(await this.writeWork(id))) return false;
    entry.id = id;
    this.outstanding.push(entry);
    if (this.outstanding.length === 1) this.lastProgressAt = this.clock.now();
    return true;
  }

  /**
   * One round of housekeeping: read status and counters, retire finished works, read and
   * check every result, refill the queue, and recover a hung core. Returns the status read.
   */
  async poll(): Promise<CoreStatus> {
    await this.readStatus();
    if (this.status.errors !== 0) await this.handleErrors();
    this.retireFinished();
    // Results: drain the FIFO, including what arrives meanwhile, up to twice its depth so a
    // core that finds faster than the link reads cannot hold the poll forever.
    if (this.status.results > 0) {
      const most = 2 * (this.identity?.fifoDepth ?? 16);
      for (let n = 0; n < most; n++) {
        if (!(await this.readResult())) break;
      }
      this.status.results = 0;
    }
    await this.refill();
    // Progress is only expected while the core holds work.
    if (this.outstanding.length === 0) this.lastProgressAt = this.clock.now();
    else if (this.clock.now() - this.lastProgressAt > this.hangTimeoutMs) await this.recover();
    return this.status;
  }

  private async refill(): Promise<void> {
    const depth = this.identity?.queueDepth ?? 2;
    let room = depth - this.status.queued;
    while (room > 0) {
      let entry = this.backlog.shift();
      if (entry === undefined) {
        const work = this.options.nextWork?.();
        if (work === undefined) return;
        entry = this.entryFor(work);
      }
      if (!(await this.pushEntry(entry))) {
        this.backlog.unshift(entry);
        return;
      }
      room--;
    }
  }

  /** The core holds work but its nonce counter stands still: reset it and give the work back. */
  private async recover(): Promise<void> {
    const held = this.outstanding.filter((e) => !e.aborted);
    this.log('warn', `core: no progress for ${this.hangTimeoutMs} ms with ${held.length} work(s) loaded; resetting`);
    this.stats.resets++;
    await this.resetCore();
    this.outstanding = [];
    await this.probe();
    // The works go back from their start, ahead of any new work; results already delivered
    // are not delivered twice (Entry.delivered).
    this.backlog.unshift(...held);
    await this.refill();
  }

  private fillWorkWords(e: Entry<T>, id: number): void {
    // The hasher that will check this work's results already holds its midstate and tail.
    const hasher = hasherOf(e);
    encodeWork(this.workWords, hasher.midstate, hasher.tail, e.work.first, e.work.last, id, e.threshold);
  }

  // ── frames with retries ────────────────────────────────────────────────────────────────

  private async transfer(frame: Uint8Array): Promise<void> {
    const p = this.link.transfer(frame);
    if (p !== undefined) await p;
  }

  /** MAGIC..CLOCK_HZ, read in the 2.x frame format and, failing that, the 1.x one. */
  private async readIdentity(): Promise<{ words: Uint32Array; crcBytes: DataCrcBytes }> {
    for (let attempt = 1; ; attempt++) {
      for (const crcBytes of [2, 1] as const) {
        const frame = buildRead(new Uint8Array(frameBytes(4, crcBytes)), REG.MAGIC, 4);
        await this.transfer(frame);
        if (parseRead(frame, 4, this.words)) return { words: this.words, crcBytes };
      }
      if (attempt >= this.attempts) throw new CoreLinkError(`core link: ${attempt} reads of 0x0 failed their CRC`);
      this.stats.retries++;
    }
  }

  /** Reads `count` words at `addr` into this.words, retrying on a CRC mismatch. */
  private async read(addr: number, count: number, frame: Uint8Array): Promise<Uint32Array> {
    for (let attempt = 1; ; attempt++) {
      buildRead(frame, addr, count);
      await this.transfer(frame);
      if (parseRead(frame, count, this.words)) return this.words;
      if (attempt >= this.attempts) throw new CoreLinkError(`core link: ${attempt} reads of 0x${addr.toString(16)} failed their CRC`);
      this.stats.retries++;
    }
  }

  private async readStatus(): Promise<void> {
    const w = await this.read(REG.STATUS, STATUS_WORDS, this.frames.status);
    decodeStatus(w[0]!, this.status);
    this.statusKnown = true;
    const counter = w[1]! + w[2]! * 0x100000000;
    if (counter !== this.lastCounter) this.lastProgressAt = this.clock.now();
    // A counter that went backwards was reset behind our back (power glitch): keep the total,
    // and the result sequence numbers start again.
    if (counter < this.lastCounter) {
      this.hashBase += this.lastCounter;
      this.handledSeq = -1;
    }
    this.lastCounter = counter;
    this.stats.hashes = this.hashBase + counter;
    this.cycles = w[3]! + w[4]! * 0x100000000;
    this.activeId = w[5]! & 0xffff;
  }

  /** CONTROL write, confirmed by STATUS (a refused write sets a link error flag: send again). */
  private async control(bits: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.words[0] = bits;
      buildWrite(this.frames.control, REG.CONTROL, this.words, 1);
      await this.transfer(this.frames.control);
      await this.readStatus();
      if ((this.status.errors & LINK_ERRORS) === 0) return;
      if (attempt >= this.attempts) throw new CoreLinkError(`core link: CONTROL write refused ${attempt} times (${errorNames(this.status.errors).join(', ')})`);
      this.stats.retries++;
      await this.clearErrorsOnce();
    }
  }

  private async clearErrorsOnce(): Promise<void> {
    this.words[0] = CONTROL_CLEAR_ERRORS;
    buildWrite(this.frames.control, REG.CONTROL, this.words, 1);
    await this.transfer(this.frames.control);
  }

  /**
   * Writes this.workWords (work id `id`). The core refuses a corrupted frame and flags it, so
   * the write is confirmed by reading STATUS. A 2.x core counts the works it accepted, which
   * says exactly whether this one arrived; a 1.0 core only has the error flags: link errors →
   * send again; ERR_QUEUE → no room.
   */
  private async writeWork(id: number): Promise<boolean> {
    if (this.protocol2) return this.writeWorkCounted();
    for (let attempt = 1; ; attempt++) {
      const queuedBefore = this.status.queued;
      buildWrite(this.frames.work, REG.WORK, this.workWords, WORK_WORDS);
      await this.transfer(this.frames.work);
      const retriesBefore = this.stats.retries;
      await this.readStatus();
      const errors = this.status.errors;
      if (errors === 0) return true;
      const readFailed = this.stats.retries !== retriesBefore;
      if (errors & ERR.FIFO) this.stats.fifoOverflows++;
      await this.clearErrorsOnce();
      if (errors & ERR.QUEUE) return false;
      if ((errors & LINK_ERRORS) === 0) return true;
      // The error may come from a status read the core refused rather than from our write:
      // then the queue itself says whether the work arrived.
      if (readFailed && (this.status.queued > queuedBefore || (this.status.busy && this.activeId === id))) return true;
      if (attempt >= this.attempts) throw new CoreLinkError(`core link: WORK write refused ${attempt} times (${errorNames(errors).join(', ')})`);
      this.stats.retries++;
    }
  }

  /**
   * The 2.x confirmation: STATUS[31:24] moves by one exactly when the queue took the work, so
   * error flags left by earlier frames (a refused acknowledgement) cannot make it send twice.
   */
  private async writeWorkCounted(): Promise<boolean> {
    if (!this.statusKnown) await this.readStatus();
    for (let attempt = 1; ; attempt++) {
      const want = (this.status.accepted + 1) & 0xff;
      buildWrite(this.frames.work, REG.WORK, this.workWords, WORK_WORDS);
      await this.transfer(this.frames.work);
      await this.readStatus();
      if (this.status.accepted === want) return true;
      const errors = this.status.errors;
      if (errors !== 0) await this.clearErrorsOnce();
      if (errors & ERR.FIFO) this.stats.fifoOverflows++;
      if (errors & ERR.QUEUE || this.status.queueFull) return false;
      if (attempt >= this.attempts) throw new CoreLinkError(`core link: WORK write refused ${attempt} times (${errorNames(errors).join(', ') || 'no error flag'})`);
      this.stats.retries++;
    }
  }

  private async handleErrors(): Promise<void> {
    const errors = this.status.errors;
    if (errors & ERR.FIFO) {
      this.stats.fifoOverflows++;
      this.log('warn', 'core: result FIFO overflowed; results were lost (poll faster or raise the threshold)');
    }
    if (errors & LINK_ERRORS) this.log('debug', `core: error flags ${errorNames(errors).join(', ')} (frames are retried)`);
    await this.clearErrorsOnce();
    this.status.errors = 0;
  }

  /** Reads one result; false when the FIFO turned out empty. */
  private async readResult(): Promise<boolean> {
    const w = await this.read(this.protocol2 ? REG.RESULT_PEEK : REG.RESULT, RESULT_WORDS, this.frames.result);
    const head = decodeResult(w, this.head);
    if (!head.valid) return false;
    if (!this.protocol2) {
      this.check(head.id, head.nonce);
      return true;
    }
    // The same sequence number again: this result was checked and its acknowledgement lost.
    if (head.seq === this.handledSeq) this.stats.retries++;
    else {
      this.handledSeq = head.seq;
      this.check(head.id, head.nonce);
    }
    // Not confirmed: a lost acknowledgement shows as the same result at the next read.
    this.words[0] = head.seq;
    buildWrite(this.frames.control, REG.RESULT_ACK, this.words, 1);
    await this.transfer(this.frames.control);
    return true;
  }

  /** Re-hashes a reported nonce; delivers it or counts a hardware error. */
  private check(id: number, nonce: number): void {
    const e = this.findEntry(id);
    if (e === undefined) {
      this.stats.hardwareErrors++;
      this.log('warn', `core: result for unknown work id ${id} (nonce ${hex32(nonce)})`);
      this.options.onHardwareError?.(undefined, nonce);
      return;
    }
    hasherOf(e).hash(nonce, this.hash);
    const zeros = leadingZeroBits(this.hash);
    if (zeros < e.threshold || nonce < e.work.first || nonce > e.work.last) {
      this.stats.hardwareErrors++;
      this.log('warn', `core: nonce ${hex32(nonce)} of work ${id} does not hash to ${e.threshold} zero bits (hardware error)`);
      this.options.onHardwareError?.(e.work, nonce);
      return;
    }
    if (e.aborted) {
      this.stats.discarded++;
      return;
    }
    if (e.delivered.includes(nonce)) return;
    if (e.delivered.length < 64) e.delivered.push(nonce);
    this.stats.results++;
    const r = this.result;
    r.work = e.work;
    r.nonce = nonce;
    r.zeroBits = zeros;
    this.options.onResult?.(r);
  }

  private findEntry(id: number): Entry<T> | undefined {
    for (const e of this.outstanding) if (e.id === id) return e;
    for (let i = this.retired.length - 1; i >= 0; i--) if (this.retired[i]!.id === id) return this.retired[i];
    return undefined;
  }

  /**
   * Works ahead of the core's active one are finished. The core holds `queued` works plus
   * the active one while busy; everything older than that has left it.
   */
  private retireFinished(): void {
    const held = this.status.queued + (this.status.busy ? 1 : 0);
    while (this.outstanding.length > held) this.retire(this.outstanding.shift()!, false);
  }

  private retire(e: Entry<T>, aborted: boolean): void {
    if (aborted) e.aborted = true;
    this.retired.push(e);
    if (this.retired.length > RETIRED_KEPT) this.retired.shift();
    this.options.onWorkDone?.(e.work);
    e.hasher = undefined;
    if (aborted) voidEntry(e);
  }

  private dropOutstanding(aborted: boolean): void {
    for (const e of this.outstanding) this.retire(e, aborted);
    this.outstanding = [];
  }

  private allocateId(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = this.nextId === 0xffff ? 1 : this.nextId + 1;
      if (this.findEntry(id) === undefined) return id;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }
}

interface FrameBuffers {
  crcBytes: DataCrcBytes;
  status: Uint8Array;
  result: Uint8Array;
  work: Uint8Array;
  /** Any one-word write: CONTROL, RESULT_ACK. */
  control: Uint8Array;
}

function frameBuffers(crcBytes: DataCrcBytes): FrameBuffers {
  return {
    crcBytes,
    status: new Uint8Array(frameBytes(STATUS_WORDS, crcBytes)),
    result: new Uint8Array(frameBytes(RESULT_WORDS, crcBytes)),
    work: new Uint8Array(frameBytes(WORK_WORDS, crcBytes)),
    control: new Uint8Array(frameBytes(1, crcBytes)),
  };
}

function hex32(v: number): string {
  return '0x' + u32ToHex(v);
}

