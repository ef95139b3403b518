/**
 * The serial hop between the host and the Espruino bridge (kh-bridge.js), as docs/espruino.md
 * specifies it: one base64 line per message, each message a small header, the bytes, and a
 * CRC-32. Text lines because the hop is the board's console: USB CDC and UART consoles may
 * use XON/XOFF, Telnet has its own escapes, and a line is found again after any noise.
 */
import { crc32 } from 'node:zlib';

export const OP = { XFER: 0x01, QUIT: 0x03, BAD: 0xff } as const;

export const HOP_STATUS = {
  OK: 0,
  CRC: 1,
  LENGTH: 2,
  OP: 3,
  SPI: 4,
  LINE: 5,
} as const;

const STATUS_TEXT: Record<number, string> = {
  [HOP_STATUS.CRC]: 'the request failed its CRC on the serial hop',
  [HOP_STATUS.LENGTH]: 'the request had the wrong length',
  [HOP_STATUS.OP]: 'the bridge does not know that request',
  [HOP_STATUS.SPI]: 'the SPI transfer failed on the board',
  [HOP_STATUS.LINE]: 'the request line was too long',
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? `status ${status}`;
}

/** Largest frame the hop carries (its length is one byte). */
export const MAX_HOP_BYTES = 255;

export function encodeRequest(op: number, seq: number, data: Uint8Array = new Uint8Array(0)): string {
  if (data.length > MAX_HOP_BYTES) throw new RangeError(`a hop carries at most ${MAX_HOP_BYTES} bytes, not ${data.length}`);
  const b = Buffer.alloc(data.length + 7);
  b[0] = op;
  b[1] = seq & 0xff;
  b[2] = data.length;
  b.set(data, 3);
  b.writeUInt32LE(crc32(b.subarray(0, data.length + 3)), data.length + 3);
  return `${b.toString('base64')}\n`;
}

export interface HopReply {
  op: number;
  seq: number;
  status: number;
  data: Uint8Array;
}

/** One reply line (without its newline), or undefined when it is not a whole, intact reply. */
export function decodeReply(line: string): HopReply | undefined {
  const text = line.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const b = Buffer.from(text, 'base64');
  if (b.length < 8) return undefined;
  const len = b[3]!;
  if (b.length !== len + 8) return undefined;
  if (crc32(b.subarray(0, len + 4)) !== b.readUInt32LE(len + 4)) return undefined;
  return { op: b[0]!, seq: b[1]!, status: b[2]!, data: new Uint8Array(b.subarray(4, 4 + len)) };
}
