/**
 * Building and reading frames (docs/core-protocol.md §2) in caller-owned buffers, so the
 * driver's steady state allocates nothing.
 */
import { CMD_READ, CMD_WRITE, HEADER_BYTES, MAX_FRAME_WORDS, crc8, frameBytes } from './protocol.ts';

function header(buf: Uint8Array, cmd: number, addr: number, count: number): void {
  buf[0] = cmd;
  buf[1] = addr;
  buf[2] = count;
  buf[3] = crc8(buf, 0, 3);
}

/** A read of `count` words at `addr` in `buf` (exactly `frameBytes(count)` long). */
export function buildRead(buf: Uint8Array, addr: number, count: number): Uint8Array {
  checkSize(buf, count);
  header(buf, CMD_READ, addr, count);
  buf.fill(0, HEADER_BYTES);
  return buf;
}

/** A write of `words[0..count)` to `addr` in `buf` (exactly `frameBytes(count)` long). */
export function buildWrite(buf: Uint8Array, addr: number, words: ArrayLike<number>, count = words.length): Uint8Array {
  checkSize(buf, count);
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
  buf[end] = crc8(buf, HEADER_BYTES, end);
  return buf;
}

/**
 * The words a read frame brought back, into `out`. Returns false when the core's DCRC does
 * not match (a corrupted or refused read: the words are not to be trusted).
 */
export function parseRead(buf: Uint8Array, count: number, out: Uint32Array): boolean {
  const end = HEADER_BYTES + 4 * count;
  for (let i = 0; i < count; i++) {
    const o = HEADER_BYTES + 4 * i;
    out[i] = ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
  }
  return buf[end] === crc8(buf, HEADER_BYTES, end);
}

function checkSize(buf: Uint8Array, count: number): void {
  if (count < 1 || count > MAX_FRAME_WORDS || buf.length !== frameBytes(count)) {
    throw new RangeError(`a ${count}-word frame needs a ${frameBytes(count)}-byte buffer`);
  }
}
