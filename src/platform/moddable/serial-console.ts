/**
 * The board's console on ECMA-419 serial (`embedded:io/serial`): a UART on the ESP32 (`port`,
 * `receive`, `transmit` pins), a device path on lin (`device`, e.g. a pseudo-terminal). Both
 * runtimes take at most what their output buffer holds per `write` (the ESP32 its 128-byte TX
 * FIFO, lin 1 KB) and say through `onWritable` how much they take again, so text waits in a
 * bounded queue (byte-outbox.ts) and goes out as room appears.
 */
import Serial from 'embedded:io/serial';
import type { ConsolePort } from '../interfaces.ts';
import { encodeUtf8 } from '../../stratum/utf8.ts';
import { ByteOutbox } from './byte-outbox.ts';

export interface SerialConsoleConfig {
  /** lin: the device to open (a tty, or a symbolic link to one). */
  device?: string;
  /** ESP32: the UART and its pins. */
  port?: number;
  receive?: number;
  transmit?: number;
  baud?: number;
}

export const CONSOLE_BAUD = 115200;
/** Text waiting for the port. Beyond it lines are dropped (and counted), not queued. */
export const CONSOLE_QUEUE_BYTES = 4096;

// @moddable/typings knows the ESP32's options; lin's `device` (modules/io/serial/lin/serial.c) it does not.
interface SerialPort {
  read(): ArrayBuffer | undefined;
  write(data: ArrayBuffer): void;
  close(): void;
}
type SerialOptions = SerialConsoleConfig & {
  baud: number;
  format: 'buffer';
  onReadable(this: SerialPort, count: number): void;
  onWritable(this: SerialPort, count: number): void;
  onError?(this: SerialPort): void;
};
const SerialPortClass = Serial as unknown as new (options: SerialOptions) => SerialPort;

export function consoleName(cfg: SerialConsoleConfig): string {
  const where = cfg.device ?? `UART${cfg.port ?? 0}`;
  return `${where} at ${cfg.baud ?? CONSOLE_BAUD} baud`;
}

/** Opens the console; throws the runtime's error when the port cannot be had (absent, in use). */
export class SerialConsole implements ConsolePort {
  readonly name: string;
  readonly #port: SerialPort;
  readonly #out: ByteOutbox;
  #listener: ((bytes: Uint8Array) => void) | undefined;
  /** Bytes the port said it takes now (its last onWritable, less what was written since). */
  #room = 0;
  #dropped = 0;
  #closed = false;

  constructor(cfg: SerialConsoleConfig) {
    this.name = consoleName(cfg);
    const self = this;
    this.#out = new ByteOutbox({
      room: () => (this.#closed ? 0 : this.#room),
      write: (bytes) => {
        this.#port.write(bytes);
        this.#room -= bytes.byteLength;
      },
    }, CONSOLE_QUEUE_BYTES);
    const options: SerialOptions = {
      ...cfg,
      baud: cfg.baud ?? CONSOLE_BAUD,
      format: 'buffer',
      onReadable() {
        // Read even with no listener yet: the ESP32 holds its receive interrupt off until the FIFO is read.
        const data = this.read();
        if (data && data.byteLength > 0) self.#listener?.(new Uint8Array(data));
      },
      onWritable(count) {
        self.#room = count;
        self.#out.drain();
      },
      onError() {
        // lin: the device went away (the pseudo-terminal's other side closed); the runtime closes the port.
        self.#closed = true;
      },
    };
    try {
      this.#port = new SerialPortClass(options);
    } catch (e) {
      throw new Error(`cannot open the console on ${this.name}: ${(e as Error).message}`);
    }
  }

  listen(onBytes: (bytes: Uint8Array) => void): void {
    this.#listener = onBytes;
  }

  /** Queues the text whole or drops it; the next text that fits is preceded by how many were dropped. */
  write(text: string): void {
    if (this.#closed) return;
    if (this.#dropped > 0) {
      if (!this.#out.push(encodeUtf8(`kilohash warn: ${this.#dropped} console lines dropped: nobody was reading the port\n`))) {
        this.#dropped++;
        return;
      }
      this.#dropped = 0;
    }
    if (!this.#out.push(encodeUtf8(text))) this.#dropped++;
  }
}
