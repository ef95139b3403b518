/**
 * What the driver knows of the works it gave the core: which the core still holds (in the
 * order written), which left it recently (results trail them through the FIFO), which wait to
 * be written again (no room, or a reset dropped them), the work ids in use, and the nonces
 * already delivered. It also judges a reported nonce against its work by re-hashing it. No
 * I/O: the driver asks, the ledger answers.
 */
import { NonceHasher } from '../work/nonce-hasher.ts';
import { leadingZeroBits } from '../work/target.ts';
import { encodeWork } from './protocol.ts';

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

/** Where a work's verified results and wrong nonces go. */
export interface ResultSink<T> {
  onResult?(result: CoreResult<T>): void;
  /** A nonce the core reported that is wrong (work undefined: it named no work we know). */
  onHardwareError?(work: CoreWork<T> | undefined, nonce: number): void;
}

export interface Entry<T> {
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
  /** Where this work's results go; the driver's own sink when not set. */
  sink: ResultSink<T> | undefined;
}

/** What a reported nonce turned out to be. */
export type Verdict<T> =
  | { kind: 'unknown-work' }
  | { kind: 'wrong'; entry: Entry<T> }
  | { kind: 'discarded'; entry: Entry<T> }
  | { kind: 'repeat'; entry: Entry<T> }
  | { kind: 'new'; entry: Entry<T>; zeroBits: number };

const RETIRED_KEPT = 16;
const DELIVERED_KEPT = 64;

export class WorkLedger<T> {
  /** Works the core holds, in the order written: [active?, ...queued]. */
  outstanding: Entry<T>[] = [];
  /** Works to write before asking for new work: refused for lack of room, or re-run after a reset. */
  readonly backlog: Entry<T>[] = [];
  /** Works that left the core recently. */
  private readonly retired: Entry<T>[] = [];
  private nextId = 1;

  /** @param onWorkDone a work left the core (finished, or dropped by a reset or an abort) */
  constructor(private readonly onWorkDone: (work: CoreWork<T>) => void) {}

  entryFor(work: CoreWork<T>, sink?: ResultSink<T>): Entry<T> {
    return {
      work,
      id: 0,
      hasher: new NonceHasher(work.header),
      threshold: Math.max(1, Math.min(32, work.thresholdBits ?? 32)),
      aborted: false,
      delivered: [],
      sink,
    };
  }

  /** A work id no work the ledger knows carries (1..0xffff, in turn). */
  allocateId(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = this.nextId === 0xffff ? 1 : this.nextId + 1;
      if (this.find(id) === undefined) return id;
    }
  }

  /** Lays the entry out as a WORK write under `id` into `out`. */
  encode(e: Entry<T>, id: number, out: Uint32Array): void {
    // The hasher that will check this work's results already holds its midstate and tail.
    const hasher = hasherOf(e);
    encodeWork(out, hasher.midstate, hasher.tail, e.work.first, e.work.last, id, e.threshold);
  }

  /** The core took the entry under `id`. */
  written(e: Entry<T>, id: number): void {
    e.id = id;
    this.outstanding.push(e);
  }

  /** The core holds `held` works (queued, plus the active one while busy): older ones left it. */
  retireBeyond(held: number): void {
    while (this.outstanding.length > held) this.retire(this.outstanding.shift()!, false);
  }

  /** The core dropped everything it held (reset or abort). */
  dropOutstanding(aborted: boolean): void {
    for (const e of this.outstanding) this.retire(e, aborted);
    this.outstanding = [];
  }

  /** Every work given so far is void: its results, already in the FIFO or still to come, are only checked. */
  abortAll(): void {
    this.dropOutstanding(true);
    for (const e of this.backlog.splice(0)) this.retire(e, true);
    for (const e of this.retired) voidEntry(e);
  }

  /**
   * The core lost what it held without finishing it (a reset after a hang): those works go back
   * to the front of the backlog, to run again from their start.
   */
  requeueOutstanding(): number {
    const held = this.outstanding.filter((e) => !e.aborted);
    this.outstanding = [];
    this.backlog.unshift(...held);
    return held.length;
  }

  /** Re-hashes a reported nonce of work `id` into `hash` and says what it is. */
  judge(id: number, nonce: number, hash: Uint8Array): Verdict<T> {
    const entry = this.find(id);
    if (entry === undefined) return { kind: 'unknown-work' };
    hasherOf(entry).hash(nonce, hash);
    const zeroBits = leadingZeroBits(hash);
    if (zeroBits < entry.threshold || nonce < entry.work.first || nonce > entry.work.last) return { kind: 'wrong', entry };
    if (entry.aborted) return { kind: 'discarded', entry };
    if (entry.delivered.includes(nonce)) return { kind: 'repeat', entry };
    if (entry.delivered.length < DELIVERED_KEPT) entry.delivered.push(nonce);
    return { kind: 'new', entry, zeroBits };
  }

  private find(id: number): Entry<T> | undefined {
    for (const e of this.outstanding) if (e.id === id) return e;
    for (let i = this.retired.length - 1; i >= 0; i--) if (this.retired[i]!.id === id) return this.retired[i];
    return undefined;
  }

  private retire(e: Entry<T>, aborted: boolean): void {
    if (aborted) e.aborted = true;
    this.retired.push(e);
    if (this.retired.length > RETIRED_KEPT) this.retired.shift();
    this.onWorkDone(e.work);
    e.hasher = undefined;
    if (aborted) voidEntry(e);
  }
}

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
