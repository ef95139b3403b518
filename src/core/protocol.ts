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
} as const;

export const MAGIC = 0x4b484153;
export const PROTOCOL_VERSION = 0x00010000;

export const CONTROL_RESET = 1 << 0;
export const CONTROL_CLEAR_ERRORS = 1 << 1;
export const CONTROL_ABORT = 1 << 2;

/** Words in one WORK write (midstate 8, tail 3, first, last, id, threshold). */
export const WORK_WORDS = 15;
/** Words in one RESULT read. */
export const RESULT_WORDS = 2;
/** Most words one frame may carry. */
export const MAX_FRAME_WORDS = 16;
/** CMD ADDR COUNT HCRC. */
export const HEADER_BYTES = 4;

/** Bytes of a whole frame carrying `words` data words: header, data, DCRC. */
export function frameBytes(words: number): number {
  return HEADER_BYTES + 4 * words + 1;
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
}

/** Decodes STATUS into `out` (reused by the driver, so polling allocates nothing). */
export function decodeStatus(s: number, out: CoreStatus): CoreStatus {
  out.busy = (s & 1) !== 0;
  out.queueFull = (s & 2) !== 0;
  out.queued = (s >>> 2) & 3;
  out.resultReady = (s & 0x10) !== 0;
  out.results = (s >>> 8) & 0xff;
  out.errors = (s >>> 16) & 0xff;
  return out;
}

export function encodeStatus(s: CoreStatus): number {
  return (
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
