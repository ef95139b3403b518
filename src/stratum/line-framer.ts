/**
 * Newline-delimited framing with a bounded buffer. TCP delivers lines split across reads and
 * several per read; both are handled. The buffer starts small and doubles as longer lines
 * arrive, up to `maxLineBytes` (a 16 KB buffer up front was a third of the ESP32-C3's JS heap,
 * while a pool's lines are mostly under 2 KB). A line longer than the limit is dropped whole
 * (the bytes up to its newline are skipped), reported once, and framing resumes at the next
 * line — memory never grows past the limit whatever the pool sends.
 */
import { decodeUtf8 } from './utf8.ts';

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024;
const INITIAL_BUFFER_BYTES = 1024;

export interface LineFramerEvents {
  onLine(line: string): void;
  /** A line of at least `bytes` bytes was dropped for exceeding the limit. */
  onOverflow(bytes: number): void;
}

export class LineFramer {
  private buf: Uint8Array;
  private used = 0;
  /** While true, bytes are discarded up to the next newline (we are inside an over-long line). */
  private skipping = false;
  private skipped = 0;

  constructor(
    private readonly events: LineFramerEvents,
    readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {
    this.buf = new Uint8Array(Math.min(INITIAL_BUFFER_BYTES, maxLineBytes));
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== 0x0a) continue;
      this.append(chunk, start, i);
      this.endLine();
      start = i + 1;
    }
    this.append(chunk, start, chunk.length);
  }

  /** Forget a partial line (the connection it came from is gone). */
  reset(): void {
    this.used = 0;
    this.skipping = false;
    this.skipped = 0;
  }

  private append(chunk: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n === 0) return;
    if (this.skipping) {
      this.skipped += n;
      return;
    }
    const need = this.used + n;
    if (need > this.maxLineBytes) {
      this.skipping = true;
      this.skipped = need;
      this.used = 0;
      return;
    }
    if (need > this.buf.length) {
      let size = this.buf.length;
      while (size < need) size *= 2;
      const bigger = new Uint8Array(Math.min(size, this.maxLineBytes));
      bigger.set(this.buf.subarray(0, this.used));
      this.buf = bigger;
    }
    this.buf.set(chunk.subarray(from, to), this.used);
    this.used += n;
  }

  private endLine(): void {
    if (this.skipping) {
      const n = this.skipped;
      this.skipping = false;
      this.skipped = 0;
      this.events.onOverflow(n);
      return;
    }
    let end = this.used;
    if (end > 0 && this.buf[end - 1] === 0x0d) end--; // tolerate CRLF
    this.used = 0;
    if (end === 0) return; // blank lines (keepalives some proxies send) carry nothing
    this.events.onLine(decodeUtf8(this.buf, 0, end));
  }
}
