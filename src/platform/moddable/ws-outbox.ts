/**
 * Server-to-browser WebSocket messages written in pieces the socket has room for. Moddable's
 * websocket module writes a message in one `socket.write`, which throws when the socket cannot
 * take it whole — a 3.5 KB AxeOS info object is three times lin's 1 KB write buffer and near
 * the ESP32's lwIP send buffer. The stream does not care where a write ends, so each message
 * is framed once (text, unmasked, as a server sends) and its bytes go out as room allows, now
 * and on every later drain; a client that leaves more than `maxQueued` bytes unread is dropped.
 * No SDK imports: the framing is tested on Node against the `ws` library's parser.
 */

/** The socket calls this needs: `room()` = bytes writable now, `write` = send these. */
export interface RawSink {
  room(): number;
  write(bytes: ArrayBuffer): void;
}

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

export class Outbox {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  /** Bytes of queue[0] already written. */
  private sent = 0;

  constructor(private readonly sink: RawSink, private readonly maxQueued = 16_384) {}

  /** Queues one message and writes what fits; false when the client is too far behind (drop it). */
  send(utf8: Uint8Array): boolean {
    const frame = textFrame(utf8);
    if (this.queued + frame.length > this.maxQueued) return false;
    this.queue.push(frame);
    this.queued += frame.length;
    this.drain();
    return true;
  }

  /** Writes as much of the queue as the socket has room for. */
  drain(): void {
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) return;
      const room = this.sink.room();
      if (room <= 0) return;
      const n = Math.min(room, head.length - this.sent);
      const piece = head.slice(this.sent, this.sent + n);
      this.sink.write(piece.buffer);
      this.sent += n;
      this.queued -= n;
      if (this.sent === head.length) {
        this.queue.shift();
        this.sent = 0;
      }
    }
  }

  get pending(): number {
    return this.queued;
  }
}
