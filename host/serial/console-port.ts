/**
 * A board's console as a byte stream: a serial port (USB CDC or a UART adapter) or
 * `tcp://host:port` (Espruino's Telnet console: the Linux build with --telnet, or a board on
 * Wi-Fi). Both give a Node Duplex; what runs over it is the caller's business (the Espruino
 * bridge, `kilohash serial monitor` and `setup`).
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import { CoreLinkError } from '../../src/core/link.ts';

export type ConsolePort =
  | { kind: 'tcp'; host: string; port: number; text: string }
  | { kind: 'serial'; path: string; baud: number; text: string };

/** `tcp://host:port`, or a serial path with an optional `@baud` (default 115200, a console's). */
export function parseConsolePort(value: string, defaultBaud = 115200): ConsolePort {
  const text = value.trim();
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})$/.exec(text);
  if (tcp) {
    const port = Number(tcp[2]);
    if (port < 1 || port > 65535) throw new Error(`'${value}': the TCP port must be 1–65535`);
    return { kind: 'tcp', host: tcp[1]!.replace(/^\[|\]$/g, ''), port, text };
  }
  if (text.startsWith('tcp:')) throw new Error(`'${value}': write a TCP console as tcp://host:port`);
  const at = text.lastIndexOf('@');
  const path = at > 0 ? text.slice(0, at) : text;
  const baudText = at > 0 ? text.slice(at + 1) : String(defaultBaud);
  if (!/^\d+$/.test(baudText) || Number(baudText) < 300 || Number(baudText) > 4_000_000) {
    throw new Error(`'${value}': the baud rate after @ must be a number from 300 to 4000000`);
  }
  if (path === '') throw new Error('the port is empty: give a serial path (/dev/ttyACM0) or tcp://host:port');
  return { kind: 'serial', path, baud: Number(baudText), text };
}

/**
 * Ends the stream and lets go of its port. A SerialPort is closed, not destroyed: destroy()
 * while a read waits on the port leaves the descriptor open and the process running after
 * everything else has ended (serialport 13 on Linux, seen on a pseudo-terminal).
 */
export function closeConsolePort(stream: Duplex): Promise<void> {
  return new Promise((resolve) => {
    if (stream instanceof SerialPort && stream.isOpen) stream.close(() => resolve());
    else {
      stream.destroy();
      resolve();
    }
  });
}

/** Opens the stream; rejects with a CoreLinkError naming the port and the cause. */
export function openConsolePort(p: ConsolePort, timeoutMs = 5000): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void closeConsolePort(stream);
      reject(new CoreLinkError(`cannot open ${p.text}: ${why}`));
    };
    const timer = setTimeout(() => fail(`no connection within ${timeoutMs / 1000} s`), timeoutMs);
    const stream: Duplex = p.kind === 'tcp'
      ? net.connect({ host: p.host, port: p.port })
      : new SerialPort({ path: p.path, baudRate: p.baud, autoOpen: true });
    stream.once('error', (err: NodeJS.ErrnoException) => fail(describeOpenError(err)));
    stream.once(p.kind === 'tcp' ? 'connect' : 'open', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.removeAllListeners('error');
      resolve(stream);
    });
  });
}

function describeOpenError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED': return 'connection refused (is the board\'s Telnet console on?)';
    case 'ENOENT': return 'no such port';
    case 'EACCES': return 'permission denied (on Linux, join the dialout group)';
    case 'EBUSY': return 'the port is busy (another program has it open)';
    // serialport's errors carry no code, only a message ending in ", cannot open <path>".
    default: {
      const said = err.message.replace(/^Error: /, '').replace(/, cannot (open|lock).*$/, '');
      if (/No such file or directory/i.test(said)) return 'no such port';
      if (/Permission denied/i.test(said)) return describeOpenError({ ...err, code: 'EACCES' });
      if (/Resource (temporarily unavailable|busy)|Cannot lock port/i.test(said)) return describeOpenError({ ...err, code: 'EBUSY' });
      return said;
    }
  }
}
