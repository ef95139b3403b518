/**
 * Building and reading frames (docs/core-protocol.md §2) in caller-owned buffers, so the
 * driver's steady state allocates nothing. A buffer's length says the frame's data CRC size:
 * `frameBytes(count)` for protocol 2.x, `frameBytes(count, 1)` for a 1.x core.
 */
import { CMD_READ, CMD_WRITE, type DataCrcBytes, HEADER_BYTES, MAX_FRAME_WORDS, crc8, dataCrc } from './protocol.ts';

function header(buf: Uint8Array, cmd: number, addr: number, count: number): void {
  buf[0] = cmd;
  buf[1] = addr;
  buf[2] = count;
  buf[3] = crc8(buf, 0, 3);
}

/** A read of `count` words at `addr` in `buf` (exactly `frameBytes(count, crcBytes)` long). */
export function buildRead(buf: Uint8Array, addr: number, count: number): Uint8Array {
  crcBytesOf(buf, count);
  header(buf, CMD_READ, addr, count);
  buf.fill(0, HEADER_BYTES);
  return buf;
}

/** A write of `words[0..count)` to `addr` in `buf` (exactly `frameBytes(count, crcBytes)` long). */
export function buildWrite(buf: Uint8Array, addr: number, words: ArrayLike<number>, count = words.length): Uint8Array {
  const crcBytes = crcBytesOf(buf, count);
  header(buf, CMD_WRITE, addr, count);
  for (let i = 0; i < count; i++) {
    const w = words[i]!;
    const o = HEADER_BYTES + 4 * i;
    buf[o] = w >>> 24;
    buf[o + 1] = w >>> 16;
    buf[o + 2] = w >>> 8;
    buf[o + 3] = w;
  }
  const end = HEADER_BYTES + 4 * count;
  putCrc(buf, end, dataCrc(buf, HEADER_BYTES, end, crcBytes), crcBytes);
  return buf;
}

/**
 * The words a read frame brought back, into `out`. Returns false when the core's DCRC does
 * not match (a corrupted or refused read: the words are not to be trusted).
 */
export function parseRead(buf: Uint8Array, count: number, out: Uint32Array): boolean {
  const crcBytes = crcBytesOf(buf, count);
  const end = HEADER_BYTES + 4 * count;
  for (let i = 0; i < count; i++) {
    const o = HEADER_BYTES + 4 * i;
    out[i] = ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
  }
  const got = crcBytes === 2 ? (buf[end]! << 8) | buf[end + 1]! : buf[end]!;
  return got === dataCrc(buf, HEADER_BYTES, end, crcBytes);
}

/** Big-endian, as every multi-byte value on the wire. */
function putCrc(buf: Uint8Array, at: number, crc: number, crcBytes: DataCrcBytes): void {
  if (crcBytes === 2) {
    buf[at] = crc >>> 8;
    buf[at + 1] = crc;
  } else {
    buf[at] = crc;
  }
}

function crcBytesOf(buf: Uint8Array, count: number): DataCrcBytes {
  const rest = buf.length - HEADER_BYTES - 4 * count;
  if (count < 1 || count > MAX_FRAME_WORDS || (rest !== 1 && rest !== 2)) {
    throw new RangeError(`a ${count}-word frame needs a buffer of ${HEADER_BYTES + 4 * count + 2} bytes (${HEADER_BYTES + 4 * count + 1} for protocol 1.x)`);
  }
  return rest;
}
