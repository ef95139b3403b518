/**
 * Server-to-browser WebSocket messages written in pieces the socket has room for. Moddable's
 * websocket module writes a message in one `socket.write`, which throws when the socket cannot
 * take it whole — a 3.5 KB AxeOS info object is three times lin's 1 KB write buffer and near
 * the ESP32's lwIP send buffer. The stream does not care where a write ends, so each message
 * is framed once (text, unmasked, as a server sends) and its bytes go out as room allows, now
 * and on every later drain; a client that leaves more than `maxQueued` bytes unread is dropped.
 * No SDK imports: the framing is tested on Node against the `ws` library's parser.
 */
import { ByteOutbox, type RawSink } from './byte-outbox.ts';

export type { RawSink };

/** One unfragmented text frame (FIN, opcode 1), server side: no mask. */
export function textFrame(payload: Uint8Array): Uint8Array {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = new Uint8Array(head + n);
  frame[0] = 0x81;
  if (n < 126) frame[1] = n;
  else if (n < 65536) {
    frame[1] = 126;
    frame[2] = n >>> 8;
    frame[3] = n & 0xff;
  } else {
    frame[1] = 127;
    // Lengths here stay far below 2^32: the upper four bytes are zero.
    frame[6] = (n >>> 24) & 0xff;
    frame[7] = (n >>> 16) & 0xff;
    frame[8] = (n >>> 8) & 0xff;
    frame[9] = n & 0xff;
  }
  frame.set(payload, head);
  return frame;
}

/** One client's messages, framed and queued; a client that leaves more than `maxQueued` bytes unread is dropped. */
export class Outbox {
  private readonly bytes: ByteOutbox;

  constructor(sink: RawSink, maxQueued = 16_384) {
    this.bytes = new ByteOutbox(sink, maxQueued);
  }

  /** Queues one message and writes what fits; false when the client is too far behind (drop it). */
  send(utf8: Uint8Array): boolean {
    return this.bytes.push(textFrame(utf8));
  }

  /** Writes as much of the queue as the socket has room for. */
  drain(): void {
    this.bytes.drain();
  }

  get pending(): number {
    return this.bytes.pending;
  }
}
