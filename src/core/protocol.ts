/**
 * The ESP32 ⇄ FPGA core protocol as constants and pure codecs. docs/core-protocol.md is the
 * source of truth; this file mirrors it for the driver and the model, and a test holds this
 * file, the doc's register table and hdl/kh_core.v to the same numbers.
 */

export const CMD_READ = 0x52;
export const CMD_WRITE = 0x57;

export const REG = {
  MAGIC: 0x00,
  VERSION: 0x01,
  CAPS: 0x02,
  CLOCK_HZ: 0x03,
  CONTROL: 0x04,
  STATUS: 0x05,
  NONCES_LO: 0x06,
  NONCES_HI: 0x07,
  CYCLES_LO: 0x08,
  CYCLES_HI: 0x09,
  WORK_ID: 0x0a,
  WORK: 0x10,
  RESULT: 0x20,
  RESULT_PEEK: 0x21,
  RESULT_ACK: 0x22,
} as const;

export const MAGIC = 0x4b484153;
/**
 * 2.0: data CRC-16, results popped by acknowledgement (RESULT_PEEK, RESULT_ACK), the accepted
 * works counted in STATUS.
 */
export const PROTOCOL_VERSION = 0x00020000;
/** 1.0: data CRC-8; RESULT pops on the read; no RESULT_PEEK, RESULT_ACK or accepted count. */
export const PROTOCOL_VERSION_1_0 = 0x00010000;

/**
 * Bytes of a frame's data CRC: 2 (CRC-16) from protocol 2.0, 1 (CRC-8) in 1.x. The size of a
 * frame buffer says which: `frameBytes(words, crcBytes)`.
 */
export type DataCrcBytes = 1 | 2;
export const DATA_CRC_BYTES: DataCrcBytes = 2;

/** The data CRC size a protocol major version uses. */
export function dataCrcBytesOf(version: number): DataCrcBytes {
  return version >>> 16 >= 2 ? 2 : 1;
}

export const CONTROL_RESET = 1 << 0;
export const CONTROL_CLEAR_ERRORS = 1 << 1;
export const CONTROL_ABORT = 1 << 2;

/** Words in one WORK write (midstate 8, tail 3, first, last, id, threshold). */
export const WORK_WORDS = 15;
/** Words in one RESULT / RESULT_PEEK read. */
export const RESULT_WORDS = 2;

/** One result as word 0 of a RESULT read carries it: valid, sequence number, work id. */
export interface ResultHead {
  valid: boolean;
  /** Results popped since reset, modulo 256, when this one is the oldest (2.x). */
  seq: number;
  id: number;
}

export function encodeResultHead(valid: boolean, seq: number, id: number): number {
  return valid ? (0x80000000 | ((seq & 0xff) << 16) | (id & 0xffff)) >>> 0 : 0;
}

export function decodeResultHead(word: number, out: ResultHead): ResultHead {
  out.valid = (word & 0x80000000) !== 0;
  out.seq = (word >>> 16) & 0xff;
  out.id = word & 0xffff;
  return out;
}
/** Most words one frame may carry. */
export const MAX_FRAME_WORDS = 16;
/** CMD ADDR COUNT HCRC. */
export const HEADER_BYTES = 4;

/** Bytes of a whole frame carrying `words` data words: header, data, DCRC. */
export function frameBytes(words: number, crcBytes: DataCrcBytes = DATA_CRC_BYTES): number {
  return HEADER_BYTES + 4 * words + crcBytes;
}

export const ERR = {
  CRC: 1 << 0,
  CMD: 1 << 1,
  ADDR: 1 << 2,
  FRAME: 1 << 3,
  QUEUE: 1 << 4,
  FIFO: 1 << 5,
} as const;

export type CoreErrorName = keyof typeof ERR;
export const ERROR_NAMES = Object.keys(ERR) as CoreErrorName[];

/** Names of the error flags set in `bits` (STATUS[23:16]). */
export function errorNames(bits: number): CoreErrorName[] {
  return ERROR_NAMES.filter((n) => (bits & ERR[n]) !== 0);
}

// ── CRC-8/SMBUS: poly 0x07, init 0, no reflection, no final XOR ──────────────────────────

const CRC_TABLE = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let b = 0; b < 8; b++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
    t[i] = c;
  }
  return t;
})();

export function crc8Byte(crc: number, byte: number): number {
  return CRC_TABLE[(crc ^ byte) & 0xff]!;
}

export function crc8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0;
  for (let i = start; i < end; i++) c = CRC_TABLE[c ^ bytes[i]!]!;
  return c;
}

// ── CRC-16/CCITT-FALSE: poly 0x1021, init 0xffff, no reflection, no final XOR ─────────────
// Why 16 bits: an 8-bit CRC detects every 2-bit error only up to 119 bits, and a 60-byte WORK
// frame is 480. Why init 0xffff: with init 0 a reply of all zeros (a refused frame, a line
// stuck low) carries a matching CRC of zero.
export const CRC16_INIT = 0xffff;

const CRC16_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

export function crc16Byte(crc: number, byte: number): number {
  return ((crc << 8) & 0xff00) ^ CRC16_TABLE[((crc >>> 8) ^ byte) & 0xff]!;
}

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = CRC16_INIT;
  for (let i = start; i < end; i++) c = ((c << 8) & 0xff00) ^ CRC16_TABLE[(c >>> 8) ^ bytes[i]!]!;
  return c;
}

/** The data CRC of `bytes[start..end)` in the given size. */
export function dataCrc(bytes: Uint8Array, start: number, end: number, crcBytes: DataCrcBytes): number {
  return crcBytes === 2 ? crc16(bytes, start, end) : crc8(bytes, start, end);
}

// ── register decoders ────────────────────────────────────────────────────────────────────

export interface CoreCaps {
  engines: number;
  queueDepth: number;
  fifoDepth: number;
  /** Clock cycles one engine spends per nonce (0: not a clocked core). */
  cyclesPerNonce: number;
}

export function decodeCaps(caps: number): CoreCaps {
  return {
    engines: caps & 0xff,
    queueDepth: (caps >>> 8) & 0xf,
    fifoDepth: (caps >>> 12) & 0xff,
    cyclesPerNonce: caps >>> 20,
  };
}

export function encodeCaps(c: CoreCaps): number {
  return ((c.cyclesPerNonce << 20) | (c.fifoDepth << 12) | (c.queueDepth << 8) | c.engines) >>> 0;
}

export interface CoreStatus {
  busy: boolean;
  queueFull: boolean;
  queued: number;
  resultReady: boolean;
  results: number;
  errors: number;
  /** Works the queue accepted since reset, modulo 256 (2.x; always 0 on a 1.0 core). */
  accepted: number;
}

export function emptyStatus(): CoreStatus {
  return { busy: false, queueFull: false, queued: 0, resultReady: false, results: 0, errors: 0, accepted: 0 };
}

/** Decodes STATUS into `out` (reused by the driver, so polling allocates nothing). */
export function decodeStatus(s: number, out: CoreStatus): CoreStatus {
  out.busy = (s & 1) !== 0;
  out.queueFull = (s & 2) !== 0;
  out.queued = (s >>> 2) & 3;
  out.resultReady = (s & 0x10) !== 0;
  out.results = (s >>> 8) & 0xff;
  out.errors = (s >>> 16) & 0xff;
  out.accepted = s >>> 24;
  return out;
}

export function encodeStatus(s: CoreStatus): number {
  return (
    ((s.accepted & 0xff) << 24) |
    ((s.errors & 0xff) << 16) |
    ((s.results & 0xff) << 8) |
    (s.resultReady ? 0x10 : 0) |
    ((s.queued & 3) << 2) |
    (s.queueFull ? 2 : 0) |
    (s.busy ? 1 : 0)
  ) >>> 0;
}

/** Threshold as the core applies it: 1..32 leading zero bits (0 counts as 1). */
export function clampThreshold(bits: number): number {
  const t = bits & 0x3f;
  return t === 0 ? 1 : t > 32 ? 32 : t;
}
