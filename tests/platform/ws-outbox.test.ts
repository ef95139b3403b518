/**
 * The device's WebSocket writer: messages framed as a server must (checked by the `ws`
 * library's own parser, as a browser would read them), written in whatever pieces the socket
 * has room for, in order, and a client that stops reading dropped instead of growing a queue.
 */
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import * as ws from 'ws';

/** ws's frame parser (exported by the package; @types/ws does not describe it). */
const { Receiver } = ws as unknown as { Receiver: new (o: { isServer: boolean }) => EventEmitter & { write(b: Buffer): void } };
import { Outbox, textFrame } from '../../src/platform/moddable/ws-outbox.ts';

/** Parses server frames as a browser does; returns the messages. */
function parse(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const r = new Receiver({ isServer: false });
  r.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(false);
    out.push(data.toString('utf8'));
  });
  r.on('error', (e: Error) => { throw e; });
  r.write(Buffer.from(bytes));
  return out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('WebSocket frames from the device', () => {
  it('frames short, 16-bit and long payloads as one text frame each', () => {
    for (const n of [0, 1, 125, 126, 3500, 65535, 70_000]) {
      const text = 'é'.repeat(Math.floor(n / 2)) + 'x'.repeat(n % 2);
      expect(parse(textFrame(utf8(text)))).toEqual([text]);
    }
  });

  it('writes in the pieces the socket has room for, in order, until all is out', () => {
    const written: Uint8Array[] = [];
    let room = 0;
    const box = new Outbox({ room: () => room, write: (b) => { written.push(new Uint8Array(b)); room -= b.byteLength; } });
    const messages = ['{"event":"update","data":' + JSON.stringify({ big: 'x'.repeat(3500) }) + '}', 'a log line\n', 'é'.repeat(300)];
    for (const m of messages) expect(box.send(utf8(m))).toBe(true);
    expect(written).toEqual([]); // no room yet
    // The room comes back a little at a time, as a 1 KB buffer drains.
    for (let i = 0; i < 10 && box.pending > 0; i++) {
      room = 1024;
      box.drain();
    }
    expect(box.pending).toBe(0);
    expect(written.every((w) => w.length <= 1024)).toBe(true);
    const all = new Uint8Array(written.reduce((n, w) => n + w.length, 0));
    let at = 0;
    for (const w of written) { all.set(w, at); at += w.length; }
    expect(parse(all)).toEqual(messages);
  });

  it('refuses to queue past its bound (the caller drops that client)', () => {
    const box = new Outbox({ room: () => 0, write: () => {} }, 4096);
    expect(box.send(utf8('x'.repeat(3000)))).toBe(true);
    expect(box.send(utf8('x'.repeat(3000)))).toBe(false);
    expect(box.pending).toBe(3004);
  });
});
