/**
 * Bytes written in the pieces a sink has room for. Moddable's writers take at most what their
 * buffer holds per call and throw beyond it (a TCP socket's send buffer, lin's 1 KB serial
 * buffer, the ESP32's 128-byte UART FIFO), so whole messages wait here, bounded, and go out as
 * room appears. No SDK imports: tested on Node (tests/platform).
 */

/** What a writer takes now: `room()` bytes, via `write`. A write that throws is retried later. */
export interface RawSink {
  room(): number;
  write(bytes: ArrayBuffer): void;
}

export class ByteOutbox {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  /** Bytes of queue[0] already written. */
  private sent = 0;

  constructor(private readonly sink: RawSink, readonly maxQueued: number) {}

  /** Queues the bytes whole and writes what fits; false (nothing queued) when they would pass the bound. */
  push(bytes: Uint8Array): boolean {
    if (this.queued + bytes.length > this.maxQueued) return false;
    this.queue.push(bytes);
    this.queued += bytes.length;
    this.drain();
    return true;
  }

  /** Writes as much of the queue as the sink has room for. */
  drain(): void {
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) return;
      const room = this.sink.room();
      if (room <= 0) return;
      const n = Math.min(room, head.length - this.sent);
      const piece = head.slice(this.sent, this.sent + n);
      try {
        this.sink.write(piece.buffer);
      } catch {
        // Full after all (lin's serial while an earlier write is still pending): the piece stays for the next drain.
        return;
      }
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
