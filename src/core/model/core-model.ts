/**
 * Behavioural model of the mining core: the frames, registers, work queue and result FIFO of
 * docs/core-protocol.md, byte for byte as hdl/kh_core.v implements them, with the hashing done
 * by the TypeScript scanner. XS-portable: the firmware's desktop build uses it as its core.
 *
 * Time is explicit. `transfer()` is one SPI frame (CS low → bytes → CS high) and is handled
 * at once; `hash(budget)` lets the engines run for up to `budget` nonces. A runner decides when
 * to call it (model-link.ts on a timer; host/model with worker threads).
 */
import {
  CMD_READ,
  CMD_WRITE,
  CONTROL_ABORT,
  CONTROL_CLEAR_ERRORS,
  CONTROL_RESET,
  ERR,
  MAGIC,
  PROTOCOL_VERSION,
  PROTOCOL_VERSION_1_0,
  REG,
  WORK_WORDS,
  decodeWork,
  type CoreStatus,
  clampThreshold,
  crc8Byte,
  crc16Byte,
  CRC16_INIT,
  encodeResultHead,
  encodeCaps,
  emptyStatus,
  encodeStatus,
} from '../protocol.ts';
import type { ReadyLine } from '../link.ts';
import { type ScanWork, lastHitCount, prepareScan, scan, thresholdMask } from './nonce-scanner.ts';

export interface CoreModelOptions {
  /** Engines the model reports in CAPS (its hashing is one stream whatever this says). */
  engines?: number;
  /** What CLOCK_HZ reads; 0 (the default) says the model is not a clocked core. */
  clockHz?: number;
  /**
   * '1.0' answers as a core built before acknowledged results: VERSION 1.0, no RESULT_PEEK or
   * RESULT_ACK, no accepted-works count in STATUS, CRC-8 data CRCs (to prove the driver still drives one).
   */
  protocol?: '1.0' | '2.0';
}

export const MODEL_QUEUE_DEPTH = 2;
export const MODEL_FIFO_DEPTH = 16;

/** A work as the core holds it once loaded (words exactly as written to WORK). */
interface ModelWork {
  scan: ScanWork;
  next: number;
  last: number;
  id: number;
  mask: number;
  /** More nonces to hand out (`next <= last`). */
  more: boolean;
}

/** A stretch of nonces handed to an engine: `count` nonces from `first` of `work`. */
export interface Claim {
  readonly work: ModelWorkHandle;
  readonly first: number;
  readonly count: number;
}

/** Opaque to engines except for what hashing needs. */
export interface ModelWorkHandle {
  readonly scan: ScanWork;
  readonly mask: number;
  readonly id: number;
  /** Bumped by RESET/ABORT: results from an older generation are dropped. */
  readonly generation: number;
}

export class CoreModel {
  readonly engines: number;
  readonly clockHz: number;
  private readonly caps: number;
  private readonly legacy: boolean;

  // Registers and counters. Counters are doubles: exact far beyond 2^32.
  private errors = 0;
  private nonces = 0;
  private cycles = 0;
  private noncesHiLatch = 0;
  private cyclesHiLatch = 0;

  // Queue of works (raw 15-word images) and the active one.
  private readonly queue: Uint32Array[] = [];
  private readonly spare: Uint32Array[] = [];
  private active: (ModelWork & ModelWorkHandle) | undefined;
  private activeId = 0;
  private generation = 0;
  /** Works the queue accepted since reset, modulo 256 (STATUS[31:24]). */
  private accepted = 0;
  /** Claims handed out and not yet completed (threaded engines): the core is busy meanwhile. */
  private inFlight = 0;

  // Result FIFO: a ring of {id, nonce}.
  private readonly fifoId = new Uint16Array(MODEL_FIFO_DEPTH);
  private readonly fifoNonce = new Uint32Array(MODEL_FIFO_DEPTH);
  private fifoHead = 0;
  private fifoCount = 0;
  /** Sequence number of the oldest result: results popped since reset, modulo 256. */
  private resultSeq = 0;

  /**
   * The core's answer to the last frame's last byte: what it would have shifted out next. SPI
   * never sees it; the UART link sends it (docs/core-protocol.md §9).
   */
  answerToLast = 0;

  // Frame scratch.
  private readonly statusFields: CoreStatus = emptyStatus();
  private readonly writeWords = new Uint32Array(16);
  private readonly hits = new Uint32Array(MODEL_FIFO_DEPTH + 1);

  constructor(options: CoreModelOptions = {}) {
    this.engines = options.engines ?? 1;
    if (!Number.isInteger(this.engines) || this.engines < 1 || this.engines > 255) throw new RangeError('engines must be 1..255');
    this.clockHz = options.clockHz ?? 0;
    this.legacy = options.protocol === '1.0';
    this.caps = encodeCaps({ engines: this.engines, queueDepth: MODEL_QUEUE_DEPTH, fifoDepth: MODEL_FIFO_DEPTH, cyclesPerNonce: 1 });
  }

  /** The result-ready line. */
  get ready(): boolean {
    return this.fifoCount > 0;
  }

  /** Something to hash: a work loaded with nonces left, or one queued. */
  get hasWork(): boolean {
    return (this.active !== undefined && this.active.more) || this.queue.length > 0;
  }

  get busy(): boolean {
    return this.active !== undefined || this.inFlight > 0;
  }

  // ── the SPI side ─────────────────────────────────────────────────────────────────────

  /**
   * One whole frame, full duplex and in place: `frame` holds MOSI bytes, gets MISO bytes.
   * `endedMidByte`: the frame ended inside a byte (SPI), or arrived damaged (the UART link's
   * bad escape or framing error): its bytes are answered, then it counts as cut short.
   */
  transfer(frame: Uint8Array, endedMidByte = false): void {
    const len = frame.length;
    if (len === 0) return;
    let cmd = 0, addr = 0, count = 0, hcrc = 0;
    let headerOk = false, bad = false, dataCrcOk = false, resultLatched = false;
    const crcBytes = this.legacy ? 1 : 2;
    const crcByte = this.legacy ? crc8Byte : crc16Byte;
    const crcInit = this.legacy ? 0 : CRC16_INIT;
    let tx = 0x00;
    let txWord = 0;
    let rdAddr = 0;
    let resultNonce = 0;
    let wshift = 0;
    let dcrc = crcInit;
    // 2.x: a refused read answers 0xff to its last byte, whatever length its header claimed.
    let refusedRead = false;
    let pos = 0;
    for (; pos < len; pos++) {
      const rx = frame[pos]!;
      frame[pos] = tx;
      const dataBytes = count * 4;
      if (pos < 3) {
        hcrc = crc8Byte(hcrc, rx);
        if (pos === 0) cmd = rx;
        if (pos === 1) { addr = rx & 0x3f; if (rx & 0xc0) bad = true; }
        if (pos === 2) count = rx > 16 ? 0 : rx;
        tx = 0x00;
      } else if (pos === 3) {
        const valid = headerValid(cmd, addr, count) && !(this.legacy && (addr === REG.RESULT_PEEK || addr === REG.RESULT_ACK));
        if (rx !== hcrc) { this.errors |= ERR.CRC; bad = true; }
        else if (cmd !== CMD_READ && cmd !== CMD_WRITE) { this.errors |= ERR.CMD; bad = true; }
        else if (bad || !valid) { this.errors |= ERR.ADDR; bad = true; }
        else headerOk = true;
        if (headerOk && cmd === CMD_READ) {
          rdAddr = addr;
          if (addr === REG.RESULT || addr === REG.RESULT_PEEK) {
            resultLatched = this.fifoCount > 0;
            txWord = encodeResultHead(resultLatched, this.legacy ? 0 : this.resultSeq, this.fifoId[this.fifoHead]!);
            resultNonce = resultLatched ? this.fifoNonce[this.fifoHead]! : 0;
          } else {
            txWord = this.readRegister(addr);
          }
          tx = txWord >>> 24;
        } else {
          tx = cmd === CMD_READ ? 0xff : 0x00;
          refusedRead = cmd === CMD_READ && !this.legacy;
        }
      } else if (pos < 4 + dataBytes) {
        const dataPos = pos - 4;
        if (cmd === CMD_WRITE) {
          dcrc = crcByte(dcrc, rx);
          wshift = ((wshift << 8) | rx) >>> 0;
          if ((dataPos & 3) === 3) this.writeWords[dataPos >> 2] = wshift;
          tx = 0x00;
        } else if (headerOk) {
          const sent = (txWord >>> (24 - 8 * (dataPos & 3))) & 0xff;
          dcrc = crcByte(dcrc, sent);
          if (dataPos + 1 === dataBytes) tx = crcBytes === 2 ? dcrc >>> 8 : dcrc;
          else if ((dataPos & 3) === 3) {
            if (addr === REG.RESULT || addr === REG.RESULT_PEEK) txWord = resultNonce;
            else { rdAddr = (rdAddr + 1) & 0x3f; txWord = this.readRegister(rdAddr); }
            tx = txWord >>> 24;
          } else {
            tx = (txWord >>> (16 - 8 * (dataPos & 3))) & 0xff;
          }
        } else {
          tx = 0xff;
        }
      } else if (pos === 4 + dataBytes) {
        // The data CRC's first (or only) byte, most significant first.
        if (cmd === CMD_WRITE && headerOk) {
          if (rx === (crcBytes === 2 ? dcrc >>> 8 : dcrc)) dataCrcOk = crcBytes === 1;
          else { this.errors |= ERR.CRC; bad = true; }
        }
        tx = crcBytes === 2 && cmd === CMD_READ ? (headerOk ? dcrc & 0xff : 0xff) : 0x00;
      } else if (crcBytes === 2 && pos === 5 + dataBytes) {
        if (cmd === CMD_WRITE && headerOk && !bad) {
          if (rx === (dcrc & 0xff)) dataCrcOk = true;
          else { this.errors |= ERR.CRC; bad = true; }
        }
        tx = 0x00;
      } else {
        if (!bad) this.errors |= ERR.FRAME;
        bad = true;
        tx = 0x00;
      }
      if (refusedRead) tx = 0xff;
    }
    this.answerToLast = tx;
    // CS_N rises.
    if (endedMidByte) {
      this.errors |= ERR.FRAME;
      return;
    }
    const frameLen = 4 + count * 4 + crcBytes;
    if (pos < 4 || (headerOk && pos < frameLen)) this.errors |= ERR.FRAME;
    const clean = headerOk && !bad && pos === frameLen;
    if (clean && cmd === CMD_READ && addr === REG.RESULT && resultLatched) this.popResult();
    if (clean && cmd === CMD_WRITE && dataCrcOk) {
      if (addr === REG.WORK) this.commitWork();
      else if (addr === REG.CONTROL) this.control(this.writeWords[0]! & 7);
      else if (this.fifoCount > 0 && (this.writeWords[0]! & 0xff) === this.resultSeq) this.popResult(); // RESULT_ACK
    }
  }

  private readRegister(a: number): number {
    switch (a) {
      case REG.MAGIC: return MAGIC;
      case REG.VERSION: return this.legacy ? PROTOCOL_VERSION_1_0 : PROTOCOL_VERSION;
      case REG.CAPS: return this.caps;
      case REG.CLOCK_HZ: return this.clockHz >>> 0;
      case REG.STATUS: return this.status();
      case REG.NONCES_LO:
        this.noncesHiLatch = Math.floor(this.nonces / 0x100000000) >>> 0;
        return this.nonces >>> 0;
      case REG.NONCES_HI: return this.noncesHiLatch;
      case REG.CYCLES_LO:
        this.cyclesHiLatch = Math.floor(this.cycles / 0x100000000) >>> 0;
        return this.cycles >>> 0;
      case REG.CYCLES_HI: return this.cyclesHiLatch;
      case REG.WORK_ID: return ((this.busy ? 0x80000000 : 0) | this.activeId) >>> 0;
      default: return 0;
    }
  }

  private status(): number {
    const s = this.statusFields;
    s.busy = this.busy;
    s.queued = this.queue.length;
    s.queueFull = s.queued === MODEL_QUEUE_DEPTH;
    s.results = this.fifoCount;
    s.resultReady = this.fifoCount > 0;
    s.errors = this.errors;
    s.accepted = this.legacy ? 0 : this.accepted;
    return encodeStatus(s);
  }

  private commitWork(): void {
    if (this.queue.length === MODEL_QUEUE_DEPTH) {
      this.errors |= ERR.QUEUE;
      return;
    }
    const image = this.spare.pop() ?? new Uint32Array(WORK_WORDS);
    image.set(this.writeWords.subarray(0, WORK_WORDS));
    this.queue.push(image);
    this.accepted = (this.accepted + 1) & 0xff;
  }

  private control(bits: number): void {
    if (bits & CONTROL_RESET) {
      this.generation++;
      this.recycleQueue();
      this.active = undefined;
      this.activeId = 0;
      this.fifoHead = 0;
      this.fifoCount = 0;
      this.resultSeq = 0;
      this.accepted = 0;
      this.nonces = 0;
      this.cycles = 0;
      this.errors = 0;
      return;
    }
    if (bits & CONTROL_CLEAR_ERRORS) this.errors = 0;
    if (bits & CONTROL_ABORT) {
      this.generation++;
      this.recycleQueue();
      this.active = undefined;
    }
  }

  private recycleQueue(): void {
    while (this.queue.length > 0) this.spare.push(this.queue.shift()!);
  }

  private popResult(): void {
    this.fifoHead = (this.fifoHead + 1) % MODEL_FIFO_DEPTH;
    this.fifoCount--;
    this.resultSeq = (this.resultSeq + 1) & 0xff;
  }

  private pushResult(id: number, nonce: number): void {
    if (this.fifoCount === MODEL_FIFO_DEPTH) {
      this.errors |= ERR.FIFO;
      return;
    }
    const slot = (this.fifoHead + this.fifoCount) % MODEL_FIFO_DEPTH;
    this.fifoId[slot] = id;
    this.fifoNonce[slot] = nonce;
    this.fifoCount++;
  }

  // ── the hashing side ─────────────────────────────────────────────────────────────────

  /**
   * Hands out up to `max` nonces of the current work (loading the next queued work when the
   * current one is all handed out). The caller hashes them and calls `complete`.
   */
  claim(max: number): Claim | undefined {
    if (this.active === undefined || !this.active.more) {
      if (this.active !== undefined && this.inFlight > 0) return undefined; // let its claims finish first
      this.active = undefined;
      if (!this.loadNext()) return undefined;
    }
    const w = this.active!;
    const remaining = w.last - w.next + 1;
    const count = Math.min(max, remaining);
    const first = w.next;
    w.next += count;
    w.more = w.next <= w.last;
    this.inFlight++;
    return { work: w, first, count };
  }

  /** Results of a claim: `hashed` nonces were hashed, `hits[0..found)` met the threshold. */
  complete(claim: Claim, hashed: number, hits: ArrayLike<number>, found: number): void {
    this.account(claim.work, hashed, hits, found);
    this.release(claim);
  }

  /**
   * Runs the engines for up to `budget` nonces on this thread; returns how many were hashed
   * (0 when there is no work).
   */
  hash(budget: number): number {
    let done = 0;
    while (done < budget) {
      const c = this.claim(budget - done);
      if (c === undefined) break;
      let hashed = 0;
      // Scan in stretches that stop when `hits` fills, so results enter the FIFO in nonce order
      // and a full FIFO drops them (ERR_FIFO) as the RTL would.
      while (hashed < c.count) {
        const n = scan(c.work.scan, (c.first + hashed) >>> 0, c.count - hashed, c.work.mask, this.hits);
        this.account(c.work, n, this.hits, lastHitCount(c.work.scan));
        hashed += n;
      }
      this.release(c);
      done += hashed;
    }
    return done;
  }

  private account(work: ModelWorkHandle, hashed: number, hits: ArrayLike<number>, found: number): void {
    if (work.generation !== this.generation) return; // reset or aborted meanwhile
    this.nonces += hashed;
    this.cycles += Math.ceil(hashed / this.engines);
    for (let i = 0; i < found; i++) this.pushResult(work.id, hits[i]!);
  }

  private release(claim: Claim): void {
    this.inFlight--;
    if (this.active === claim.work && !this.active.more && this.inFlight === 0) this.active = undefined;
  }

  private loadNext(): boolean {
    const image = this.queue.shift();
    if (image === undefined) return false;
    const w = decodeWork(image);
    const scanWork = prepareScan(w.midstate, w.tail);
    this.activeId = w.id & 0xffff;
    this.active = {
      scan: scanWork,
      next: w.first,
      last: w.last,
      id: this.activeId,
      mask: thresholdMask(clampThreshold(w.threshold)),
      more: w.first <= w.last,
      generation: this.generation,
    };
    this.spare.push(image);
    return true;
  }
}

/** Which headers the core accepts (the RTL's header_valid). */
function headerValid(cmd: number, addr: number, count: number): boolean {
  if (cmd === CMD_READ) {
    if (count === 0 || count > 16) return false;
    if (addr === REG.RESULT || addr === REG.RESULT_PEEK) return count === 2;
    return addr !== REG.CONTROL && addr <= REG.WORK_ID && addr + count <= REG.WORK_ID + 1;
  }
  if (cmd === CMD_WRITE) return ((addr === REG.CONTROL || addr === REG.RESULT_ACK) && count === 1) || (addr === REG.WORK && count === WORK_WORDS);
  return false;
}

/**
 * The model's result-ready line as a CoreLink exposes it: read it any time, or be called when
 * it rises. Whoever runs the engines calls `update()` after hashing.
 */
export class ModelReadyLine implements ReadyLine {
  private readonly risers = new Set<() => void>();
  private level = false;

  constructor(private readonly model: CoreModel) {}

  read(): boolean {
    return this.model.ready;
  }

  onRise(callback: () => void): () => void {
    this.risers.add(callback);
    return () => this.risers.delete(callback);
  }

  /** Calls the listeners if the line rose since the last update. */
  update(): void {
    const now = this.model.ready;
    const rose = now && !this.level;
    this.level = now;
    if (rose) for (const cb of this.risers) cb();
  }
}
