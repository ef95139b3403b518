/**
 * The ESP32 ⇄ FPGA core protocol as constants and pure codecs. docs/core-protocol.md is the
 * specification; this file is its one machine-readable copy: the driver and the model import
 * it, hdl/kh_protocol.vh is generated from it for the RTL (host/tools/gen-protocol-vh.ts), and
 * tests hold the doc's tables and the generated include to it.
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

/** CONTROL bits by position. */
export const CONTROL_BIT = { RESET: 0, CLEAR_ERRORS: 1, ABORT: 2 } as const;
export const CONTROL_RESET = 1 << CONTROL_BIT.RESET;
export const CONTROL_CLEAR_ERRORS = 1 << CONTROL_BIT.CLEAR_ERRORS;
export const CONTROL_ABORT = 1 << CONTROL_BIT.ABORT;

/** Works the core's queue holds beside the one running. */
export const QUEUE_DEPTH = 2;
/** Results the core's FIFO holds. */
export const FIFO_DEPTH = 16;

/** Where each field of a WORK write starts, in words. */
export const WORK_WORD = {
  MIDSTATE: 0,
  TAIL: 8,
  FIRST: 11,
  LAST: 12,
  ID: 13,
  THRESHOLD: 14,
} as const;
export const MIDSTATE_WORDS = 8;
export const TAIL_WORDS = 3;
/** Words in one WORK write (midstate 8, tail 3, first, last, id, threshold). */
export const WORK_WORDS = 15;
/** Words in one RESULT / RESULT_PEEK read: the head (valid, seq, id) and the nonce. */
export const RESULT_WORDS = 2;

/**
 * Lays one work out as a WORK write carries it, into `out` (reused by the driver, so a work
 * allocates nothing).
 */
export function encodeWork(
  out: Uint32Array,
  midstate: ArrayLike<number>,
  tail: ArrayLike<number>,
  first: number,
  last: number,
  id: number,
  threshold: number,
): Uint32Array {
  for (let i = 0; i < MIDSTATE_WORDS; i++) out[WORK_WORD.MIDSTATE + i] = midstate[i]!;
  for (let i = 0; i < TAIL_WORDS; i++) out[WORK_WORD.TAIL + i] = tail[i]!;
  out[WORK_WORD.FIRST] = first;
  out[WORK_WORD.LAST] = last;
  out[WORK_WORD.ID] = id;
  out[WORK_WORD.THRESHOLD] = threshold;
  return out;
}

/** The fields of a WORK write, as views into `words` (no copy). */
export function decodeWork(words: Uint32Array): {
  midstate: Uint32Array; tail: Uint32Array; first: number; last: number; id: number; threshold: number;
} {
  return {
    midstate: words.subarray(WORK_WORD.MIDSTATE, WORK_WORD.MIDSTATE + MIDSTATE_WORDS),
    tail: words.subarray(WORK_WORD.TAIL, WORK_WORD.TAIL + TAIL_WORDS),
    first: words[WORK_WORD.FIRST]!,
    last: words[WORK_WORD.LAST]!,
    id: words[WORK_WORD.ID]!,
    threshold: words[WORK_WORD.THRESHOLD]!,
  };
}

/** Bit positions in a RESULT read's word 0. */
export const RESULT_BIT = { VALID: 31, SEQ: 16, ID: 0 } as const;

/** One result as word 0 of a RESULT read carries it: valid, sequence number, work id. */
export interface ResultHead {
  valid: boolean;
  /** Results popped since reset, modulo 256, when this one is the oldest (2.x). */
  seq: number;
  id: number;
}

export function encodeResultHead(valid: boolean, seq: number, id: number): number {
  return valid ? ((1 << RESULT_BIT.VALID) | ((seq & 0xff) << RESULT_BIT.SEQ) | ((id & 0xffff) << RESULT_BIT.ID)) >>> 0 : 0;
}

export function decodeResultHead(word: number, out: ResultHead): ResultHead {
  out.valid = (word >>> RESULT_BIT.VALID) !== 0;
  out.seq = (word >>> RESULT_BIT.SEQ) & 0xff;
  out.id = (word >>> RESULT_BIT.ID) & 0xffff;
  return out;
}

export interface ResultRead extends ResultHead {
  nonce: number;
}

/** Both words of a RESULT / RESULT_PEEK read, into `out`. */
export function decodeResult(words: ArrayLike<number>, out: ResultRead): ResultRead {
  decodeResultHead(words[0]!, out);
  out.nonce = words[1]! >>> 0;
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

/** Error flags by position in STATUS's error byte. */
export const ERR_BIT = { CRC: 0, CMD: 1, ADDR: 2, FRAME: 3, QUEUE: 4, FIFO: 5 } as const;

export const ERR = {
  CRC: 1 << ERR_BIT.CRC,
  CMD: 1 << ERR_BIT.CMD,
  ADDR: 1 << ERR_BIT.ADDR,
  FRAME: 1 << ERR_BIT.FRAME,
  QUEUE: 1 << ERR_BIT.QUEUE,
  FIFO: 1 << ERR_BIT.FIFO,
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

/** CAPS fields: where each starts (widths 8, 4, 8, 12). */
export const CAPS_BIT = { ENGINES: 0, QUEUE_DEPTH: 8, FIFO_DEPTH: 12, CYCLES_PER_NONCE: 20 } as const;

export function decodeCaps(caps: number): CoreCaps {
  return {
    engines: (caps >>> CAPS_BIT.ENGINES) & 0xff,
    queueDepth: (caps >>> CAPS_BIT.QUEUE_DEPTH) & 0xf,
    fifoDepth: (caps >>> CAPS_BIT.FIFO_DEPTH) & 0xff,
    cyclesPerNonce: caps >>> CAPS_BIT.CYCLES_PER_NONCE,
  };
}

export function encodeCaps(c: CoreCaps): number {
  return (
    (c.cyclesPerNonce << CAPS_BIT.CYCLES_PER_NONCE) |
    (c.fifoDepth << CAPS_BIT.FIFO_DEPTH) |
    (c.queueDepth << CAPS_BIT.QUEUE_DEPTH) |
    (c.engines << CAPS_BIT.ENGINES)
  ) >>> 0;
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

/** STATUS fields: where each starts (QUEUED is 2 bits wide, the counts 8). */
export const STATUS_BIT = { BUSY: 0, QUEUE_FULL: 1, QUEUED: 2, RESULT_READY: 4, RESULTS: 8, ERRORS: 16, ACCEPTED: 24 } as const;

/** Decodes STATUS into `out` (reused by the driver, so polling allocates nothing). */
export function decodeStatus(s: number, out: CoreStatus): CoreStatus {
  out.busy = ((s >>> STATUS_BIT.BUSY) & 1) !== 0;
  out.queueFull = ((s >>> STATUS_BIT.QUEUE_FULL) & 1) !== 0;
  out.queued = (s >>> STATUS_BIT.QUEUED) & 3;
  out.resultReady = ((s >>> STATUS_BIT.RESULT_READY) & 1) !== 0;
  out.results = (s >>> STATUS_BIT.RESULTS) & 0xff;
  out.errors = (s >>> STATUS_BIT.ERRORS) & 0xff;
  out.accepted = (s >>> STATUS_BIT.ACCEPTED) & 0xff;
  return out;
}

export function encodeStatus(s: CoreStatus): number {
  return (
    ((s.accepted & 0xff) << STATUS_BIT.ACCEPTED) |
    ((s.errors & 0xff) << STATUS_BIT.ERRORS) |
    ((s.results & 0xff) << STATUS_BIT.RESULTS) |
    ((s.resultReady ? 1 : 0) << STATUS_BIT.RESULT_READY) |
    ((s.queued & 3) << STATUS_BIT.QUEUED) |
    ((s.queueFull ? 1 : 0) << STATUS_BIT.QUEUE_FULL) |
    ((s.busy ? 1 : 0) << STATUS_BIT.BUSY)
  ) >>> 0;
}

/** Threshold as the core applies it: 1..32 leading zero bits (0 counts as 1). */
export function clampThreshold(bits: number): number {
  const t = bits & 0x3f;
  return t === 0 ? 1 : t > 32 ? 32 : t;
}

/**
 * The UART link (docs/core-protocol.md §9): the same frames, SLIP-framed on an 8N1 line. END
 * closes a frame (and, sent first, discards whatever noise came before); ESC escapes an END or
 * ESC byte inside one. The core answers each frame's n bytes with n bytes and an END.
 */
export const UART = { END: 0xc0, ESC: 0xdb, ESC_END: 0xdc, ESC_ESC: 0xdd } as const;
/** The baud rate a UART core is built for unless told otherwise (FT2232H's fastest). */
export const UART_DEFAULT_BAUD = 3_000_000;
/** Core clock cycles per bit a UART core needs at least: it samples each bit mid-way. */
export const UART_MIN_CYCLES_PER_BIT = 8;
/** Most a UART core's bit time may be off its baud rate (rounding of clock / baud). */
export const UART_MAX_BAUD_ERROR = 0.02;
