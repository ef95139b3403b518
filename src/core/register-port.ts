/**
 * The core's registers over one `CoreLink`, trusted only once checked: reads are retried until
 * their CRC matches, writes are confirmed by what STATUS says afterwards, and a result is
 * acknowledged by its sequence number so a lost reply or acknowledgement neither loses nor
 * doubles it. It speaks whichever frame format the core answered the probe in (2.x, or 1.x
 * with a CRC-8 and results popped on the read). What the words mean beyond that is the
 * driver's business.
 */
import { u32ToHex } from '../work/bytes.ts';
import { buildRead, buildWrite, parseRead } from './frames.ts';
import { CoreLinkError, type CoreLink } from './link.ts';
import {
  CONTROL_CLEAR_ERRORS,
  type CoreCaps,
  type CoreStatus,
  type DataCrcBytes,
  ERR,
  MAGIC,
  PROTOCOL_VERSION,
  REG,
  RESULT_WORDS,
  type ResultRead,
  WORK_WORDS,
  dataCrcBytesOf,
  decodeCaps,
  decodeResult,
  decodeStatus,
  emptyStatus,
  errorNames,
  frameBytes,
} from './protocol.ts';

/** What the identity registers (MAGIC..CLOCK_HZ) say, checked. */
export interface CoreIdentity extends CoreCaps {
  version: number;
  /** The hashing clock (0: not a clocked core, e.g. the model). */
  clockHz: number;
  /** What the core should do in hashes per second (0 when it does not say). */
  nominalHashRate: number;
}

/** STATUS..WORK_ID as one read gives them. */
export interface StatusSnapshot {
  /** STATUS, decoded (the object is reused). */
  readonly status: CoreStatus;
  /** NONCES_HI:LO, the core's nonce counter since its last reset. */
  nonces: number;
  /** CYCLES_HI:LO. */
  cycles: number;
  /** WORK_ID: the running work's id. */
  activeId: number;
}

/** The counts a port adds to; the driver's stats object is one. */
export interface PortCounters {
  /** Frames sent again because the core refused them or a reply's CRC did not match. */
  retries: number;
  /** ERR_FIFO seen while confirming a write. */
  fifoOverflows: number;
}

/** A result read from the head of the FIFO. `fresh` is false when it was handled already. */
export interface ResultTake {
  readonly id: number;
  readonly nonce: number;
  readonly fresh: boolean;
}

/** The other end is not a kilohash core this driver can speak to. */
export class CoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoreError';
  }
}

const STATUS_WORDS = 6; // STATUS, NONCES_LO/HI, CYCLES_LO/HI, WORK_ID: one frame per poll
const LINK_ERRORS = ERR.CRC | ERR.CMD | ERR.ADDR | ERR.FRAME;

export class RegisterPort {
  readonly snapshot: StatusSnapshot = { status: emptyStatus(), nonces: 0, cycles: 0, activeId: 0 };

  /** Frame buffers in the format the core speaks (2.x until a probe finds a 1.x core). */
  private frames = frameBuffers(2);
  /**
   * The core speaks protocol 2.x: results are read with RESULT_PEEK and popped by RESULT_ACK (a
   * reply corrupted on MISO is read again instead of lost), and a WORK write is confirmed by
   * STATUS.ACCEPTED. A 1.0 core pops on the read and has only error flags to confirm by.
   */
  private protocol2 = true;
  /** STATUS has been read at least once (its accepted-works count is what the core holds). */
  private statusKnown = false;
  /** Sequence number of the last result handled (-1: none since the core's last reset). */
  private handledSeq = -1;
  private readonly words = new Uint32Array(16);
  private readonly head: ResultRead = { valid: false, seq: 0, id: 0, nonce: 0 };

  /**
   * @param attempts frames tried before the link is declared broken
   * @param onStatus sees every STATUS read, including those that confirm a write
   */
  constructor(
    private readonly link: CoreLink,
    private readonly counters: PortCounters,
    private readonly attempts: number,
    private readonly onStatus: (snapshot: StatusSnapshot) => void,
  ) {}

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
    return {
      version: w[1]!,
      ...caps,
      clockHz,
      nominalHashRate: caps.cyclesPerNonce > 0 && clockHz > 0 ? (clockHz * caps.engines) / caps.cyclesPerNonce : 0,
    };
  }

  /** The core's result sequence numbers start again (it was reset). */
  forgetResults(): void {
    this.handledSeq = -1;
  }

  async readStatus(): Promise<StatusSnapshot> {
    const w = await this.read(REG.STATUS, STATUS_WORDS, this.frames.status);
    const s = this.snapshot;
    decodeStatus(w[0]!, s.status);
    this.statusKnown = true;
    s.nonces = w[1]! + w[2]! * 0x100000000;
    s.cycles = w[3]! + w[4]! * 0x100000000;
    s.activeId = w[5]! & 0xffff;
    this.onStatus(s);
    return s;
  }

  /** CONTROL write, confirmed by STATUS (a refused write sets a link error flag: send again). */
  async control(bits: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.writeOne(REG.CONTROL, bits);
      const { status } = await this.readStatus();
      if ((status.errors & LINK_ERRORS) === 0) return;
      if (attempt >= this.attempts) throw new CoreLinkError(`core link: CONTROL write refused ${attempt} times (${errorNames(status.errors).join(', ')})`);
      this.counters.retries++;
      await this.clearErrors();
    }
  }

  /** CONTROL.CLEAR_ERRORS, once and unconfirmed: the next STATUS read shows whether it took. */
  async clearErrors(): Promise<void> {
    await this.writeOne(REG.CONTROL, CONTROL_CLEAR_ERRORS);
  }

  /**
   * Writes one WORK (`words`, carrying work id `id`). The core refuses a corrupted frame and
   * flags it, so the write is confirmed by reading STATUS. A 2.x core counts the works it
   * accepted, which says exactly whether this one arrived; a 1.0 core only has the error
   * flags: link errors → send again; ERR_QUEUE → no room. False: the queue had no room.
   */
  async writeWork(words: Uint32Array, id: number): Promise<boolean> {
    return this.protocol2 ? this.writeWorkCounted(words) : this.writeWorkFlagged(words, id);
  }

  /**
   * The 2.x confirmation: STATUS[31:24] moves by one exactly when the queue took the work, so
   * error flags left by earlier frames (a refused acknowledgement) cannot make it send twice.
   */
  private async writeWorkCounted(words: Uint32Array): Promise<boolean> {
    if (!this.statusKnown) await this.readStatus();
    const status = this.snapshot.status;
    for (let attempt = 1; ; attempt++) {
      const want = (status.accepted + 1) & 0xff;
      await this.transfer(buildWrite(this.frames.work, REG.WORK, words, WORK_WORDS));
      await this.readStatus();
      if (status.accepted === want) return true;
      const errors = status.errors;
      if (errors !== 0) await this.clearErrors();
      if (errors & ERR.FIFO) this.counters.fifoOverflows++;
      if (errors & ERR.QUEUE || status.queueFull) return false;
      if (attempt >= this.attempts) throw new CoreLinkError(`core link: WORK write refused ${attempt} times (${errorNames(errors).join(', ') || 'no error flag'})`);
      this.counters.retries++;
    }
  }

  private async writeWorkFlagged(words: Uint32Array, id: number): Promise<boolean> {
    const s = this.snapshot;
    for (let attempt = 1; ; attempt++) {
      const queuedBefore = s.status.queued;
      await this.transfer(buildWrite(this.frames.work, REG.WORK, words, WORK_WORDS));
      const retriesBefore = this.counters.retries;
      await this.readStatus();
      const errors = s.status.errors;
      if (errors === 0) return true;
      const readFailed = this.counters.retries !== retriesBefore;
      if (errors & ERR.FIFO) this.counters.fifoOverflows++;
      await this.clearErrors();
      if (errors & ERR.QUEUE) return false;
      if ((errors & LINK_ERRORS) === 0) return true;
      // The error may come from a status read the core refused rather than from our write:
      // then the queue itself says whether the work arrived.
      if (readFailed && (s.status.queued > queuedBefore || (s.status.busy && s.activeId === id))) return true;
      if (attempt >= this.attempts) throw new CoreLinkError(`core link: WORK write refused ${attempt} times (${errorNames(errors).join(', ')})`);
      this.counters.retries++;
    }
  }

  /**
   * Takes the oldest result; undefined when the FIFO turned out empty. A 2.x core's result is
   * peeked, then acknowledged unconfirmed: a lost acknowledgement shows as the same sequence
   * number at the next read, which comes back with `fresh` false.
   */
  async takeResult(): Promise<ResultTake | undefined> {
    const w = await this.read(this.protocol2 ? REG.RESULT_PEEK : REG.RESULT, RESULT_WORDS, this.frames.result);
    const head = decodeResult(w, this.head);
    if (!head.valid) return undefined;
    if (!this.protocol2) return { id: head.id, nonce: head.nonce, fresh: true };
    const fresh = head.seq !== this.handledSeq;
    if (fresh) this.handledSeq = head.seq;
    else this.counters.retries++;
    await this.writeOne(REG.RESULT_ACK, head.seq);
    return { id: head.id, nonce: head.nonce, fresh };
  }

  private async writeOne(addr: number, word: number): Promise<void> {
    this.words[0] = word;
    await this.transfer(buildWrite(this.frames.control, addr, this.words, 1));
  }

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
      this.counters.retries++;
    }
  }

  /** Reads `count` words at `addr`, retrying on a CRC mismatch. */
  private async read(addr: number, count: number, frame: Uint8Array): Promise<Uint32Array> {
    for (let attempt = 1; ; attempt++) {
      buildRead(frame, addr, count);
      await this.transfer(frame);
      if (parseRead(frame, count, this.words)) return this.words;
      if (attempt >= this.attempts) throw new CoreLinkError(`core link: ${attempt} reads of 0x${addr.toString(16)} failed their CRC`);
      this.counters.retries++;
    }
  }
}

/** The error flags that say a frame was refused (it is sent again), as against queue/FIFO events. */
export function linkErrors(errors: number): number {
  return errors & LINK_ERRORS;
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

export function hex32(v: number): string {
  return '0x' + u32ToHex(v);
}
