/**
 * TCP to the pool on Moddable's ECMA-419 socket (`embedded:io/socket/tcp`). Facts it relies
 * on: `address` must be a numeric IP (names go through `Net.resolve` first); `onWritable`
 * fires once connected; `write` throws rather than writing part of a buffer when the socket is
 * full, so writes queue here (bounded) until the next `onWritable`; `onError` also reports a
 * clean remote close.
 */
import TCP from 'embedded:io/socket/tcp';
import Net from 'net';
import type { Transport, TransportFactory } from '../interfaces.ts';

/** Bytes waiting for the socket before the connection is given up (a pool that stopped reading). */
const MAX_QUEUED = 16 * 1024;

const isIPv4 = (s: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(s);

export const moddableTransport: TransportFactory = (o): Transport => {
  let socket: TCP | undefined;
  let connected = false;
  let closed = false;
  const queue: Uint8Array[] = [];
  let queued = 0;

  const close = (reason: string): void => {
    if (closed) return;
    closed = true;
    try {
      socket?.close();
    } catch {
      // already gone
    }
    socket = undefined;
    o.onClose(reason);
  };

  const flush = (): void => {
    while (socket && queue.length > 0) {
      try {
        socket.write(queue[0]!);
      } catch {
        return; // would block: onWritable resumes
      }
      queued -= queue.shift()!.length;
    }
  };

  const open = (address: string): void => {
    if (closed) return;
    try {
      socket = new TCP({
        address,
        port: o.port,
        nodelay: true,
        onWritable() {
          if (!connected) {
            connected = true;
            o.onConnect();
          }
          flush();
        },
        onReadable(count) {
          const data = this.read(count) as ArrayBuffer;
          o.onData(new Uint8Array(data));
        },
        onError() {
          close(connected ? 'connection closed' : `cannot connect to ${o.host}:${o.port}`);
        },
      });
    } catch (e) {
      close(`cannot connect to ${o.host}:${o.port}: ${String(e)}`);
    }
  };

  if (o.tls) {
    // Refuse rather than silently downgrade stratum+ssl to plain TCP.
    Promise.resolve().then(() => close('this firmware build has no TLS: use a stratum+tcp:// pool'));
  } else if (isIPv4(o.host)) {
    open(o.host);
  } else {
    try {
      Net.resolve(o.host, (_name: string, address?: string) => {
        if (address) open(address);
        else close(`cannot resolve ${o.host}`);
      });
    } catch (e) {
      Promise.resolve().then(() => close(`cannot resolve ${o.host}: ${String(e)}`));
    }
  }

  return {
    write(data) {
      if (closed) throw new Error('connection is closed');
      if (queued + data.length > MAX_QUEUED) {
        close('the pool is not reading (send queue full)');
        return;
      }
      queue.push(data.slice());
      queued += data.length;
      if (connected) flush();
    },
    close() {
      close('closed');
    },
  };
};
