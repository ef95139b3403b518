/**
 * The device's bounded writer (src/platform/moddable/byte-outbox.ts), used by the WebSocket
 * sockets and the serial console: pieces no larger than the room the runtime reports, nothing
 * lost when a write is refused, and a bound past which a message is refused whole.
 */
import { describe, expect, it } from 'vitest';
import { ByteOutbox } from '../../src/platform/moddable/byte-outbox.ts';

/** A writer like Moddable's: takes up to `room` bytes a call, and throws when told it is full. */
function sink() {
  const s = { room: 0, full: false, written: [] as number[][], calls: 0 };
  return {
    s,
    raw: {
      room: () => s.room,
      write(bytes: ArrayBuffer) {
        s.calls++;
        if (s.full) throw new Error('would overflow');
        if (bytes.byteLength > s.room) throw new Error('output full');
        s.room -= bytes.byteLength;
        s.written.push([...new Uint8Array(bytes)]);
      },
    },
  };
}

const seq = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('the bounded byte writer', () => {
  it('writes in pieces no larger than the room, in order, across drains', () => {
    const { s, raw } = sink();
    const box = new ByteOutbox(raw, 4096);
    expect(box.push(seq(0, 300))).toBe(true);
    expect(box.push(seq(300, 100))).toBe(true);
    expect(s.written).toEqual([]); // no room yet: all waits
    s.room = 128; // an ESP32 FIFO's worth
    box.drain();
    s.room = 128;
    box.drain();
    s.room = 1024;
    box.drain();
    expect(s.written.map((w) => w.length)).toEqual([128, 128, 44, 100]);
    expect(s.written.flat()).toEqual([...seq(0, 400)]);
    expect(box.pending).toBe(0);
  });

  it('keeps a piece whose write was refused, and sends it on the next drain', () => {
    const { s, raw } = sink();
    const box = new ByteOutbox(raw, 4096);
    s.room = 1024;
    s.full = true;
    box.push(seq(0, 50));
    expect(s.calls).toBe(1);
    expect(box.pending).toBe(50);
    s.full = false;
    box.drain();
    expect(s.written.flat()).toEqual([...seq(0, 50)]);
    expect(box.pending).toBe(0);
  });

  it('refuses a message whole past its bound, and takes the next that fits', () => {
    const { s, raw } = sink();
    const box = new ByteOutbox(raw, 100);
    expect(box.push(seq(0, 60))).toBe(true);
    expect(box.push(seq(60, 41))).toBe(false);
    expect(box.push(seq(60, 40))).toBe(true);
    s.room = 1000;
    box.drain();
    expect(s.written.flat()).toEqual([...seq(0, 100)]);
  });
});
