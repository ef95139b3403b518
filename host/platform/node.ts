/**
 * The platform interfaces for Node: TCP/TLS transport, clock and log. The host runs the
 * firmware's own src/ code on top of these.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Clock, Log, Transport, TransportFactory, TransportOptions } from '../../src/platform/interfaces.ts';

/** Timers that never keep the process alive on their own (background work: keepalives, retries). */
export const backgroundClock: Clock = {
  now: () => performance.now(),
  setTimeout: (cb, ms) => {
    const t = setTimeout(cb, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Timers that keep the process alive until they fire (a command awaiting them must finish). */
export const keepAliveClock: Clock = {
  now: () => performance.now(),
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export const nodeTransport: TransportFactory = (o: TransportOptions): Transport => {
  const socket = o.tls
    ? tls.connect({ host: o.host, port: o.port, servername: net.isIP(o.host) ? undefined : o.host })
    : net.connect({ host: o.host, port: o.port });
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 30_000);
  let closed = false;
  const close = (reason: string) => {
    if (closed) return;
    closed = true;
    o.onClose(reason);
  };
  socket.once(o.tls ? 'secureConnect' : 'connect', () => o.onConnect());
  socket.on('data', (d: Buffer) => o.onData(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
  socket.on('error', (err) => close(err.message));
  socket.on('close', () => close('connection closed by the pool'));
  return {
    write(data) {
      if (closed || socket.destroyed) throw new Error('connection is closed');
      socket.write(data);
    },
    close() {
      closed = true;
      socket.destroy();
    },
  };
};

export function stderrLog(minLevel: 'debug' | 'info' | 'warn' | 'error' = 'info'): Log {
  const order = { debug: 0, info: 1, warn: 2, error: 3 };
  return (level, text) => {
    if (order[level] >= order[minLevel]) process.stderr.write(`[${level}] ${text}\n`);
  };
}
